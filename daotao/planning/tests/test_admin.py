"""Changes to an approved plan through the admin are audited like the pages'."""

from __future__ import annotations

from django.urls import reverse

from daotao.audit.models import history
from daotao.planning.models import AnnualPlan, Quota
from daotao.planning.tests.base import PlanningTestCase

KEY = "quota TC-LLCT-HC / H01 / supported"


class AdminAuditTests(PlanningTestCase):
    def setUp(self):
        self.client.force_login(self.superuser)
        self.quota = Quota.objects.get(plan=self.plan, locality=self.h01)

    def quota_data(self, **changes):
        data = {
            "plan": self.plan.pk,
            "program": self.tc.pk,
            "locality": self.h01.pk,
            "funding": "supported",
            "classes": 1,
            "students": 80,
        }
        return data | changes

    def test_changing_and_deleting_a_quota_line(self):
        change = reverse("admin:planning_quota_change", args=[self.quota.pk])
        response = self.client.post(change, self.quota_data(students=90))
        self.assertEqual(response.status_code, 302, response.content[:2000])
        [entry] = history(self.plan)
        self.assertEqual(entry.action, "plan.admin.quota")
        self.assertEqual(entry.changes, {KEY: [{"classes": 1, "students": 80}, {"classes": 1, "students": 90}]})
        self.assertEqual(entry.user, self.superuser)
        response = self.client.post(reverse("admin:planning_quota_delete", args=[self.quota.pk]), {"post": "yes"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(history(self.plan).first().changes, {KEY: [{"classes": 1, "students": 90}, None]})

    def test_a_line_of_a_draft_plan_is_not_audited(self):
        draft = AnnualPlan.objects.create(year=2027)
        response = self.client.post(reverse("admin:planning_quota_add"), self.quota_data(plan=draft.pk))
        self.assertEqual(response.status_code, 302)
        self.assertFalse(history(draft).exists())

    def test_the_plan_and_its_inline_lines(self):
        quotas = list(self.plan.quotas.order_by("pk"))
        data = {
            "year": 2026, "title": "Kế hoạch 2026", "status": "approved", "decision_number": "15-QĐ/TCT",
            "decision_date": "10/01/2026", "notes": "",
            "quotas-TOTAL_FORMS": len(quotas), "quotas-INITIAL_FORMS": len(quotas),
            "quotas-MIN_NUM_FORMS": 0, "quotas-MAX_NUM_FORMS": 1000,
        }  # fmt: skip
        for index, quota in enumerate(quotas):
            data |= {
                f"quotas-{index}-id": quota.pk,
                f"quotas-{index}-plan": self.plan.pk,
                f"quotas-{index}-program": quota.program_id,
                f"quotas-{index}-locality": quota.locality_id,
                f"quotas-{index}-funding": quota.funding,
                f"quotas-{index}-classes": quota.classes,
                f"quotas-{index}-students": quota.students,
            }
        data["quotas-0-students"] = 85
        response = self.client.post(reverse("admin:planning_annualplan_change", args=[self.plan.pk]), data)
        self.assertEqual(response.status_code, 302, response.content[:3000])
        [entry] = history(self.plan)
        self.assertEqual(entry.action, "plan.admin")
        self.assertEqual(entry.changes["title"], ["", "Kế hoạch 2026"])
        self.assertEqual(entry.changes[KEY], [{"classes": 1, "students": 80}, {"classes": 1, "students": 85}])
        self.assertEqual(len(entry.changes), 2)
