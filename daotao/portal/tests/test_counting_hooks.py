"""Every public page counts the visit and shows the visitor box; the feed, the sitemap and
the editors' preview do not count."""

from django.urls import reverse

from daotao.portal.counting import VISITOR_COOKIE
from daotao.portal.models import ArticleStatus, DailyVisits
from daotao.portal.tests.world import BROWSER, PortalTestCase, make_article


class CountingHookTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.article = make_article(cls.training)
        cls.draft = make_article(cls.training, status=ArticleStatus.DRAFT)

    def visits(self) -> int:
        return sum(DailyVisits.objects.values_list("visits", flat=True))

    def test_public_pages_count_and_show_the_visitor_box(self):
        pages = [
            reverse("portal:home"),
            reverse("portal:category", args=[self.training.slug]),
            self.article.get_absolute_url(),
            reverse("portal:search") + "?q=tin",
        ]
        for number, url in enumerate(pages, start=1):
            with self.subTest(url=url):
                self.client.cookies.clear()
                response = self.client.get(url, HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=f"203.0.113.{number}")
                self.assertIn(VISITOR_COOKIE, response.cookies)
                self.assertEqual(self.visits(), number)
                self.assertContains(response, 'class="visitor-box"')

    def test_feed_sitemap_and_preview_do_not_count(self):
        self.login(self.editor)
        for url in (reverse("portal:feed"), reverse("portal:sitemap"), reverse("portal:preview", args=[self.draft.pk])):
            with self.subTest(url=url):
                response = self.client.get(url, HTTP_USER_AGENT=BROWSER)
                self.assertEqual(response.status_code, 200)
                self.assertNotIn(VISITOR_COOKIE, response.cookies)
        self.assertEqual(self.visits(), 0)
