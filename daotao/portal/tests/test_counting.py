"""Who counts as a visitor, and that each visitor counts once a day."""

import base64
import datetime as dt

import time_machine
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory, TestCase, override_settings

from daotao.lib.env import cache_from_url
from daotao.lib.liveserver import REDIS_TEST_URL, require_redis
from daotao.portal.counting import VISITOR_COOKIE, _add_visit, count_visit, counted_page, is_crawler
from daotao.portal.models import DailyVisits

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148"
CRAWLERS = [
    "",
    "   ",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/searchengine)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "curl/8.5.0",
    "python-requests/2.32.3",
    "Wget/1.21.3",
]


@counted_page
def page(request):
    return HttpResponse("ok")


def visits_on(day):
    return DailyVisits.objects.filter(day=day).values_list("visits", flat=True).first() or 0


def stored_cache_text() -> str:
    """Every key and value the cache holds, as text."""
    if "redis" in settings.CACHES["default"]["BACKEND"].lower():
        client = cache._cache.get_client()
        return " ".join(f"{key!r} {client.get(key)!r}" for key in client.keys("*"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key, value FROM daotao_cache")
        return " ".join(f"{key} {base64.b64decode(value)!r}" for key, value in cursor.fetchall())


# 03:00 UTC on 2 March 2026 is 10:00 in Hanoi.
@time_machine.travel(dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC), tick=False)
class VisitCountingTests(TestCase):
    today = dt.date(2026, 3, 2)

    def setUp(self):
        cache.clear()
        self.factory = RequestFactory()

    def get(self, user_agent=BROWSER, address="203.0.113.7", cookie=None, method="get"):
        request = getattr(self.factory, method)("/", HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)
        if cookie:
            request.COOKIES[VISITOR_COOKIE] = cookie
        return page(request)

    def test_a_new_visitor_counts_once_and_gets_a_cookie(self):
        response = self.get()
        cookie = response.cookies[VISITOR_COOKIE]
        self.assertEqual(visits_on(self.today), 1)
        self.assertTrue(cookie["httponly"])
        self.assertEqual(cookie["samesite"], "Lax")
        self.get(cookie=cookie.value)
        self.get(cookie=cookie.value)
        self.assertEqual(visits_on(self.today), 1)

    def test_a_visitor_refusing_cookies_counts_once_by_address_and_browser(self):
        self.get()
        self.get()
        self.assertEqual(visits_on(self.today), 1)
        self.get(user_agent=PHONE)
        self.get(address="198.51.100.20")
        self.assertEqual(visits_on(self.today), 3)

    def test_no_address_is_stored(self):
        self.get(address="203.0.113.77")
        stored = stored_cache_text()
        self.assertIn("portal:visit:", stored)
        self.assertNotIn("203.0.113.77", stored)
        self.assertNotIn(BROWSER, stored)

    def test_distinct_cookies_are_distinct_visitors(self):
        for n in range(5):
            self.get(cookie=f"visitor-cookie-{n:04d}-abcdef")
        self.assertEqual(visits_on(self.today), 5)

    def test_a_malformed_cookie_is_ignored(self):
        response = self.get(cookie="x")
        self.assertIn(VISITOR_COOKIE, response.cookies)
        self.assertEqual(visits_on(self.today), 1)

    def test_crawlers_and_empty_user_agents_are_not_counted(self):
        for user_agent in CRAWLERS:
            with self.subTest(user_agent=user_agent):
                self.assertTrue(is_crawler(user_agent))
                response = self.get(user_agent=user_agent)
                self.assertNotIn(VISITOR_COOKIE, response.cookies)
        self.assertEqual(visits_on(self.today), 0)
        self.assertFalse(is_crawler(BROWSER))
        self.assertFalse(is_crawler(PHONE))

    def test_only_page_reads_count(self):
        self.get(method="post")
        self.get(method="head")
        self.assertEqual(visits_on(self.today), 0)

    @override_settings(DAOTAO_PORTAL_COUNTING=False)
    def test_counting_can_be_switched_off(self):
        response = self.get()
        self.assertNotIn(VISITOR_COOKIE, response.cookies)
        self.assertEqual(DailyVisits.objects.count(), 0)

    def test_the_next_local_day_counts_again(self):
        cookie = self.get().cookies[VISITOR_COOKIE].value
        # 16:59 UTC is 23:59 in Hanoi, still the same day; 17:00 UTC is the next day.
        with time_machine.travel(dt.datetime(2026, 3, 2, 16, 59, tzinfo=dt.UTC), tick=False):
            self.get(cookie=cookie)
        self.assertEqual(visits_on(self.today), 1)
        with time_machine.travel(dt.datetime(2026, 3, 2, 17, 0, tzinfo=dt.UTC), tick=False):
            self.get(cookie=cookie)
        self.assertEqual(visits_on(self.today + dt.timedelta(days=1)), 1)

    def test_the_visit_is_counted_in_one_upsert(self):
        request = self.factory.get("/", HTTP_USER_AGENT=BROWSER)
        request.COOKIES[VISITOR_COOKIE] = "visitor-cookie-upsert-0001"
        count_visit(request)
        with self.assertNumQueries(1):
            _add_visit(self.today)
        self.assertEqual(visits_on(self.today), 2)


def redis_caches():
    return {"default": {**cache_from_url(REDIS_TEST_URL), "KEY_PREFIX": "daotao-tests"}}


@override_settings(CACHES=redis_caches())
class RedisVisitCountingTests(VisitCountingTests):
    """The same rules with Redis keeping who was counted (CACHE_URL=redis://...)."""

    @classmethod
    def setUpClass(cls):
        require_redis()
        super().setUpClass()
