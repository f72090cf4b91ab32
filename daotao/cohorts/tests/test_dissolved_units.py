"""A new class, or a class moved to another host or opening date, is refused in a unit that
does not exist on its opening date (``org/validity.py``): in the class workbook import and
the admin. A class held before the unit was dissolved stays editable."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from daotao.cohorts.importing import ImportRejected, cohorts_import
from daotao.cohorts.models import Cohort, Enrollment
from daotao.cohorts.tests.workbooks import cohort_row, student_row, workbook
from daotao.org.tests.dissolved import dissolved_district
from daotao.org.validity import unit_problem
from daotao.testing import WorldTestCase, make_cohort

D = dt.date
OPEN = {"Ngày bế giảng": None, "Năm kế hoạch": None}  # still studying; the plan year kept


class DissolvedHostTestCase(WorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.district, cls.commune = dissolved_district(cls.province)
        cls.tc = cls.programs["TC-LLCT-HC"]
        cls.old_class = make_cohort("TC-H09-24", cls.tc, cls.district, D(2024, 9, 1))


class ImportTests(DissolvedHostTestCase):
    def counts(self):
        return Cohort.objects.count(), Enrollment.objects.count()

    def test_a_new_class_in_a_dissolved_district_refuses_the_file(self):
        before = self.counts()
        rows = [
            cohort_row("TC-OK"),
            cohort_row("TC-NEW", **{"Mã địa phương": "H09", "Ngày khai giảng": dt.datetime(2026, 3, 2), **OPEN}),
        ]
        with self.assertRaises(ImportRejected) as caught:
            cohorts_import(workbook(rows, [student_row("TC-OK"), student_row("TC-NEW", name="Lê Thị Hoa")]))
        self.assertEqual(self.counts(), before)
        [problem] = caught.exception.problems
        self.assertEqual((problem.sheet, problem.row, problem.column.split(" (")[0]), ("Lop", 3, "Mã địa phương"))
        self.assertEqual(problem.message, unit_problem(self.district, D(2026, 3, 2)))
        for part in ("Huyện Cũ (H09)", "30/06/2025", "02/03/2026", "Xã Mới Hợp"):
            self.assertIn(part, problem.message)

    def test_moving_an_old_class_past_the_end_is_refused(self):
        row = cohort_row("TC-H09-24", **{"Mã địa phương": "H09", "Ngày khai giảng": "01/09/2025", **OPEN})
        with self.assertRaises(ImportRejected) as caught:
            cohorts_import(workbook([row], [student_row("TC-H09-24")]))
        self.assertIn("30/06/2025", caught.exception.problems[0].message)

    def test_the_old_class_is_imported_again_with_its_students(self):
        row = cohort_row("TC-H09-24", **{"Mã địa phương": "H09", "Ngày khai giảng": dt.datetime(2024, 9, 1), **OPEN})
        result = cohorts_import(workbook([row], [student_row("TC-H09-24")]))
        self.assertEqual((result.cohorts.updated + result.cohorts.unchanged, result.enrollments.created), (1, 1))
        self.assertEqual(Enrollment.objects.filter(cohort=self.old_class).count(), 1)


class AdminTests(DissolvedHostTestCase):
    def setUp(self):
        self.client.force_login(self.superuser)

    def data(self, **changes):
        return {
            "code": "TC-H09-26", "name": "Lớp mới", "program": self.tc.pk, "mode": "non_concentrated",
            "funding": "supported", "host_locality": self.district.pk, "venue": "", "opening_date": "02/03/2026",
            "closing_date": "", "status": "open", "plan_year": "2026", "homeroom_lecturer": "", "notes": "",
            "enrollments-TOTAL_FORMS": 0, "enrollments-INITIAL_FORMS": 0,
            "enrollments-MIN_NUM_FORMS": 0, "enrollments-MAX_NUM_FORMS": 1000,
        } | changes  # fmt: skip

    def test_a_new_class_in_a_dissolved_district_is_refused_with_the_reason(self):
        response = self.client.post(reverse("admin:cohorts_cohort_add"), self.data())
        self.assertEqual(response.status_code, 200)
        errors = response.context["adminform"].form.errors["host_locality"]
        self.assertEqual(errors, [unit_problem(self.district, D(2026, 3, 2))])
        self.assertFalse(Cohort.objects.filter(code="TC-H09-26").exists())
        response = self.client.post(reverse("admin:cohorts_cohort_add"), self.data(host_locality=self.commune.pk))
        self.assertEqual(response.status_code, 302)

    def test_the_2024_class_is_still_edited(self):
        url = reverse("admin:cohorts_cohort_change", args=[self.old_class.pk])
        data = self.data(code="TC-H09-24", name="Lớp cũ", opening_date="01/09/2024", plan_year="2024")
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302, response.content[:2000])
        self.old_class.refresh_from_db()
        self.assertEqual(self.old_class.name, "Lớp cũ")
        response = self.client.post(url, data | {"opening_date": "01/09/2025"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("30/06/2025", response.context["adminform"].form.errors["host_locality"][0])
