"""A category's list: newest first, ten a page, bad pages and unknown categories are 404s."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from daotao.portal.models import ArticleStatus
from daotao.portal.tests.world import PortalTestCase, make_article


class CategoryPageTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        now = timezone.now()
        cls.articles = [make_article(cls.training, published_at=now - dt.timedelta(hours=n)) for n in range(1, 13)]
        make_article(cls.research, "Tin chuyên mục khác")
        make_article(cls.training, "Tin nháp", status=ArticleStatus.DRAFT)
        cls.url = reverse("portal:category", args=[cls.training.slug])

    def test_newest_first_ten_a_page(self):
        self.assertEqual(self.url, "/tin-tuc/dao-tao-boi-duong/")
        response = self.client.get(self.url)
        self.assertEqual(list(response.context["page"]), self.articles[:10])
        self.assertContains(response, '<h1 class="section-title">Đào tạo, bồi dưỡng</h1>', html=True)
        self.assertContains(response, "?page=2")
        self.assertNotContains(response, "Tin chuyên mục khác")
        self.assertNotContains(response, "Tin nháp")
        second = self.client.get(self.url, {"page": 2})
        self.assertEqual(list(second.context["page"]), self.articles[10:])
        self.assertContains(second, 'aria-current="page"')

    def test_bad_pages_and_unknown_categories_are_not_found(self):
        for page in ("0", "3", "-1", "abc", "1.5", "9" * 30, "1e3", " "):
            with self.subTest(page=page):
                self.assertEqual(self.client.get(self.url, {"page": page}).status_code, 404)
        self.assertEqual(self.client.get("/tin-tuc/khong-co/").status_code, 404)
        self.assertEqual(self.client.get("/tin-tuc/khong%20co/").status_code, 404)

    def test_an_empty_category(self):
        response = self.client.get(reverse("portal:category", args=[self.activities.slug]))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Chuyên mục này chưa có tin.")

    def test_query_count_does_not_grow_with_articles(self):
        self.client.get(self.url)  # fills the visitor box's cache
        count = self.queries(self.url)
        for _ in range(15):
            make_article(self.training)
        with self.assertNumQueries(count):
            self.client.get(self.url)
        with self.assertNumQueries(count):
            self.client.get(self.url, {"page": 3})
