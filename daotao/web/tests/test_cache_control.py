"""No browser or proxy cache keeps a page, export or API answer with personal data: each
carries ``Cache-Control: private, no-store`` (daotao.web.middleware.PrivateCacheMiddleware).
The public portal's pages to an anonymous visitor stay cacheable, and a view that sets its
own header keeps it."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from daotao.accounts import roles
from daotao.accounts.models import ApiToken
from daotao.portal.models import Article, Category
from daotao.testing import TeachingWorldTestCase, make_user

PRIVATE = "private, no-store"


class PrivateCacheTests(TeachingWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        category = Category.objects.create(name="Tin hoạt động", slug="tin-hoat-dong")
        cls.article = Article.objects.create(
            title="Khai giảng lớp Trung cấp",
            slug="khai-giang",
            category=category,
            summary="Tóm tắt",
            body="<p>Nội dung</p>",
            status="published",
            published_at=timezone.now(),
        )
        cls.editor = make_user("editor", roles.EDITOR)

    def assertPrivate(self, response, expected_status=200):
        self.assertEqual(response.status_code, expected_status)
        self.assertEqual(response["Cache-Control"], PRIVATE)

    def test_pages_and_exports_of_a_signed_in_user(self):
        self.client.force_login(self.office)
        cohort = self.cohort
        for url, content_type in (
            (reverse("home"), "text/html"),
            (reverse("cohorts:detail", args=[cohort.code]), "text/html"),
            (reverse("grading:sheet", args=[cohort.pk, self.m1.pk]), "text/html"),
            (reverse("grading:sheet_export", args=[cohort.pk, self.m1.pk]), "application/vnd.openxmlformats"),
            (reverse("grading:report_xlsx", args=[cohort.pk]), "application/vnd.openxmlformats"),
            (reverse("grading:report_pdf", args=[cohort.pk]), "application/pdf"),
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertPrivate(response)
                self.assertTrue(response["Content-Type"].startswith(content_type), response["Content-Type"])

    def test_the_api_called_with_a_token(self):
        _token, key = ApiToken.issue(self.office, "test")
        url = f"/api/v1/grading/cohorts/{self.cohort.pk}/results"
        response = self.client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}")
        self.assertPrivate(response)
        self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
        self.assertPrivate(self.client.get(url), 401)  # the refusal too

    def test_refusals_and_redirects_too(self):
        self.assertPrivate(self.client.get(reverse("grading:sheet", args=[self.cohort.pk, self.m1.pk])), 302)
        self.client.force_login(self.other_coordinator)
        self.assertPrivate(self.client.get(reverse("grading:sheet", args=[self.cohort.pk, self.m1.pk])), 404)

    def test_the_public_portal_stays_cacheable_for_anonymous_visitors(self):
        for url in (
            reverse("portal:home"),
            self.article.get_absolute_url(),
            reverse("portal:category", args=["tin-hoat-dong"]),
            reverse("portal:feed"),
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertFalse(response.has_header("Cache-Control"))

    def test_a_signed_in_users_portal_page_is_private(self):
        self.client.force_login(self.office)
        self.assertPrivate(self.client.get(reverse("portal:home")))

    def test_a_view_with_its_own_header_keeps_it(self):
        self.client.force_login(self.editor)
        response = self.client.get(reverse("portal:preview", args=[self.article.pk]))  # never_cache
        self.assertEqual(response.status_code, 200)
        self.assertIn("max-age=0", response["Cache-Control"])
        self.assertIn("no-store", response["Cache-Control"])
