"""The admin pages the training office works in most make as many queries for 30 rows as
for 3 (no query per row)."""

import datetime as dt
import itertools

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from daotao.org.models import Succession, UnitKind
from daotao.planning.models import AnnualPlan, Quota
from daotao.testing import WorldTestCase, enroll, make_cohort, make_student, make_unit, make_user

SERIAL = itertools.count(1)


class AdminQueryCountTests(WorldTestCase):
    def setUp(self):
        self.client.force_login(self.superuser)

    def assert_constant(self, url, add_rows):
        """``add_rows(n)`` adds n rows to what ``url`` shows; 3 rows and 30 cost the same."""
        add_rows(3)
        self.client.get(url)  # warm the session
        with CaptureQueriesContext(connection) as few:
            self.assertEqual(self.client.get(url).status_code, 200)
        add_rows(27)
        with self.assertNumQueries(len(few)):
            self.assertEqual(self.client.get(url).status_code, 200)

    def test_unit_list(self):
        def add_units(count):
            for _ in range(count):
                code = f"U{next(SERIAL)}"
                parent = make_unit(f"{code}P", f"Huyện {code}", UnitKind.DISTRICT, self.province)
                successor = make_unit(f"{code}S", f"Xã {code}", UnitKind.COMMUNE, self.province)
                centre = make_unit(code, f"Trung tâm {code}", UnitKind.POLITICAL_CENTRE, parent)
                Succession.objects.create(predecessor=centre, successor=successor, effective_date=dt.date(2025, 7, 1))

        self.assert_constant(reverse("admin:org_unit_changelist"), add_units)

    def test_user_list(self):
        def add_users(count):
            for _ in range(count):
                make_user(f"u{next(SERIAL)}", unit=self.h01)

        self.assert_constant(reverse("admin:accounts_user_changelist"), add_users)

    def test_cohort_page_with_its_enrollments(self):
        cohort = make_cohort("TC-01/2020", self.programs["TC-LLCT-HC"], self.h01, dt.date(2020, 3, 2))
        self.assert_constant(reverse("admin:cohorts_cohort_change", args=[cohort.pk]), lambda n: enroll(cohort, n))

    def test_student_page_with_its_enrollments(self):
        student = make_student("Trần Thị Ngọc Diệp", locality=self.h01)

        def add_enrollments(count):
            for _ in range(count):
                cohort = make_cohort(f"K{next(SERIAL)}", self.programs["BD-CV"], self.h02, dt.date(2020, 3, 2))
                cohort.enrollments.create(student=student)

        self.assert_constant(reverse("admin:people_student_change", args=[student.pk]), add_enrollments)

    def test_plan_page_with_its_quotas(self):
        plan = AnnualPlan.objects.create(year=2020)

        def add_quotas(count):
            for _ in range(count):
                locality = make_unit(f"Q{next(SERIAL)}", "Huyện", UnitKind.DISTRICT, self.province)
                Quota.objects.create(plan=plan, program=self.programs["TC-LLCT-HC"], locality=locality, classes=1)

        self.assert_constant(reverse("admin:planning_annualplan_change", args=[plan.pk]), add_quotas)
