"""Editors preview drafts and scheduled articles; the preview is never cached and no one else
sees it."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from daotao.portal.models import Article, ArticleStatus
from daotao.portal.tests.world import BROWSER, PortalTestCase, make_article


class PreviewTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.draft = make_article(cls.training, "Kế hoạch tuyển sinh năm 2027", status=ArticleStatus.DRAFT)
        cls.url = reverse("portal:preview", args=[cls.draft.pk])

    def test_anonymous_is_sent_to_sign_in(self):
        response = self.client.get(self.url)
        self.assertRedirects(response, f"{reverse('login')}?next={self.url}", fetch_redirect_response=False)

    def test_other_roles_are_refused(self):
        self.coordinator.is_staff = True  # even a staff user without the editor role
        self.coordinator.save()
        for user in (self.coordinator, self.office, self.board, self.nobody):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_editors_and_superusers_see_drafts_never_cached(self):
        for user in (self.editor, self.superuser):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(self.url)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Kế hoạch tuyển sinh năm 2027")
                self.assertContains(response, "Bản xem trước: tin này là bản nháp")
                cache_control = response["Cache-Control"]
                for directive in ("no-cache", "no-store", "must-revalidate", "private", "max-age=0"):
                    self.assertIn(directive, cache_control)
                self.assertContains(response, '<meta name="robots" content="noindex">')

    def test_a_scheduled_article_says_when_it_appears(self):
        scheduled = make_article(self.training, published_at=timezone.now() + dt.timedelta(days=2))
        self.login(self.editor)
        response = self.client.get(reverse("portal:preview", args=[scheduled.pk]))
        self.assertContains(response, "Bản xem trước: tin này đã hẹn giờ")

    def test_a_preview_is_not_a_view(self):
        self.login(self.editor)
        self.client.get(self.url, HTTP_USER_AGENT=BROWSER)
        self.assertEqual(Article.objects.get(pk=self.draft.pk).view_count, 0)

    def test_unknown_article(self):
        self.login(self.editor)
        self.assertEqual(self.client.get(reverse("portal:preview", args=[999999])).status_code, 404)

    def test_only_get_and_head(self):
        self.login(self.editor)
        self.assertEqual(self.client.post(self.url).status_code, 405)
