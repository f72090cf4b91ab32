"""Articles as records: sanitised on save, a folded search key, what counts as published."""

import datetime as dt

import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from daotao.portal.models import Article, ArticleStatus
from daotao.portal.models.articles import vietnamese_slug
from daotao.portal.tests.world import PortalTestCase, local, make_article


class ArticleRecordTests(PortalTestCase):
    def test_the_body_is_sanitised_when_saved(self):
        article = make_article(self.training, body='<p onclick="x()">Tin</p><script>alert(1)</script>')
        article.refresh_from_db()
        self.assertEqual(article.body, "<p>Tin</p>")
        article.body = '<a href="javascript:alert(1)">Tin</a>'
        article.save(update_fields=["body"])
        article.refresh_from_db()
        self.assertEqual(article.body, '<a rel="noopener noreferrer">Tin</a>')

    def test_the_search_key_is_folded_title_summary_and_text(self):
        article = make_article(
            self.training, "Khai giảng lớp Trung cấp", summary="Đại biểu dự", body="<p>Học viên <b>Tân Thành</b></p>"
        )
        self.assertEqual(article.search_key, "khai giang lop trung cap dai bieu du hoc vien tan thanh")
        article.title = "Bế giảng"
        article.save(update_fields=["title"])
        article.refresh_from_db()
        self.assertTrue(article.search_key.startswith("be giang "))

    def test_view_count_is_not_editable_and_starts_at_zero(self):
        field = Article._meta.get_field("view_count")
        self.assertFalse(field.editable)
        self.assertEqual(make_article(self.training).view_count, 0)

    @time_machine.travel(local(2026, 3, 1, 12), tick=False)
    def test_published_means_published_and_time_has_come(self):
        now = timezone.now()
        shown = make_article(self.training, published_at=now)
        make_article(self.training, published_at=now + dt.timedelta(seconds=1))
        make_article(self.training, status=ArticleStatus.DRAFT, published_at=now - dt.timedelta(days=3))
        self.assertEqual(list(Article.objects.published()), [shown])

    def test_slugs_from_vietnamese_titles(self):
        self.assertEqual(vietnamese_slug("Đào tạo, bồi dưỡng cán bộ năm 2026"), "dao-tao-boi-duong-can-bo-nam-2026")
        article = Article(title="  Khai   giảng lớp Trung cấp ", category=self.training)
        article.full_clean()
        self.assertEqual((article.title, article.slug), ("Khai giảng lớp Trung cấp", "khai-giang-lop-trung-cap"))

    def test_slugs_are_unique(self):
        make_article(self.training, slug="tin-trung")
        with self.assertRaises(ValidationError):
            Article(title="Khác", slug="tin-trung", category=self.research).full_clean()

    def test_top_per_category_puts_featured_first(self):
        old_featured = make_article(self.training, featured=True, published_at=timezone.now() - dt.timedelta(days=9))
        newest = [make_article(self.training, published_at=timezone.now() - dt.timedelta(hours=n)) for n in (1, 2, 3)]
        research = make_article(self.research)
        top = Article.objects.published().top_per_category(2).order_by("category__order", "rank_in_category")
        self.assertEqual(list(top), [old_featured, newest[0], research])
