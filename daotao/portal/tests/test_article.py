"""An article's page: post time and views written the Vietnamese way, figures with captions,
the canonical address; unknown or hidden articles are 404s; a constant number of queries."""

import datetime as dt

import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from daotao.portal.models import Article, ArticleImage, ArticleStatus
from daotao.portal.tests.world import BROWSER, PortalTestCase, make_article


@time_machine.travel(dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC), tick=False)
class ArticlePageTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.article = make_article(
            cls.training,
            "Khai giảng lớp Trung cấp lý luận chính trị - hành chính",
            slug="khai-giang-lop-trung-cap",
            summary="Sáng 25/01/2021, Nhà trường khai giảng lớp Trung cấp.",
            body="<h2>Học đi đôi với hành</h2><p>Lớp có <strong>82</strong> học viên.</p>",
            published_at=dt.datetime(2021, 1, 25, 9, 42, 37, tzinfo=dt.UTC),
            cover_image="portal/covers/khai-giang.png",
            cover_caption="Quang cảnh lễ khai giảng",
            author=cls.editor,
        )
        Article.objects.filter(pk=cls.article.pk).update(view_count=606)
        ArticleImage.objects.create(article=cls.article, image="portal/images/b.png", caption="Học viên dự lễ", order=2)
        ArticleImage.objects.create(article=cls.article, image="portal/images/a.png", caption="Đại biểu", order=1)
        cls.url = reverse("portal:article", args=["dao-tao-boi-duong", "khai-giang-lop-trung-cap"])

    def setUp(self):
        cache.clear()

    def test_a_readable_address(self):
        self.assertEqual(self.url, "/tin-tuc/dao-tao-boi-duong/khai-giang-lop-trung-cap/")
        self.assertEqual(self.article.get_absolute_url(), self.url)

    def test_post_time_and_views_the_vietnamese_way(self):
        response = self.client.get(self.url, HTTP_USER_AGENT=BROWSER)
        self.assertContains(response, "Đăng lúc: 16:42:37 25/01/2021 (GMT+7)")
        self.assertContains(response, "607 lượt xem")  # this view included
        self.assertEqual(Article.objects.get(pk=self.article.pk).view_count, 607)

    def test_large_view_counts_are_grouped(self):
        Article.objects.filter(pk=self.article.pk).update(view_count=4419760)
        self.assertContains(self.client.get(self.url, HTTP_USER_AGENT=BROWSER), "4.419.761 lượt xem")

    def test_a_visitor_counts_once_a_day_and_crawlers_never(self):
        self.client.get(self.url, HTTP_USER_AGENT=BROWSER)
        response = self.client.get(self.url, HTTP_USER_AGENT=BROWSER)  # the same visitor (cookie)
        self.assertContains(response, "607 lượt xem")
        self.client.get(self.url, HTTP_USER_AGENT="Mozilla/5.0 (compatible; Googlebot/2.1)")
        self.assertEqual(Article.objects.get(pk=self.article.pk).view_count, 607)

    def test_body_cover_and_figures_with_captions(self):
        response = self.client.get(self.url)
        self.assertContains(response, "<h1>Khai giảng lớp Trung cấp lý luận chính trị - hành chính</h1>", html=True)
        self.assertContains(response, "<h2>Học đi đôi với hành</h2><p>Lớp có <strong>82</strong> học viên.</p>")
        self.assertContains(
            response,
            '<figure class="article-cover">'
            '<img src="/media/portal/covers/khai-giang.png" alt="Quang cảnh lễ khai giảng">'
            "<figcaption>Quang cảnh lễ khai giảng</figcaption></figure>",
            html=True,
        )
        content = response.content.decode()
        first = content.index("<figcaption>Đại biểu</figcaption>")
        self.assertLess(first, content.index("<figcaption>Học viên dự lễ</figcaption>"))  # in their order
        self.assertContains(response, '<img src="/media/portal/images/a.png" alt="Đại biểu" loading="lazy">', html=True)

    def test_same_category_news_is_offered(self):
        other = make_article(self.training, "Bế giảng lớp bồi dưỡng")
        make_article(self.research, "Hội thảo khoa học")
        response = self.client.get(self.url)
        self.assertEqual(response.context["related"], [other])

    def test_a_moved_article_redirects_to_its_address(self):
        response = self.client.get("/tin-tuc/tin-hoat-dong/khai-giang-lop-trung-cap/")
        self.assertRedirects(response, self.url, status_code=301)

    def test_unknown_and_hidden_articles_are_not_found(self):
        draft = make_article(self.training, status=ArticleStatus.DRAFT)
        scheduled = make_article(self.training, published_at=timezone.now() + dt.timedelta(minutes=5))
        for url in (
            "/tin-tuc/dao-tao-boi-duong/khong-co/",
            "/tin-tuc/khong-co/khai-giang-lop-trung-cap-x/",
            draft.get_absolute_url(),
            scheduled.get_absolute_url(),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_query_count_does_not_grow_with_articles_or_images(self):
        self.client.get(self.url)
        count = self.queries(self.url)
        for order in range(3, 10):
            ArticleImage.objects.create(article=self.article, image=f"portal/images/{order}.png", order=order)
        for _ in range(10):
            make_article(self.training)
        with self.assertNumQueries(count):
            self.client.get(self.url)
