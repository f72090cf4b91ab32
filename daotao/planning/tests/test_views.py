"""The plan pages: who may read, edit, approve and import; approval and its audit."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from daotao.audit.models import history
from daotao.planning.models import AnnualPlan, Quota
from daotao.planning.tests.base import PlanningTestCase, workbook

LIST = reverse("planning:list")


def url(name, year=2026):
    return reverse(f"planning:{name}", args=[year])


def upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("chi-tieu.xlsx", data)


class PlanPageTests(PlanningTestCase):
    def test_staff_read_the_plan(self):
        self.client.force_login(self.board)
        response = self.client.get(url("detail"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(response.context["quotas"]), 2)
        self.assertNotIn("approval_form", response.context)
        self.assertContains(response, "15-QĐ/TCT")
        self.assertContains(response, "10/01/2026")

    def test_a_coordinator_sees_their_lines_only(self):
        self.client.force_login(self.coordinator)
        response = self.client.get(url("detail"))
        self.assertEqual([q.locality for q in response.context["quotas"]], [self.h01])
        self.assertEqual(response.context["history"], [])
        self.assertEqual(self.client.get(LIST).status_code, 200)

    def test_who_may_open_and_change(self):
        self.client.force_login(self.nobody)
        self.assertEqual(self.client.get(url("detail")).status_code, 403)
        self.assertEqual(self.client.get(LIST).status_code, 403)
        for user in (self.board, self.coordinator):
            self.client.force_login(user)
            for name in ("edit", "approve", "import"):
                self.assertEqual(self.client.post(url(name), {"title": "x"}).status_code, 403)
            self.assertEqual(self.client.post(reverse("planning:create"), {"year": 2030}).status_code, 403)
        self.client.force_login(self.office)
        self.assertEqual(self.client.get(url("detail", 1999)).status_code, 404)
        self.assertEqual(self.client.get(url("approve")).status_code, 405)
        self.assertEqual(self.client.get(LIST).status_code, 200)

    def test_the_list_query_count_does_not_grow(self):
        self.client.force_login(self.office)
        self.client.get(LIST)
        with self.assertNumQueries(4) as few:
            self.client.get(LIST)
        for year in (2027, 2028):
            AnnualPlan.objects.create(year=year)
        with self.assertNumQueries(len(few.captured_queries)):
            self.client.get(LIST)

    def test_the_office_creates_a_plan(self):
        self.client.force_login(self.office)
        response = self.client.post(reverse("planning:create"), {"year": 2027, "title": "Kế hoạch 2027"})
        self.assertRedirects(response, url("detail", 2027))
        self.assertEqual(self.client.post(reverse("planning:create"), {"year": 2027}).status_code, 400)
        self.assertEqual(self.client.post(reverse("planning:create"), {"year": 12}).status_code, 400)
        self.assertEqual(AnnualPlan.objects.filter(year=2027).count(), 1)


class ApprovalTests(PlanningTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.draft = AnnualPlan.objects.create(year=2027, title="Kế hoạch 2027")
        Quota.objects.create(plan=cls.draft, program=cls.tc, locality=cls.h03, funding="supported", students=70)

    def test_approval_by_decision_is_audited(self):
        self.client.force_login(self.office)
        data = {"decision_number": "20-QĐ/TU", "decision_date": "15/12/2026"}
        response = self.client.post(url("approve", 2027), data)
        self.assertRedirects(response, url("detail", 2027))
        self.draft.refresh_from_db()
        self.assertEqual(
            (self.draft.status, self.draft.decision_number, self.draft.decision_date),
            ("approved", "20-QĐ/TU", dt.date(2026, 12, 15)),
        )
        [entry] = history(self.draft)
        self.assertEqual(entry.user, self.office)
        self.assertEqual(entry.changes["status"], ["draft", "approved"])
        self.assertEqual(entry.changes["decision_date"], [None, "2026-12-15"])
        self.assertNotIn("quota TC-LLCT-HC / H03 / supported", entry.changes)  # unchanged

    def test_approval_needs_number_and_a_right_date(self):
        self.client.force_login(self.office)
        for data in (
            {"decision_number": "", "decision_date": "15/12/2026"},
            {"decision_number": "20-QĐ/TU", "decision_date": "31/02/2026"},
            {"decision_number": "20-QĐ/TU", "decision_date": "05/01/2028"},
        ):
            response = self.client.post(url("approve", 2027), data)
            self.assertEqual(response.status_code, 400)
            self.assertTrue(response.context["approval_form"].errors)
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.status, "draft")
        self.assertFalse(history(self.draft).exists())

    def test_editing_the_approved_plan_is_audited_a_draft_is_not(self):
        self.client.force_login(self.office)
        self.client.post(url("edit", 2027), {"title": "Kế hoạch năm 2027", "notes": ""})
        self.assertFalse(history(self.draft).exists())
        response = self.client.post(url("edit"), {"title": "Kế hoạch năm 2026", "notes": "Bổ sung"})
        self.assertRedirects(response, url("detail"))
        [entry] = history(self.plan)
        self.assertEqual((entry.action, entry.changes["title"]), ("plan.change", ["", "Kế hoạch năm 2026"]))
        self.assertEqual(entry.changes["notes"], ["", "Bổ sung"])
        response = self.client.get(url("detail"))
        self.assertContains(response, "plan.change")
        self.assertContains(response, "title: – → Kế hoạch năm 2026")
        self.assertEqual(self.client.post(url("edit"), {"title": "x" * 300}).status_code, 400)

    def test_import_on_the_page(self):
        self.client.force_login(self.office)
        bad = workbook(("TC-LLCT-HC", "H01", "supported", 1, 80), ("XX", "H02", "supported", 1, 60))
        response = self.client.post(url("import"), {"workbook": upload(bad)}, follow=True)
        problems = response.context["state"]["problems"]  # on the import job's page
        self.assertEqual([(p["row"], p["column"]) for p in problems], [(3, "Mã chương trình (A)")])
        self.assertContains(response, 'id="problems"')
        self.assertContains(response, f'href="{url("detail")}#import"')
        self.assertFalse(history(self.plan).exists())
        good = workbook(("TC-LLCT-HC", "H03", "self_funded", 1, 50))
        response = self.client.post(url("import"), {"workbook": upload(good)}, follow=True)
        self.assertContains(response, f'href="{url("detail")}"')
        self.assertEqual(self.plan.quotas.count(), 3)
        self.assertEqual(
            history(self.plan).get().changes,
            {"quota TC-LLCT-HC / H03 / self_funded": [None, {"classes": 1, "students": 50}]},
        )
        self.assertContains(self.client.get(url("detail")), "quota TC-LLCT-HC / H03 / self_funded: – → 01")
        self.assertEqual(self.client.post(url("import"), {}).status_code, 400)
