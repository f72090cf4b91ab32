"""Editors write the news in the admin; nobody else may, whatever their other rights."""

import datetime as dt
import shutil
import tempfile

import time_machine
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from daotao.accounts import roles
from daotao.portal.models import Article, ArticleImage, ArticleStatus
from daotao.portal.tests.world import PortalTestCase, make_article, make_banner
from daotao.testing import make_user

PORTAL_MODELS = ["article", "category", "banner"]
HOURS = dt.timedelta(hours=3)
# The smallest valid GIF, for the image fields (Pillow checks uploads are images).
GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


def article_form(category, **values):
    data = {
        "title": "Khai giảng lớp Trung cấp",
        "slug": "khai-giang-lop-trung-cap",
        "category": category.pk,
        "summary": "Tóm tắt",
        "body": '<p onclick="alert(1)">Nội dung</p><script>alert(2)</script>',
        "cover_caption": "",
        "status": ArticleStatus.DRAFT,
        "published_at_0": "25/01/2021",
        "published_at_1": "16:42:37",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000",
    }
    data.update(values)
    return data


class PortalAdminTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.article = make_article(cls.training, "Hội nghị tổng kết đào tạo")
        cls.banner = make_banner("Ngày Sách", cls.article.published_at.date(), cls.article.published_at.date())

    def setUp(self):
        self.media = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.media, ignore_errors=True)

    def pages(self):
        yield reverse("admin:portal_article_changelist")
        yield reverse("admin:portal_article_add")
        yield reverse("admin:portal_article_change", args=[self.article.pk])
        yield reverse("admin:portal_category_add")
        yield reverse("admin:portal_category_change", args=[self.training.pk])
        yield reverse("admin:portal_banner_add")
        yield reverse("admin:portal_banner_change", args=[self.banner.pk])

    def test_editors_are_staff_with_the_portal_permissions(self):
        self.assertTrue(self.editor.is_staff)  # given the role, made staff
        codenames = set(Group.objects.get(name=roles.EDITOR).permissions.values_list("codename", flat=True))
        for model in [*PORTAL_MODELS, "articleimage"]:
            for action in ("add", "change", "delete", "view"):
                self.assertIn(f"{action}_{model}", codenames)
        late = make_user("late")
        Group.objects.get(name=roles.EDITOR).user_set.add(late)
        late.refresh_from_db()
        self.assertTrue(late.is_staff)

    def test_editor_and_superuser_open_every_page(self):
        for user in (self.editor, self.superuser):
            self.login(user)
            for url in self.pages():
                with self.subTest(user=user.username, url=url):
                    self.assertEqual(self.client.get(url).status_code, 200)

    def test_other_staff_are_refused_even_with_permissions(self):
        for user in (self.coordinator, self.office):
            user.is_staff = True
            user.save()
        self.coordinator.user_permissions.add(*Permission.objects.filter(content_type__app_label="portal"))
        for user in (self.coordinator, self.office):
            self.login(user)
            for url in self.pages():
                with self.subTest(user=user.username, url=url):
                    self.assertEqual(self.client.get(url).status_code, 403)
            self.assertNotContains(self.client.get(reverse("admin:index")), "/admin/portal/")

    def test_anonymous_is_sent_to_the_admin_sign_in(self):
        response = self.client.get(reverse("admin:portal_article_add"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("admin:login"), response["Location"])

    def test_the_editor_is_the_author_and_the_body_is_sanitised(self):
        self.login(self.editor)
        with override_settings(MEDIA_ROOT=self.media):
            response = self.client.post(
                reverse("admin:portal_article_add"),
                article_form(
                    self.training,
                    **{
                        "cover_image": SimpleUploadedFile("bia.gif", GIF, content_type="image/gif"),
                        "images-TOTAL_FORMS": "1",
                        "images-0-image": SimpleUploadedFile("anh.gif", GIF, content_type="image/gif"),
                        "images-0-caption": "Đại biểu dự lễ",
                        "images-0-order": "1",
                    },
                ),
            )
        self.assertEqual(
            response.status_code, 302, getattr(response, "context", None) and response.context.get("errors")
        )
        article = Article.objects.get(slug="khai-giang-lop-trung-cap")
        self.assertEqual(article.author, self.editor)
        self.assertEqual(article.body, "<p>Nội dung</p>")
        self.assertEqual(article.published_at.isoformat(), "2021-01-25T09:42:37+00:00")
        self.assertTrue(article.cover_image.name.startswith("portal/covers/"))
        self.assertEqual(ArticleImage.objects.get(article=article).caption, "Đại biểu dự lễ")

    def test_a_file_that_is_not_an_image_is_refused(self):
        self.login(self.editor)
        with override_settings(MEDIA_ROOT=self.media):
            response = self.client.post(
                reverse("admin:portal_article_add"),
                article_form(self.training, cover_image=SimpleUploadedFile("x.gif", b"<svg onload=alert(1)>")),
            )
        self.assertEqual(response.status_code, 200)
        self.assertIn("cover_image", response.context["adminform"].form.errors)
        self.assertFalse(Article.objects.filter(slug="khai-giang-lop-trung-cap").exists())

    def test_the_author_stays_when_another_editor_changes_it(self):
        other = make_user("editor2", roles.EDITOR)
        self.login(self.editor)
        self.client.post(reverse("admin:portal_article_add"), article_form(self.training))
        article = Article.objects.get(slug="khai-giang-lop-trung-cap")
        self.login(other)
        response = self.client.post(
            reverse("admin:portal_article_change", args=[article.pk]),
            article_form(self.training, title="Khai giảng lớp Trung cấp khóa mới"),
        )
        self.assertEqual(response.status_code, 302)
        article.refresh_from_db()
        self.assertEqual((article.title, article.author), ("Khai giảng lớp Trung cấp khóa mới", self.editor))

    def test_search_ignores_case_and_diacritics(self):
        self.login(self.editor)
        response = self.client.get(reverse("admin:portal_article_changelist"), {"q": "HOI NGHI dao tao"})
        self.assertEqual(list(response.context["cl"].result_list), [self.article])

    def test_view_on_site_is_the_preview(self):
        self.login(self.editor)
        response = self.client.get(reverse("admin:portal_article_change", args=[self.article.pk]))
        self.assertContains(response, reverse("portal:preview", args=[self.article.pk]))

    def test_publish_action(self):
        old_draft = make_article(self.training, status=ArticleStatus.DRAFT, published_at=timezone.now() - HOURS)
        scheduled = make_article(self.training, status=ArticleStatus.DRAFT, published_at=timezone.now() + HOURS)
        self.login(self.editor)
        with time_machine.travel(timezone.now(), tick=False):
            self.client.post(
                reverse("admin:portal_article_changelist"),
                {"action": "publish", "_selected_action": [old_draft.pk, scheduled.pk]},
            )
            now = timezone.now()
        old_draft.refresh_from_db()
        scheduled.refresh_from_db()
        self.assertEqual((old_draft.status, old_draft.published_at), (ArticleStatus.PUBLISHED, now))  # goes out now
        self.assertEqual(scheduled.status, ArticleStatus.PUBLISHED)
        self.assertGreater(scheduled.published_at, now)  # still waits for its time
        self.assertEqual(list(Article.objects.published()), [old_draft, self.article])
