"""A request's rows of who was counted and its increments commit together or not at all.

An increment is made to fail (a trigger refuses it) outside any test transaction, as in
production (autocommit): the request's rows and its other increment are not kept either,
so that the visitor counts when the request is retried. A process killed while it counts:
test_crash.py.
"""

import datetime as dt

import time_machine
from django.db import DatabaseError, connection
from django.test import TransactionTestCase

from daotao.portal.counting import Visitor, count
from daotao.portal.models import Article, Category, CountedKey, DailyVisits

TODAY = dt.date(2026, 3, 2)


def refuse(table: str, operation: str) -> None:
    """From now on every ``operation`` on ``table`` fails."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$"
            )
            cursor.execute(
                f"CREATE TRIGGER test_refuse BEFORE {operation} ON {table} FOR EACH ROW EXECUTE FUNCTION test_refuse()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER test_refuse BEFORE {operation} ON {table} BEGIN SELECT RAISE(ABORT, 'refused'); END"
            )


def allow(table: str) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER IF EXISTS test_refuse ON {table}")
            cursor.execute("DROP FUNCTION IF EXISTS test_refuse()")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS test_refuse")


@time_machine.travel(dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC), tick=False)
class AtomicCountingTests(TransactionTestCase):
    def setUp(self):
        category = Category.objects.create(name="Tin hoạt động", slug="tin-hoat-dong")
        self.article = Article.objects.create(
            title="Khai giảng", slug="khai-giang", category=category, status="published", body="<p>Nội dung</p>"
        )

    def state(self) -> tuple[int, int, int]:
        visits = DailyVisits.objects.filter(day=TODAY).values_list("visits", flat=True).first() or 0
        views = Article.objects.values_list("view_count", flat=True).get(pk=self.article.pk)
        return CountedKey.objects.count(), visits, views

    def test_a_failed_view_increment_keeps_no_row_and_no_visit(self):
        self.addCleanup(allow, "portal_article")
        refuse("portal_article", "UPDATE")
        visitor = Visitor(key="c:visitor-cookie-failing-0001")
        with self.assertRaises(DatabaseError):
            count(TODAY, visitor, visit=True, article_pk=self.article.pk)
        self.assertEqual(self.state(), (0, 0, 0))
        allow("portal_article")
        self.assertEqual(count(TODAY, visitor, visit=True, article_pk=self.article.pk), 1)  # the retry counts
        self.assertIsNone(count(TODAY, visitor, visit=True, article_pk=self.article.pk))  # once
        self.assertEqual(self.state(), (2, 1, 1))

    def test_a_failed_visit_increment_keeps_no_row(self):
        self.addCleanup(allow, "portal_dailyvisits")
        refuse("portal_dailyvisits", "INSERT")
        cookieless = Visitor(key="h:address-and-browser", aliases=["c:handed-out-cookie-0002"])
        with self.assertRaises(DatabaseError):
            count(TODAY, cookieless, visit=True, article_pk=self.article.pk)
        self.assertEqual(self.state(), (0, 0, 0))
