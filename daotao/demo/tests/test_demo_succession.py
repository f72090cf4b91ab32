"""The demo's reorganised commune: Thành phố Bình An (H01) ended on 30/06/2025 and Phường
Bình An (X01) took it over; H01's Trung cấp class of 2024 still runs, and X01's
coordinator (``diaphuong.x01``) follows it and counts it as carried over in 2026."""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.html import escape

from daotao.accounts.models import User
from daotao.cohorts.models import Cohort
from daotao.demo import data
from daotao.org.models import Succession
from daotao.reports import document_words, engine, exports
from daotao.reports.annual import annual_report
from daotao.testing import DemoTestCase


class DemoSuccessionTests(DemoTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cohort = Cohort.objects.get(host_locality__code="H01", opening_date=data.TC_ACROSS_2025[2])
        cls.commune = User.objects.get(username="diaphuong.x01")
        cls.district = User.objects.get(username="diaphuong.h04")

    def test_every_district_was_taken_over_by_its_commune_on_1_7_2025(self):
        links = Succession.objects.filter(predecessor__kind="district").select_related("predecessor", "successor")
        self.assertEqual(
            {(link.predecessor.code, link.successor.code, link.effective_date) for link in links},
            {(code, commune, data.COMMUNES_START) for code, _name, commune, _cname in data.DISTRICTS},
        )

    def test_the_communes_coordinator_opens_the_district_class_and_sees_it_listed(self):
        self.client.force_login(self.commune)
        self.assertEqual(self.client.get(reverse("cohorts:detail", args=[self.cohort.code])).status_code, 200)
        self.assertContains(self.client.get(reverse("cohorts:list")), self.cohort.code)
        self.client.force_login(self.district)  # another locality's coordinator
        self.assertEqual(self.client.get(reverse("cohorts:detail", args=[self.cohort.code])).status_code, 404)

    def test_the_2026_report_counts_it_as_carried_over(self):
        spec = engine.CountSpec(
            engine.Period.year(2026),
            engine.CARRIED_OVER,
            engine.CohortFilter(programs=("TC-LLCT-HC",), mode="non_concentrated"),
        )
        counts = engine.count(spec, User.objects.get(pk=self.commune.pk))
        self.assertEqual((counts.classes, counts.students), (1, self.cohort.enrollments.counted().count()))
        # The district's classes that closed long before 2025 stay with the school.
        self.assertFalse(Cohort.objects.visible_to(self.commune).exclude(pk=self.cohort.pk).filter(
            host_locality__code="H01"
        ).exists())  # fmt: skip

    def test_by_todays_units_phuong_binh_an_counts_the_districts_2020_classes(self):
        period = engine.Period(dt.date(2020, 1, 1), dt.date(2020, 12, 31))
        today = engine.CountSpec(period, engine.OPENED, engine.CohortFilter(locality="X01"))
        then = engine.CountSpec(period, engine.OPENED, engine.CohortFilter(locality="X01", units=engine.UNITS_THEN))
        district = engine.CountSpec(period, engine.OPENED, engine.CohortFilter(locality="H01"))
        office = User.objects.get(username="daotao")
        by_today, as_then, of_district = engine.count_many([today, then, district], office)
        self.assertEqual(by_today, of_district)
        self.assertGreater(by_today.classes, 0)
        self.assertEqual(as_then, engine.Counts(0, 0))

    def test_the_report_says_which_view_it_uses_and_as_then_leaves_the_district_class_out(self):
        commune = User.objects.get(pk=self.commune.pk)
        today = annual_report(2026, commune)
        then = annual_report(2026, User.objects.get(pk=self.commune.pk), units=engine.UNITS_THEN)
        self.assertEqual(today.as_dict()["units"]["view"], "today")
        self.assertEqual(then.as_dict()["units"]["view"], "then")
        self.assertNotEqual(today.units_line, then.units_line)
        carried = {line.line.key: line.counts for line in today.lines if line.line.relation == engine.CARRIED_OVER}
        carried_then = {line.line.key: line.counts for line in then.lines if line.line.relation == engine.CARRIED_OVER}
        students = self.cohort.enrollments.counted().count()
        self.assertIn(engine.Counts(1, students), carried.values())
        # As units were then the class was the district's, not the commune's.
        self.assertTrue(all(counts.classes == 0 for counts in carried_then.values()))

    def test_the_page_offers_both_views_and_says_which_it_uses(self):
        self.client.force_login(self.commune)
        page = self.client.get(reverse("reports:annual"), {"year": 2026})
        self.assertContains(page, 'id="units-view"')
        self.assertContains(page, escape(engine.units_line(engine.UNITS_TODAY)))
        page = self.client.get(reverse("reports:annual"), {"year": 2026, "units": "then"})
        self.assertContains(page, escape(engine.units_line(engine.UNITS_THEN)))
        self.assertContains(page, "units=then")  # the downloads keep the view
        download = self.client.get(reverse("reports:annual_download", args=[2026, "xlsx"]), {"units": "then"})
        self.assertEqual(download.status_code, 200)
        bad = self.client.get(reverse("reports:annual"), {"year": 2026, "units": "tomorrow"})
        self.assertEqual(bad.status_code, 200)
        self.assertIsNone(bad.context["report"])

    def test_the_documents_say_which_view_they_use(self):
        text = exports.report_text(annual_report(2026, User.objects.get(pk=self.commune.pk), units=engine.UNITS_THEN))
        self.assertIn(document_words.UNITS_LINES["then"], text)
        out = io.StringIO()
        call_command("period_report", "--from", "01/01/2026", "--to", "30/06/2026", "--units", "then", stdout=out)
        self.assertIn(document_words.UNITS_LINES["then"], out.getvalue())
        with self.assertRaisesMessage(CommandError, "--units"):
            call_command("annual_report", "--year", "2026", "--units", "tomorrow", stdout=io.StringIO())
