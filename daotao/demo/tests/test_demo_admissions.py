"""The demo's current-year admissions: an approved plan for today's units, nominations in
every state, some localities below quota, a class opened from the admitted, and the
users of a commune coordinator and a sending agency."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from daotao.accounts.models import User
from daotao.admissions.models import Application, RuleException, Status
from daotao.admissions.progress import quota_progress
from daotao.audit.models import AuditEntry
from daotao.cohorts.models import Cohort, Enrollment
from daotao.demo import data
from daotao.org.models import UnitKind
from daotao.people.models import national_id_problem
from daotao.planning.models import AnnualPlan
from daotao.testing import DemoTestCase


def load_demo():
    call_command("load_demo", stdout=StringIO())


class DemoAdmissionsTests(DemoTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.year = timezone.localdate().year
        cls.office = User.objects.get(username="daotao")

    def test_an_approved_plan_for_todays_units(self):
        plan = AnnualPlan.objects.get(year=self.year)
        self.assertEqual((plan.status, plan.decision_number), ("approved", "05-QĐ/TU"))
        kinds = set(plan.quotas.values_list("locality__kind", flat=True))
        self.assertEqual(kinds, {UnitKind.COMMUNE, UnitKind.POLITICAL_CENTRE})
        for quota in plan.quotas.select_related("locality"):
            self.assertTrue(quota.locality.is_valid_on(timezone.localdate()), quota.locality)
        self.assertEqual(set(plan.quotas.values_list("program__code", flat=True)), {"TC-LLCT-HC", "BD-CVC"})
        # The 2020 plan keeps its districts.
        self.assertEqual(
            set(AnnualPlan.objects.get(year=2020).quotas.values_list("locality__kind", flat=True)),
            {UnitKind.DISTRICT},
        )

    def test_nominations_in_every_state_from_several_localities(self):
        applications = Application.objects.filter(plan__year=self.year)
        self.assertEqual(set(applications.values_list("status", flat=True)), set(Status.values))
        self.assertGreaterEqual(applications.values("locality").distinct().count(), 5)
        for number, born, gender in applications.values_list("national_id", "date_of_birth", "gender"):
            self.assertIsNone(national_id_problem(number, born, gender))
        self.assertEqual(applications.filter(agency__code="CQ-SNV").count(), 2)
        incomplete = applications.filter(status=Status.INCOMPLETE).first()
        self.assertTrue(incomplete.missing_documents)
        [exception] = RuleException.objects.filter(application__plan__year=self.year)
        self.assertEqual(exception.application.status, Status.ELIGIBLE)
        self.assertEqual(exception.decided_by, "Ban Thường vụ Tỉnh ủy")

    def test_decisions_and_placement_are_audited(self):
        admitted = Application.objects.filter(plan__year=self.year, status=Status.ADMITTED)
        self.assertTrue(admitted.exists() and not admitted.filter(student__isnull=True).exists())
        cohort = Cohort.objects.get(code=f"TCX01-{self.year}-01")
        self.assertEqual(cohort.host_locality.code, "TTCT-X01")
        placed = Enrollment.objects.filter(cohort=cohort)
        self.assertEqual(placed.count(), admitted.filter(locality__code="X01", program__code="TC-LLCT-HC").count())
        self.assertEqual(
            AuditEntry.objects.filter(action="admission.decision").count(),
            Application.objects.filter(plan__year=self.year, status__in=[Status.ADMITTED, Status.REJECTED]).count(),
        )

    def test_the_quota_page_shows_localities_below_quota(self):
        progress = quota_progress(self.year, self.office)
        not_met = {row.achieved.locality_code for row in progress.rows if not row.achieved.met}
        met = {row.achieved.locality_code for row in progress.rows if row.achieved.met}
        self.assertGreaterEqual(len(not_met), 3)
        self.assertTrue(met)
        self.assertTrue(any(row.nominations_short for row in progress.rows))
        self.client.force_login(self.office)
        self.assertContains(self.client.get("/admissions/quota/"), "Chưa đạt")

    def test_the_demo_users(self):
        coordinator = User.objects.get(username="diaphuong.x01")
        self.assertTrue(coordinator.check_password(data.DEMO_PASSWORD))
        self.assertEqual({row.achieved.locality_code for row in quota_progress(self.year, coordinator).rows}, {"X01"})
        agency = User.objects.get(username="coquan.snv")
        self.assertEqual(set(Application.objects.visible_to(agency).values_list("agency__code", flat=True)), {"CQ-SNV"})

    def test_loading_again_changes_nothing(self):
        counts = (Application.objects.count(), AuditEntry.objects.count(), Enrollment.objects.count())
        load_demo()
        self.assertEqual((Application.objects.count(), AuditEntry.objects.count(), Enrollment.objects.count()), counts)
