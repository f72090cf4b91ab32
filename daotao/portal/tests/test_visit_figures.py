"""The visitor box: today, yesterday, this week (from Monday), this month, all time."""

import datetime as dt

import time_machine
from django.core.cache import cache
from django.template import Context, Template
from django.test import TestCase

from daotao.portal.counting import first_day_read, visit_figures
from daotao.portal.models import DailyVisits, VisitOffset


def at_local(year, month, day, hour=12, minute=0):
    """A moment given in Hanoi time (UTC+7)."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.timezone(dt.timedelta(hours=7)))


class VisitFiguresTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        # One row per day from 1 Dec 2025 to 31 Mar 2026; a day's visits = its day of month.
        day = dt.date(2025, 12, 1)
        rows = []
        while day <= dt.date(2026, 3, 31):
            rows.append(DailyVisits(day=day, visits=day.day))
            day += dt.timedelta(days=1)
        DailyVisits.objects.bulk_create(rows)
        cls.total = sum(row.visits for row in rows)

    def setUp(self):
        cache.clear()

    def figures_at(self, moment):
        with time_machine.travel(moment, tick=False):
            return visit_figures()

    def test_a_wednesday_in_mid_month(self):
        # Wednesday 18 March 2026: the week began on Monday 16.
        figures = self.figures_at(at_local(2026, 3, 18))
        self.assertEqual(figures.today, 18)
        self.assertEqual(figures.yesterday, 17)
        self.assertEqual(figures.this_week, 16 + 17 + 18)
        self.assertEqual(figures.this_month, sum(range(1, 19)))

    def test_the_day_follows_hanoi_time_not_utc(self):
        # 23:30 on Tuesday 17 March in Hanoi is 16:30 UTC; 00:30 on the 18th is 17:30 UTC the 17th.
        self.assertEqual(self.figures_at(at_local(2026, 3, 17, 23, 30)).today, 17)
        self.assertEqual(self.figures_at(at_local(2026, 3, 18, 0, 30)).today, 18)

    def test_a_monday_starts_a_new_week(self):
        figures = self.figures_at(at_local(2026, 3, 16, 0, 5))
        self.assertEqual(figures.this_week, 16)
        self.assertEqual(figures.yesterday, 15)

    def test_a_week_that_began_last_month(self):
        # Tuesday 3 February 2026: the week began on Monday 2 February... and Sunday 1 March
        # 2026 closes a week that began on Monday 23 February.
        figures = self.figures_at(at_local(2026, 3, 1))
        self.assertEqual(figures.this_month, 1)
        self.assertEqual(figures.yesterday, 28)
        self.assertEqual(figures.this_week, 23 + 24 + 25 + 26 + 27 + 28 + 1)

    def test_new_year(self):
        figures = self.figures_at(at_local(2026, 1, 1, 0, 0))
        self.assertEqual(figures.today, 1)
        self.assertEqual(figures.yesterday, 31)
        self.assertEqual(figures.this_month, 1)
        # Thursday 1 January 2026: the week began on Monday 29 December 2025.
        self.assertEqual(figures.this_week, 29 + 30 + 31 + 1)

    def test_all_time_adds_the_visits_of_the_previous_site(self):
        self.assertEqual(self.figures_at(at_local(2026, 3, 31)).all_time, self.total)
        VisitOffset.objects.update_or_create(pk=1, defaults={"visits": 4_400_000})
        self.assertEqual(self.figures_at(at_local(2026, 3, 31)).all_time, self.total + 4_400_000)
        # Before the last row: the figure counts only what had happened by then.
        self.assertEqual(
            self.figures_at(at_local(2026, 1, 10)).all_time,
            4_400_000 + sum(range(1, 32)) + sum(range(1, 11)),
        )

    def test_the_offset_is_one_row(self):
        VisitOffset(visits=10).save()
        VisitOffset(visits=20).save()
        self.assertEqual(VisitOffset.objects.count(), 1)
        self.assertEqual(VisitOffset.current(), 20)

    def test_at_most_31_rows_are_read(self):
        day = dt.date(2024, 1, 1)
        while day.year < 2027:  # every day of three years, a leap year among them
            self.assertLessEqual((day - first_day_read(day)).days + 1, 31, day)
            day += dt.timedelta(days=1)
        with time_machine.travel(at_local(2026, 3, 31), tick=False):
            visit_figures()  # fills the cached sum of the days before the window
            # The window's rows, the cached older sum (a query with the database cache), the offset.
            with self.assertNumQueries(3):
                visit_figures()

    def test_the_box_is_written_the_vietnamese_way(self):
        VisitOffset.objects.update_or_create(pk=1, defaults={"visits": 4_400_000})
        with time_machine.travel(at_local(2026, 3, 31), tick=False):
            html = Template("{% load portal_counters %}{% visitor_box %}").render(Context())
        self.assertIn("Hôm nay", html)
        self.assertIn('data-counter="today">31<', html)
        self.assertIn(f'data-counter="all">{self.total + 4_400_000:,}<'.replace(",", "."), html)
