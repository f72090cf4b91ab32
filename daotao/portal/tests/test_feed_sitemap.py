"""The RSS feed and the sitemap list published articles only, at their addresses."""

import datetime as dt
import xml.etree.ElementTree as ET

from django.urls import reverse
from django.utils import timezone

from daotao.portal.models import ArticleStatus
from daotao.portal.tests.world import PortalTestCase, make_article

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


class FeedTests(PortalTestCase):
    def test_latest_published_articles(self):
        article = make_article(
            self.training, "Khai giảng lớp Trung cấp", summary="Tóm tắt <b>in đậm</b>", author=self.editor
        )
        make_article(self.training, "Tin nháp", status=ArticleStatus.DRAFT)
        response = self.client.get(reverse("portal:feed"))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("application/rss+xml"))
        channel = ET.fromstring(response.content).find("channel")
        self.assertEqual(channel.findtext("title"), "Trường Chính trị tỉnh Bình An")
        items = channel.findall("item")
        self.assertEqual([item.findtext("title") for item in items], ["Khai giảng lớp Trung cấp"])
        self.assertEqual(items[0].findtext("link"), f"http://testserver{article.get_absolute_url()}")
        self.assertEqual(items[0].findtext("description"), "Tóm tắt <b>in đậm</b>")  # escaped in the XML
        self.assertEqual(items[0].findtext("category"), "Đào tạo, bồi dưỡng")

    def test_at_most_twenty_in_constant_queries(self):
        for _ in range(3):
            make_article(self.training, author=self.editor)
        count = self.queries(reverse("portal:feed"))
        for _ in range(25):
            make_article(self.research, author=self.editor)
        with self.assertNumQueries(count):
            response = self.client.get(reverse("portal:feed"))
        self.assertEqual(len(ET.fromstring(response.content).find("channel").findall("item")), 20)


class SitemapTests(PortalTestCase):
    def test_home_categories_and_published_articles(self):
        article = make_article(self.training)
        hidden = make_article(self.training, published_at=timezone.now() + dt.timedelta(days=1))
        response = self.client.get(reverse("portal:sitemap"))
        self.assertEqual(response.status_code, 200)
        locations = [node.text for node in ET.fromstring(response.content).findall("s:url/s:loc", SITEMAP_NS)]
        self.assertIn("http://testserver/", locations)
        self.assertIn("http://testserver/tin-tuc/dao-tao-boi-duong/", locations)
        self.assertIn(f"http://testserver{article.get_absolute_url()}", locations)
        self.assertNotIn(f"http://testserver{hidden.get_absolute_url()}", locations)
        self.assertEqual(reverse("portal:sitemap"), "/sitemap.xml")

    def test_constant_queries(self):
        make_article(self.training)
        count = self.queries(reverse("portal:sitemap"))
        for _ in range(10):
            make_article(self.research)
        with self.assertNumQueries(count):
            self.client.get(reverse("portal:sitemap"))
