"""Quota lines are refused for a locality that existed on no day of the plan year
(``org/validity.py``), in the import and the admin; lines of earlier years stay editable."""

from __future__ import annotations

from django.urls import reverse

from daotao.audit.models import AuditEntry
from daotao.cohorts.importing import ImportRejected
from daotao.org.tests.dissolved import dissolved_district
from daotao.org.validity import unit_problem
from daotao.planning.importing import quotas_import
from daotao.planning.models import AnnualPlan, Quota
from daotao.planning.tests.base import PlanningTestCase, workbook


class DissolvedQuotaTestCase(PlanningTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.district, cls.commune = dissolved_district(cls.province)
        cls.plan_2025 = AnnualPlan.objects.create(year=2025)
        cls.old_line = Quota.objects.create(
            plan=cls.plan_2025, program=cls.tc, locality=cls.district, funding="supported", classes=1, students=50
        )


class QuotaImportTests(DissolvedQuotaTestCase):
    def test_a_2026_line_for_a_dissolved_district_refuses_the_whole_file(self):
        before = (list(Quota.objects.values_list("pk", "classes", "students")), AuditEntry.objects.count())
        with self.assertRaises(ImportRejected) as caught:
            quotas_import(
                workbook(
                    ("TC-LLCT-HC", "H03", "supported", 1, 70),  # a good row: not written either
                    ("TC-LLCT-HC", "h09", "supported", 1, 50),
                ),
                2026,
                self.office,
            )
        [problem] = caught.exception.problems
        self.assertEqual((problem.sheet, problem.row, problem.column.split(" (")[0]), ("ChiTieu", 3, "Mã địa phương"))
        self.assertEqual(problem.message, unit_problem(self.district, 2026))
        for part in ("Huyện Cũ (H09)", "30/06/2025", "2026", "Xã Mới Hợp"):
            self.assertIn(part, problem.message)
        self.assertEqual(
            before, (list(Quota.objects.values_list("pk", "classes", "students")), AuditEntry.objects.count())
        )

    def test_a_commune_created_in_2025_is_refused_for_2024_and_taken_for_2026(self):
        with self.assertRaises(ImportRejected) as caught:
            quotas_import(workbook(("TC-LLCT-HC", "H09-X", "supported", 1, 40)), 2024, self.office)
        self.assertIn("01/07/2025", caught.exception.problems[0].message)
        result = quotas_import(workbook(("TC-LLCT-HC", "H09-X", "supported", 1, 40)), 2026, self.office)
        self.assertEqual(result.lines.created, 1)

    def test_the_2025_line_of_the_district_can_still_be_updated(self):
        result = quotas_import(workbook(("TC-LLCT-HC", "H09", "supported", 2, 60)), 2025, self.office)
        self.assertEqual(result.lines.updated, 1)
        self.old_line.refresh_from_db()
        self.assertEqual((self.old_line.classes, self.old_line.students), (2, 60))


class QuotaAdminTests(DissolvedQuotaTestCase):
    def setUp(self):
        self.client.force_login(self.superuser)

    def data(self, plan, locality, **changes):
        return {
            "plan": plan.pk, "program": self.tc.pk, "locality": locality.pk, "funding": "supported",
            "classes": 1, "students": 50,
        } | changes  # fmt: skip

    def test_a_new_line_for_a_dissolved_district_is_refused_with_the_reason(self):
        response = self.client.post(reverse("admin:planning_quota_add"), self.data(self.plan, self.district))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["adminform"].form.errors["locality"], [unit_problem(self.district, 2026)])
        self.assertFalse(Quota.objects.filter(plan=self.plan, locality=self.district).exists())

    def test_an_old_line_is_still_edited_but_not_moved_to_a_year_after_the_end(self):
        url = reverse("admin:planning_quota_change", args=[self.old_line.pk])
        response = self.client.post(url, self.data(self.plan_2025, self.district, students=55))
        self.assertEqual(response.status_code, 302)
        self.old_line.refresh_from_db()
        self.assertEqual(self.old_line.students, 55)
        response = self.client.post(url, self.data(self.plan, self.district))
        self.assertEqual(response.status_code, 200)
        self.assertIn("locality", response.context["adminform"].form.errors)
        self.old_line.refresh_from_db()
        self.assertEqual(self.old_line.plan, self.plan_2025)

    def test_an_inline_line_of_the_plan_page(self):
        url = reverse("admin:planning_annualplan_change", args=[self.plan.pk])
        quotas = list(self.plan.quotas.order_by("pk"))
        data = {
            "year": 2026, "title": "", "status": "approved", "decision_number": "15-QĐ/TCT",
            "decision_date": "10/01/2026", "notes": "",
            "quotas-TOTAL_FORMS": len(quotas) + 1, "quotas-INITIAL_FORMS": len(quotas),
            "quotas-MIN_NUM_FORMS": 0, "quotas-MAX_NUM_FORMS": 1000,
        }  # fmt: skip
        for index, quota in enumerate([*quotas, None]):
            data |= {
                f"quotas-{index}-id": quota.pk if quota else "",
                f"quotas-{index}-plan": self.plan.pk,
                f"quotas-{index}-program": self.tc.pk,
                f"quotas-{index}-locality": quota.locality_id if quota else self.district.pk,
                f"quotas-{index}-funding": "supported",
                f"quotas-{index}-classes": 1,
                f"quotas-{index}-students": quota.students if quota else 30,
            }
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200)
        [formset] = response.context["inline_admin_formsets"]
        self.assertEqual(formset.formset.errors[-1]["locality"], [unit_problem(self.district, 2026)])
        self.assertEqual(self.plan.quotas.count(), len(quotas))
        data[f"quotas-{len(quotas)}-locality"] = self.commune.pk
        self.assertEqual(self.client.post(url, data).status_code, 302)
        self.assertEqual(self.plan.quotas.count(), len(quotas) + 1)
