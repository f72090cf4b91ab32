"""The database cache with one-statement writes behaves as Django's database cache."""

import contextlib
import datetime as dt

import time_machine
from django.core.cache import caches
from django.db import connection, transaction
from django.test import TestCase, TransactionTestCase, override_settings
from django.test.utils import CaptureQueriesContext

from daotao.portal.models import Category
from daotao.testing import run_at_once

TABLE = "daotao_cache"


def cache_settings(location=TABLE, **options):
    return {
        "default": {"BACKEND": "daotao.lib.cache.DatabaseCache", "LOCATION": TABLE},
        "probe": {"BACKEND": "daotao.lib.cache.DatabaseCache", "LOCATION": location, "OPTIONS": options},
    }


@contextlib.contextmanager
def statements(test: TestCase, expected: int):
    """Like assertNumQueries, without the savepoints a test's transaction adds around each
    write (outside a transaction, as in a request, there are none)."""
    with CaptureQueriesContext(connection) as context:
        yield
    sql = [query["sql"] for query in context.captured_queries if "SAVEPOINT" not in query["sql"]]
    test.assertEqual(len(sql), expected, "\n".join(sql))


def rows_in_table() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {TABLE}")
        return cursor.fetchone()[0]


@time_machine.travel(dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC), tick=False)
@override_settings(CACHES=cache_settings(CHECK_SIZE_EVERY=1000))
class OneStatementWriteTests(TestCase):
    def setUp(self):
        self.cache = caches["probe"]
        self.cache.clear()

    def test_add_writes_an_absent_key_in_one_statement(self):
        with statements(self, 1):
            self.assertIs(self.cache.add("visitor", {"n": 1}, 60), True)
        self.assertEqual(self.cache.get("visitor"), {"n": 1})

    def test_add_leaves_a_live_key_alone(self):
        self.cache.set("visitor", "first", 60)
        with statements(self, 1):
            self.assertIs(self.cache.add("visitor", "second", 60), False)
        self.assertEqual(self.cache.get("visitor"), "first")

    def test_add_replaces_an_expired_key(self):
        self.cache.set("visitor", "yesterday", 60)
        with time_machine.travel(dt.datetime(2026, 3, 2, 3, 2, tzinfo=dt.UTC), tick=False):
            self.assertIs(self.cache.add("visitor", "today", 60), True)
            self.assertEqual(self.cache.get("visitor"), "today")

    def test_a_key_expires_after_its_timeout(self):
        self.cache.set("visitor", 1, 60)
        with time_machine.travel(dt.datetime(2026, 3, 2, 3, 0, 59, tzinfo=dt.UTC), tick=False):
            self.assertEqual(self.cache.get("visitor"), 1)
        with time_machine.travel(dt.datetime(2026, 3, 2, 3, 1, 1, tzinfo=dt.UTC), tick=False):
            self.assertIsNone(self.cache.get("visitor"))

    def test_set_overwrites_in_one_statement(self):
        self.cache.set("salt", "a", 60)
        with statements(self, 1):
            self.cache.set("salt", "b", 60)
        self.assertEqual(self.cache.get("salt"), "b")

    def test_set_many_and_versions(self):
        self.cache.set_many({"a": 1, "b": 2}, 60)
        self.cache.set("a", "v2", 60, version=2)
        self.assertEqual(self.cache.get_many(["a", "b"]), {"a": 1, "b": 2})
        self.assertEqual(self.cache.get("a", version=2), "v2")

    def test_no_timeout_keeps_a_key_for_ever(self):
        self.cache.set("offset", 4_419_761, None)
        self.assertIs(self.cache.add("offset", 0, None), False)
        with time_machine.travel(dt.datetime(2036, 3, 2, tzinfo=dt.UTC), tick=False):
            self.assertEqual(self.cache.get("offset"), 4_419_761)

    def test_a_zero_timeout_stores_nothing_readable(self):
        self.cache.set("gone", 1, 0)
        self.assertIsNone(self.cache.get("gone"))
        self.assertIs(self.cache.add("gone", 2, 60), True)
        self.assertEqual(self.cache.get("gone"), 2)

    def test_the_default_cache_uses_this_backend(self):
        from daotao.lib.cache import DatabaseCache
        from daotao.lib.env import cache_from_url

        self.assertEqual(cache_from_url("db://daotao_cache")["BACKEND"], "daotao.lib.cache.DatabaseCache")
        self.assertIsInstance(caches["default"], DatabaseCache)


@time_machine.travel(dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC), tick=False)
class SizeTests(TestCase):
    def empty_cache(self, **options):
        """The probe cache with these options, emptied."""
        self.enterContext(override_settings(CACHES=cache_settings(**options)))
        cache = caches["probe"]
        cache.clear()
        return cache

    def test_the_table_is_counted_on_one_write_in_check_size_every(self):
        cache = self.empty_cache(CHECK_SIZE_EVERY=4)
        for n in range(1, 9):
            with self.subTest(write=n), statements(self, 2 if n % 4 == 0 else 1):
                cache.add(f"key-{n}", n, 60)

    def test_a_full_table_is_culled_as_django_culls_it(self):
        cache = self.empty_cache(MAX_ENTRIES=10, CULL_FREQUENCY=2, CHECK_SIZE_EVERY=1)
        for n in range(40):
            cache.add(f"key-{n:02d}", n, 60)
            self.assertLessEqual(rows_in_table(), 11)
        self.assertEqual(cache.get("key-39"), 39)  # the newest write is kept

    def test_expired_keys_are_culled_first(self):
        cache = self.empty_cache(MAX_ENTRIES=10, CULL_FREQUENCY=2, CHECK_SIZE_EVERY=1)
        for n in range(8):
            cache.set(f"old-{n}", n, 60)
        for n in range(3):
            cache.set(f"live-{n}", n, 3600)
        with time_machine.travel(dt.datetime(2026, 3, 2, 3, 5, tzinfo=dt.UTC), tick=False):
            cache.set("live-3", 3, 3600)  # 11 rows > 10: the 8 expired ones go
            self.assertEqual(rows_in_table(), 4)
            self.assertEqual(cache.get_many([f"live-{n}" for n in range(4)]), {f"live-{n}": n for n in range(4)})

    def test_an_invalid_check_size_every_falls_back_to_the_default(self):
        self.assertEqual(self.empty_cache(CHECK_SIZE_EVERY="often")._check_size_every, 100)


class FailureTests(TestCase):
    @override_settings(CACHES=cache_settings(location="no_such_cache_table"))
    def test_a_failed_write_answers_false_and_leaves_the_transaction_usable(self):
        cache = caches["probe"]
        with transaction.atomic():
            Category.objects.create(name="Tin hoạt động", slug="tin-hoat-dong")
            self.assertIs(cache.add("visitor", 1, 60), False)
            cache.set("visitor", 1, 60)  # as Django's: a failed set is silent
            # On PostgreSQL a failed statement outside a savepoint would abort the transaction.
            Category.objects.create(name="Thông báo", slug="thong-bao")
        self.assertEqual(Category.objects.filter(slug__in=["tin-hoat-dong", "thong-bao"]).count(), 2)


@override_settings(CACHES=cache_settings(CHECK_SIZE_EVERY=1000))
class OutsideTransactionTests(TransactionTestCase):
    def test_a_write_in_autocommit_is_one_statement_without_savepoints(self):
        cache = caches["probe"]
        cache.clear()
        with self.assertNumQueries(1):
            self.assertIs(cache.add("visitor", 1, 60), True)
        with self.assertNumQueries(1):
            self.assertIs(cache.add("visitor", 1, 60), False)


@time_machine.travel(dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC), tick=False)
@override_settings(CACHES=cache_settings(CHECK_SIZE_EVERY=1000))
class IncrementTests(TestCase):
    """``incr`` keeps the key's expiry (a counter's window does not move with each count)."""

    def setUp(self):
        self.cache = caches["probe"]
        self.cache.clear()

    def test_adds_and_keeps_the_expiry(self):
        self.assertIs(self.cache.add("requests", 0, 60), True)
        with time_machine.travel(dt.datetime(2026, 3, 2, 3, 0, 50, tzinfo=dt.UTC), tick=False):
            with statements(self, 2):  # read under the lock, then written
                self.assertEqual(self.cache.incr("requests"), 1)
            self.assertEqual(self.cache.incr("requests", 5), 6)
            self.assertEqual(self.cache.decr("requests", 2), 4)
        with time_machine.travel(dt.datetime(2026, 3, 2, 3, 1, 1, tzinfo=dt.UTC), tick=False):
            self.assertIsNone(self.cache.get("requests"))  # Django's would keep it 300 s more

    def test_an_absent_or_expired_key_is_a_value_error(self):
        with self.assertRaises(ValueError):
            self.cache.incr("absent")
        self.cache.set("requests", 3, 60)
        with time_machine.travel(dt.datetime(2026, 3, 2, 3, 2, tzinfo=dt.UTC), tick=False):
            with self.assertRaises(ValueError):
                self.cache.incr("requests")

    def test_versions(self):
        self.cache.set("requests", 1, 60, version=2)
        self.assertEqual(self.cache.incr("requests", version=2), 2)
        with self.assertRaises(ValueError):
            self.cache.incr("requests")


@override_settings(CACHES=cache_settings(CHECK_SIZE_EVERY=1000))
class ConcurrentIncrementTests(TransactionTestCase):
    def test_every_concurrent_increment_counts(self):
        # Django's (read, then write) loses some of these: two threads read the same number.
        cache = caches["probe"]
        cache.clear()
        cache.set("requests", 0, 600)

        def count(times):
            for _n in range(times):
                caches["probe"].incr("requests")

        _results, errors = run_at_once(count, [25] * 6)
        self.assertEqual(errors, [])
        self.assertEqual(cache.get("requests"), 150)
