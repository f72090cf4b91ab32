"""The counters are exact under concurrent requests.

DaoTao runs under gunicorn (two worker processes, eight threads each) on a database of its
own beside the test database: a temporary SQLite file, or a new PostgreSQL database when
the suite runs on PostgreSQL. Many requests from distinct visitors arrive at once, and the
first requests of one visitor arrive together; every one must succeed and every visitor
must be counted once, no more, no less, with as many rows of who was counted as counts.
Runs with the database cache (the default) and with Redis (``CACHE_URL``, which keeps the
day's salt) when a Redis server answers on 127.0.0.1:6379; CI sets
``DAOTAO_REQUIRE_REDIS=1`` so that a missing Redis fails the test.
"""

import json
import os
import unittest

from daotao.lib.liveserver import PUBLISHED_ARTICLE, REDIS_TEST_URL, LiveServer, require_redis
from daotao.lib.loadgen import run_load

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"

COUNTERS = """
import json
from django.db.models import Sum
from daotao.portal.models import Article, CountedKey, DailyVisits
article = Article.objects.get(slug="khai-giang")
print(json.dumps({
    "visits": DailyVisits.objects.aggregate(total=Sum("visits"))["total"] or 0,
    "views": article.view_count,
    "visit_rows": CountedKey.objects.filter(article_id=None, alias=False).count(),
    "view_rows": CountedKey.objects.filter(article_id=article.pk, alias=False).count(),
}))
"""


class ConcurrentCountingMixin:
    cache_url = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = LiveServer(database_url=os.environ.get("DATABASE_URL"), cache_url=cls.cache_url)
        cls.server.__enter__()
        cls.addClassCleanup(cls.server.__exit__, None, None, None)
        cls.path = cls.server.python(PUBLISHED_ARTICLE).strip().splitlines()[-1]

    def counters(self):
        counters = json.loads(self.server.python(COUNTERS).strip().splitlines()[-1])
        # Every count has its row of who was counted, and no row is without its count.
        self.assertEqual(counters.pop("visit_rows"), counters["visits"])
        self.assertEqual(counters.pop("view_rows"), counters["views"])
        return counters

    def load(self, count, headers_of, connections=32):
        result = run_load(
            "127.0.0.1",
            self.server.port,
            connections=connections,
            path_of=lambda n: self.path,
            headers_of=headers_of,
            seconds=120,
            count=count,
        )
        self.assertEqual(result.errors, 0, f"{result.statuses} {result.error_samples}\n{self.server.log()}")
        self.assertEqual(result.requests, count)
        self.assertEqual(dict(result.statuses), {200: count})
        return result

    def test_counts_stay_exact_under_concurrent_requests(self):
        before = self.counters()

        # 400 new visitors at once, each with a cookie of their own.
        self.load(400, lambda n: {"User-Agent": BROWSER, "Cookie": f"dt_visitor=concurrent-visitor-{n:06d}"})
        after_new = self.counters()
        self.assertEqual(after_new["visits"] - before["visits"], 400)
        self.assertEqual(after_new["views"] - before["views"], 400)

        # 25 visitors reloading ten times each, their requests interleaved: counted once.
        self.load(250, lambda n: {"User-Agent": BROWSER, "Cookie": f"dt_visitor=reloading-visitor-{n % 25:06d}"})
        after_reloads = self.counters()
        self.assertEqual(after_reloads["visits"] - after_new["visits"], 25)
        self.assertEqual(after_reloads["views"] - after_new["views"], 25)

        # 8 new visitors whose first requests come together, 32 at a time: counted once.
        self.load(256, lambda n: {"User-Agent": BROWSER, "Cookie": f"dt_visitor=together-visitor-{n // 32:06d}"})
        after_together = self.counters()
        self.assertEqual(after_together["visits"] - after_reloads["visits"], 8)
        self.assertEqual(after_together["views"] - after_reloads["views"], 8)
        after_reloads = after_together

        # 30 browsers refusing cookies (one address, different user agents), four requests each.
        self.load(120, lambda n: {"User-Agent": f"{BROWSER} Edition/{n % 30}"})
        after_cookieless = self.counters()
        self.assertEqual(after_cookieless["visits"] - after_reloads["visits"], 30)
        self.assertEqual(after_cookieless["views"] - after_reloads["views"], 30)

        # Crawlers, at the same pace, change nothing.
        self.load(
            100, lambda n: {"User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"}
        )
        self.assertEqual(self.counters(), after_cookieless)


class DatabaseCacheConcurrencyTests(ConcurrentCountingMixin, unittest.TestCase):
    """The default set-up: the database cache keeps who was counted today."""


class RedisCacheConcurrencyTests(ConcurrentCountingMixin, unittest.TestCase):
    """Several app servers share Redis for who was counted today."""

    cache_url = REDIS_TEST_URL

    @classmethod
    def setUpClass(cls):
        require_redis()
        super().setUpClass()
