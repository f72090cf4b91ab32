"""Who counts as a visitor, that each visitor counts once a day, and what a counted request
writes: its rows of who was counted and its increments in one transaction."""

import datetime as dt
import random
from unittest import mock

import time_machine
from crawlerdetect import CrawlerDetect
from crawlerdetect.providers.crawlers import data as crawler_patterns
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.template import Context, Template
from django.test import RequestFactory, TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from daotao.lib.env import cache_from_url
from daotao.lib.liveserver import REDIS_TEST_URL, require_redis
from daotao.portal import counting
from daotao.portal.counting import (
    VISITOR_COOKIE,
    Visitor,
    begin_counting,
    count,
    counted_page,
    forget_old_days,
    is_crawler,
    key_digest,
    record_article_view,
)
from daotao.portal.crawlers import MAX_LENGTH
from daotao.portal.models import Article, CountedKey, DailyVisits
from daotao.portal.tests.world import PortalTestCase, make_article

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
TODAY = dt.date(2026, 3, 2)
# 03:00 UTC on 2 March 2026 is 10:00 in Hanoi.
MORNING = dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC)


@counted_page
def page(request):
    return HttpResponse("ok")


@counted_page
def page_with_box(request):
    return HttpResponse(Template("{% load portal_counters %}{% visitor_box %}").render(Context()))


def visits_on(day):
    return DailyVisits.objects.filter(day=day).values_list("visits", flat=True).first() or 0


def counted_rows(**filters) -> int:
    return CountedKey.objects.filter(alias=False, **filters).count()


def stored_text() -> str:
    """Every key and value the cache holds and every row of who was counted, as text."""
    if "redis" in settings.CACHES["default"]["BACKEND"].lower():
        client = cache._cache.get_client()
        cached = " ".join(f"{key!r} {client.get(key)!r}" for key in client.keys("*"))
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT cache_key, value FROM daotao_cache")
            cached = " ".join(f"{key} {value}" for key, value in cursor.fetchall())
    rows = " ".join(f"{row.day} {bytes(row.digest)!r} {row.article_id} {row.alias}" for row in CountedKey.objects.all())
    return f"{cached} {rows}"


@time_machine.travel(MORNING, tick=False)
class VisitCountingTests(TestCase):
    today = TODAY

    def setUp(self):
        cache.clear()
        counting._salt_read = None
        self.factory = RequestFactory()

    def get(self, user_agent=BROWSER, address="203.0.113.7", cookie=None, method="get", view=page):
        request = getattr(self.factory, method)("/", HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)
        if cookie:
            request.COOKIES[VISITOR_COOKIE] = cookie
        return view(request)

    def test_a_new_visitor_counts_once_and_gets_a_cookie(self):
        response = self.get()
        cookie = response.cookies[VISITOR_COOKIE]
        self.assertEqual(visits_on(self.today), 1)
        self.assertTrue(cookie["httponly"])
        self.assertEqual(cookie["samesite"], "Lax")
        self.get(cookie=cookie.value)
        self.get(cookie=cookie.value)
        self.assertEqual(visits_on(self.today), 1)
        self.assertEqual(counted_rows(day=self.today), 1)

    def test_a_visitor_refusing_cookies_counts_once_by_address_and_browser(self):
        self.get()
        self.get()
        self.assertEqual(visits_on(self.today), 1)
        self.get(user_agent=PHONE)
        self.get(address="198.51.100.20")
        self.assertEqual(visits_on(self.today), 3)
        self.assertEqual(counted_rows(day=self.today), 3)

    def test_no_address_cookie_or_browser_is_stored(self):
        response = self.get(address="203.0.113.77")
        cookie = response.cookies[VISITOR_COOKIE].value
        self.get(cookie=cookie)
        stored = stored_text()
        self.assertIn("portal:salt:", stored)
        for secret in ("203.0.113.77", BROWSER, cookie):
            self.assertNotIn(secret, stored)
        self.assertEqual({len(row.digest) for row in CountedKey.objects.all()}, {16})

    def test_the_salt_is_read_from_the_cache_once_per_process_and_day(self):
        self.get()  # reads (or makes) the day's salt
        with self.assertNumQueries(0):
            counting.identify(self.factory.get("/", HTTP_USER_AGENT=PHONE), self.today)
        # Another process (its memory empty) finds the same salt in the cache: the same visitor.
        first = counting.identify(self.factory.get("/", HTTP_USER_AGENT=PHONE), self.today).key
        counting._salt_read = None
        self.assertEqual(counting.identify(self.factory.get("/", HTTP_USER_AGENT=PHONE), self.today).key, first)
        # The next day has a salt of its own.
        tomorrow = counting.identify(self.factory.get("/", HTTP_USER_AGENT=PHONE), self.today + dt.timedelta(days=1))
        self.assertNotEqual(tomorrow.key, first)

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
        self.assertEqual(CountedKey.objects.count(), 0)
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
        self.assertEqual(CountedKey.objects.count(), 0)

    def test_the_next_local_day_counts_again(self):
        cookie = self.get().cookies[VISITOR_COOKIE].value
        # 16:59 UTC is 23:59 in Hanoi, still the same day; 17:00 UTC is the next day.
        with time_machine.travel(dt.datetime(2026, 3, 2, 16, 59, tzinfo=dt.UTC), tick=False):
            self.get(cookie=cookie)
        self.assertEqual(visits_on(self.today), 1)
        with time_machine.travel(dt.datetime(2026, 3, 2, 17, 0, tzinfo=dt.UTC), tick=False):
            self.get(cookie=cookie)
        self.assertEqual(visits_on(self.today + dt.timedelta(days=1)), 1)

    def test_the_visitor_box_includes_the_visitor(self):
        response = self.get(view=page_with_box)
        self.assertIn('data-counter="today">1<', response.content.decode())
        cookie = response.cookies[VISITOR_COOKIE].value
        response = self.get(cookie=cookie, view=page_with_box)
        self.assertIn('data-counter="today">1<', response.content.decode())
        self.assertEqual(visits_on(self.today), 1)

    def test_a_failed_page_still_counts_its_visit(self):
        @counted_page
        def failing(request):
            raise LookupError("the page failed")

        request = self.factory.get("/", HTTP_USER_AGENT=BROWSER)
        with self.assertRaises(LookupError):
            failing(request)
        self.assertEqual(visits_on(self.today), 1)

    def test_a_visit_is_one_transaction_and_a_counted_visitor_writes_nothing(self):
        visitor = Visitor(key="c:visitor-cookie-statements-0001")
        with CaptureQueriesContext(connection) as first:
            count(self.today, visitor, visit=True)
        with CaptureQueriesContext(connection) as again:
            count(self.today, visitor, visit=True)
        self.assertEqual(visits_on(self.today), 1)
        if connection.vendor == "postgresql":
            self.assertEqual(len(first), 1)
            self.assertEqual(len(again), 1)  # the insert finds the row: nothing else runs
        else:
            statements = [query["sql"].split()[0].upper() for query in first]
            self.assertEqual(statements, ["SELECT", "SAVEPOINT", "INSERT", "INSERT", "RELEASE"])
            self.assertEqual([query["sql"].split()[0].upper() for query in again], ["SELECT"])


@time_machine.travel(MORNING, tick=False)
class ArticleViewCountingTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.article = make_article(cls.training)
        cls.other = make_article(cls.training)

    def setUp(self):
        cache.clear()
        counting._salt_read = None
        self.factory = RequestFactory()

    def request(self, cookie=None, user_agent=BROWSER):
        request = self.factory.get("/", HTTP_USER_AGENT=user_agent, REMOTE_ADDR="203.0.113.9")
        if cookie:
            request.COOKIES[VISITOR_COOKIE] = cookie
        begin_counting(request)
        return request

    def views(self, article=None) -> int:
        return Article.objects.values_list("view_count", flat=True).get(pk=(article or self.article).pk)

    def row_versions(self) -> list:
        """Where the article's and the day's rows are stored: any write moves them (PostgreSQL)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT (SELECT ctid::text FROM portal_article WHERE id = %s), "
                "(SELECT ctid::text FROM portal_dailyvisits WHERE day = %s)",
                [self.article.pk, TODAY],
            )
            return list(cursor.fetchone())

    def test_an_article_page_counts_the_visit_and_the_view_in_one_transaction(self):
        request = self.request(cookie="visitor-cookie-article-0001")
        with CaptureQueriesContext(connection) as captured:
            shown = record_article_view(request, self.article)
        self.assertEqual((shown, self.views(), visits_on(TODAY)), (1, 1, 1))
        statements = [query["sql"].split()[0].upper() for query in captured]
        if connection.vendor == "postgresql":
            self.assertEqual(statements, ["WITH"])
        else:
            self.assertEqual(statements, ["SELECT", "SAVEPOINT", "INSERT", "INSERT", "UPDATE", "RELEASE"])
        self.assertFalse(request.portal_visit_pending)
        self.assertEqual(counted_rows(article_id=None), 1)
        self.assertEqual(counted_rows(article_id=self.article.pk), 1)

    def test_a_returning_visitor_writes_nothing(self):
        record_article_view(self.request(cookie="visitor-cookie-article-0002"), self.article)
        request = self.request(cookie="visitor-cookie-article-0002")
        article = Article.objects.get(pk=self.article.pk)
        before = self.row_versions() if connection.vendor == "postgresql" else None
        with CaptureQueriesContext(connection) as captured:
            shown = record_article_view(request, article)
        self.assertEqual((shown, self.views(), visits_on(TODAY)), (1, 1, 1))
        self.assertEqual(len(captured), 1)
        if connection.vendor == "postgresql":
            self.assertEqual(self.row_versions(), before)  # neither hot row was written
        else:
            self.assertTrue(captured[0]["sql"].startswith("SELECT"))  # a read, no write lock

    def test_another_article_is_another_view_but_the_same_visit(self):
        record_article_view(self.request(cookie="visitor-cookie-article-0003"), self.article)
        record_article_view(self.request(cookie="visitor-cookie-article-0003"), self.other)
        self.assertEqual((self.views(), self.views(self.other), visits_on(TODAY)), (1, 1, 1))

    def test_a_visitor_without_cookie_is_marked_under_the_cookie_handed_out(self):
        request = self.request()
        self.assertEqual(record_article_view(request, self.article), 1)
        cookie = request.portal_visitor.new_cookie
        self.assertEqual(CountedKey.objects.filter(alias=True).count(), 2)  # the visit's and the view's
        record_article_view(self.request(cookie=cookie), self.article)  # the next page, with the cookie
        record_article_view(self.request(), self.article)  # or again without it
        self.assertEqual((self.views(), visits_on(TODAY)), (1, 1))
        self.assertEqual(counted_rows(), 2)

    def test_the_counters_equal_the_rows(self):
        for n in range(6):
            record_article_view(self.request(cookie=f"visitor-cookie-rows-{n % 4:04d}"), self.article)
            record_article_view(self.request(user_agent=f"{BROWSER} Edition/{n % 3}"), self.other)
        self.assertEqual(visits_on(TODAY), counted_rows(day=TODAY, article_id=None))
        self.assertEqual(self.views(), counted_rows(article_id=self.article.pk))
        self.assertEqual(self.views(self.other), counted_rows(article_id=self.other.pk))
        self.assertEqual((visits_on(TODAY), self.views(), self.views(self.other)), (7, 4, 3))

    def test_counting_without_returning_rows_gives_the_same(self):
        """The transaction of raw statements (SQLite's way, PostgreSQL can run it too), as on
        SQLite before 3.35 without RETURNING: rows inserted one at a time, changes counted."""
        no_returning = mock.patch.object(connection.features, "can_return_columns_from_insert", False)
        no_returning.start()
        self.addCleanup(no_returning.stop)
        day = connection.ops.adapt_datefield_value(TODAY)

        def view(visitor):
            rows = counting._rows(TODAY, visitor, True, self.article.pk)
            return counting._count_in_transaction(connection, day, rows, True, self.article.pk)

        cookieless = Visitor(key="h:address-and-browser", aliases=["c:handed-out-cookie-0001"])
        shown = [view(cookieless), view(Visitor(key="c:handed-out-cookie-0001")), view(Visitor(key="c:other-0001"))]
        self.assertEqual(shown, [1, None, 2])
        self.assertEqual((visits_on(TODAY), self.views()), (2, 2))
        self.assertEqual((counted_rows(), CountedKey.objects.filter(alias=True).count()), (4, 2))


@time_machine.travel(MORNING, tick=False)
class OldDaysTests(TestCase):
    def rows_of(self, *days):
        CountedKey.objects.bulk_create(
            CountedKey(day=day, digest=key_digest(day, "visit", f"c:visitor-{n}"), article_id=None)
            for day in days
            for n in range(3)
        )

    def days_left(self):
        return sorted(set(CountedKey.objects.values_list("day", flat=True)))

    def test_days_before_yesterday_are_deleted_in_batches(self):
        days = [TODAY - dt.timedelta(days=n) for n in range(4)]
        self.rows_of(*days)
        self.assertEqual(forget_old_days(TODAY, batch=4), 4)
        self.assertEqual(forget_old_days(TODAY, batch=4), 2)
        self.assertEqual(forget_old_days(TODAY, batch=4), 0)
        self.assertEqual(self.days_left(), [TODAY - dt.timedelta(days=1), TODAY])

    def test_counting_deletes_them_once_per_process_and_day(self):
        self.rows_of(TODAY - dt.timedelta(days=5), TODAY - dt.timedelta(days=2))
        counting._forgotten_on = None
        self.addCleanup(setattr, counting, "_forgotten_on", None)
        request = RequestFactory().get("/", HTTP_USER_AGENT=BROWSER)
        request.COOKIES[VISITOR_COOKIE] = "visitor-cookie-forgetting-1"
        begin_counting(request)
        counting.count_pending_visit(request)
        self.assertEqual(self.days_left(), [TODAY])
        self.assertEqual(counting._forgotten_on, TODAY)
        # Done for today in this process: the next counted request deletes nothing.
        request = RequestFactory().get("/", HTTP_USER_AGENT=BROWSER)
        begin_counting(request)
        with CaptureQueriesContext(connection) as captured:
            counting.count_pending_visit(request)
        self.assertFalse(any(query["sql"].startswith("DELETE") for query in captured))
        self.assertEqual(visits_on(TODAY), 2)


class CrawlerRuleTests(TestCase):
    def test_the_same_answers_as_crawlerdetect(self):
        """The faster matcher answers as crawlerdetect does: its own patterns, written out as
        user agents, cut short, in other case, and real browsers."""
        samples = [BROWSER, PHONE, *CRAWLERS, "Mozilla/5.0", "okhttp/4.9.3", "Java/17", "HeadlessChrome"]
        for pattern in crawler_patterns:
            text = pattern.replace("\\", "").lstrip("^").rstrip("$")
            samples += [text, text.upper(), f"Mozilla/5.0 (compatible; {text}/1.0)", f"{BROWSER} {text.lower()}x"]
        rng = random.Random(21)
        for _ in range(3000):
            text = rng.choice(crawler_patterns).replace("\\", "")
            samples.append(BROWSER[: rng.randint(0, len(BROWSER))] + text[: rng.randint(1, len(text))])
        reference = CrawlerDetect()
        differ = [sample for sample in samples if is_crawler(sample) != reference.is_crawler(sample.strip() or "")]
        # crawlerdetect calls an empty user agent no crawler; the portal does not count it either.
        self.assertEqual([sample for sample in differ if sample.strip()], [])
        self.assertGreater(sum(map(is_crawler, samples)), len(samples) // 2)

    def test_an_overlong_user_agent_is_no_browser(self):
        """Made to be slow (crawlerdetect spent seconds on 8.000 letters): not counted."""
        self.assertFalse(is_crawler(BROWSER + " " + "a" * (MAX_LENGTH - len(BROWSER) - 1)))
        self.assertTrue(is_crawler(BROWSER + " " + "a" * (MAX_LENGTH - len(BROWSER))))
        self.assertTrue(is_crawler("Mozilla/5.0 " + "a" * 8000))


def redis_caches():
    return {"default": {**cache_from_url(REDIS_TEST_URL), "KEY_PREFIX": "daotao-tests"}}


@override_settings(CACHES=redis_caches())
class RedisVisitCountingTests(VisitCountingTests):
    """The same rules with Redis keeping the day's salt (CACHE_URL=redis://...)."""

    @classmethod
    def setUpClass(cls):
        require_redis()
        super().setUpClass()


@time_machine.travel(MORNING, tick=False)
class PreparedStatementTests(PortalTestCase):
    """On PostgreSQL the counting statement is prepared once per connection where queries
    are not logged (production); the same counts either way."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.article = make_article(cls.training)

    def test_the_statement_is_prepared_and_counts_the_same(self):
        visitors = [Visitor(key=f"c:prepared-visitor-{n % 3:04d}") for n in range(8)]
        shown = [count(TODAY, visitor, visit=True, article_pk=self.article.pk) for visitor in visitors]
        self.assertEqual(shown, [1, 2, 3, None, None, None, None, None])
        self.assertEqual(visits_on(TODAY), 3)
        self.assertEqual((counted_rows(article_id=None), counted_rows(article_id=self.article.pk)), (3, 3))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT statement FROM pg_prepared_statements WHERE statement LIKE 'WITH seen AS%%'")
                self.assertEqual(len(cursor.fetchall()), 1)
            self.assertIsNone(connection.connection.prepare_threshold)  # Django's setting kept
