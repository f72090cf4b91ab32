"""The demo's portal: Vietnamese news of the Bình An school with pictures, an active banner,
the previous site's visits and an editor sign-in; loading again changes nothing."""

import datetime as dt
import shutil
import tempfile
from pathlib import Path

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from daotao.accounts import roles
from daotao.demo import data
from daotao.demo import portal as demo_portal
from daotao.portal.models import Article, ArticleImage, Banner, Category, DailyVisits, VisitOffset
from daotao.testing import WorldTestCase, make_user


class DemoPortalTests(WorldTestCase):
    @classmethod
    def setUpClass(cls):
        cls.media = tempfile.mkdtemp()
        cls.enterClassContext(override_settings(MEDIA_ROOT=cls.media))
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.media, ignore_errors=True)

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.editor = make_user(data.EDITOR_USERNAME, roles.EDITOR)
        demo_portal.load(author=cls.editor)

    def snapshot(self):
        return {
            "articles": list(Article.objects.order_by("pk").values()),
            "images": list(ArticleImage.objects.order_by("pk").values()),
            "categories": list(Category.objects.order_by("pk").values()),
            "banners": list(Banner.objects.order_by("pk").values()),
            "offset": list(VisitOffset.objects.values()),
            "visits": list(DailyVisits.objects.order_by("day").values()),
        }

    def test_a_handful_of_news_in_three_categories(self):
        self.assertEqual(Category.objects.count(), 3)
        self.assertTrue(5 <= Article.objects.published().count() <= 8)
        self.assertEqual(Article.objects.exclude(pk__in=Article.objects.published()).count(), 1)  # a draft to preview
        self.assertEqual(set(Article.objects.values_list("author", flat=True)), {self.editor.pk})
        self.assertTrue(Article.objects.published().filter(featured=True).exists())
        self.assertTrue(Article.objects.published().search("trung cap").exists())

    def test_pictures_are_drawn_into_media(self):
        for name in demo_portal.PICTURES:
            with Image.open(Path(self.media) / demo_portal.MEDIA_DIR / name) as picture:
                self.assertEqual(picture.format, "PNG")
        self.assertTrue((Path(self.media) / demo_portal.MEDIA_DIR / demo_portal.BANNER_FILE).exists())
        for article in Article.objects.published():
            self.assertTrue(Path(article.cover_image.path).exists(), article.slug)

    def test_the_banner_is_active_today(self):
        banner = Banner.objects.active().get()
        self.assertEqual(banner.title, "Hưởng ứng Ngày Sách và Văn hóa đọc Việt Nam")
        self.assertLessEqual(banner.starts_on, timezone.localdate())

    def test_the_previous_sites_visits(self):
        self.assertEqual(VisitOffset.current(), 4_400_000)

    def test_a_visit_history_before_today_and_a_day_counted_for_real_is_kept(self):
        today = timezone.localdate()
        self.assertEqual(DailyVisits.objects.count(), 60)
        self.assertFalse(DailyVisits.objects.filter(day__gte=today).exists())
        counted = DailyVisits.objects.get(day=today - dt.timedelta(days=1))
        counted.visits = 3
        counted.save()
        demo_portal.load(author=self.editor)
        counted.refresh_from_db()
        self.assertEqual(counted.visits, 3)

    def test_the_editor_sign_in(self):
        self.assertIn((data.EDITOR_USERNAME, roles.EDITOR), [(u[0], u[1]) for u in data.USERS])

    def test_loading_again_changes_nothing(self):
        before = self.snapshot()
        Article.objects.update(view_count=5)  # views counted since are kept too
        demo_portal.load(author=self.editor)
        after = self.snapshot()
        for article in before["articles"]:
            article["view_count"] = 5
        self.assertEqual(after, before)

    def test_the_home_page_with_the_demo(self):
        response = self.client.get(reverse("portal:home"))
        self.assertContains(response, "Bế giảng và trao bằng tốt nghiệp")
        self.assertContains(response, "/media/portal/demo/ngay-sach-van-hoa-doc.svg")
