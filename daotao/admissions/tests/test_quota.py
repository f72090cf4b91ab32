"""Quota progress: the counting (``progress.quota_progress``: achievement by the rule of
``planning.achievement``, the admissions pipeline beside it), the page and its .xlsx."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import openpyxl
from django.urls import reverse

from daotao.accounts.scope import scope_of
from daotao.admissions import services
from daotao.admissions.models import PartyStatus, Status
from daotao.admissions.progress import UnknownPlan, quota_progress
from daotao.admissions.tests.world import AdmissionsTestCase, make_application
from daotao.planning.models import AnnualPlan, Quota
from daotao.testing import enroll, make_cohort

PAGE = reverse("admissions:quota")
D = dt.date


def admit(application, user):
    return services.decide(application, user, "admitted", "27/QĐ-TCT", D(2026, 3, 2))


class QuotaProgressTestCase(AdmissionsTestCase):
    """H01 (quota 1 class, 80 students): a class of 81 opened under the plan (met), 4
    nominated (one from the commune X0101 below it), 3 eligible, 1 admitted; H02 (quota 60):
    a self-funded class of 70, which achieves no supported line (not met), 2 nominated, one
    ineligible and one rejected; H03 has no TC line, and a self-funded nominee of H01 matches
    no line."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        enroll(make_cohort("TC26-H01", cls.tc, cls.h01, D(2026, 3, 2)), 81)
        enroll(make_cohort("TC26-H02", cls.tc, cls.h02, D(2026, 3, 9), funding="self_funded"), 70)
        make_application(cls.tc, cls.h01)
        admit(make_application(cls.tc, cls.h01), cls.office)
        make_application(cls.tc, cls.x01)
        make_application(cls.tc, cls.h01, received=[])
        make_application(cls.tc, cls.h02, party_status=PartyStatus.NONE, party_joined_on=None)
        rejected = make_application(cls.tc, cls.h02)
        services.decide(rejected, cls.office, "rejected", reason="Không bố trí được thời gian")
        make_application(cls.tc, cls.h03)
        make_application(cls.tc, cls.h01, funding="self_funded")

    def figures(self, row):
        """(planned, enrolled, nominated, eligible, admitted, shortfall) students."""
        line, pipeline = row.achieved, row.pipeline
        return (
            line.planned_students, line.actual_students, pipeline.nominated, pipeline.eligible, pipeline.admitted,
            line.shortfall,
        )  # fmt: skip


class CountingTests(QuotaProgressTestCase):
    def test_each_line_achieved_by_enrolled_students_with_its_pipeline_beside(self):
        progress = quota_progress(2026, self.office)
        h01, h02 = progress.rows
        self.assertEqual((h01.achieved.locality_code, h02.achieved.locality_code), ("H01", "H02"))
        self.assertEqual(self.figures(h01), (80, 81, 4, 3, 1, 0))
        self.assertEqual(self.figures(h02), (60, 0, 2, 0, 0, 60))
        # Met by the enrolled students, whatever the admissions say: H01 admitted 1 of 80.
        self.assertTrue(h01.achieved.met)
        self.assertTrue(h01.nominations_short)
        self.assertEqual(h01.achieved.ratio, Decimal(81) / 80)
        # H02's self-funded class achieves no supported line, however many it enrolled.
        self.assertFalse(h02.achieved.met)
        total = progress.achieved
        self.assertEqual((total.planned_classes, total.planned_students, total.actual_students), (2, 140, 81))
        self.assertFalse(total.met)
        self.assertEqual(
            (progress.pipeline.nominated, progress.pipeline.eligible, progress.pipeline.admitted), (6, 3, 1)
        )
        self.assertEqual(progress.localities_not_met, 1)
        self.assertEqual(progress.unmet_locality_names, [self.h02.name])
        self.assertEqual(progress.ratio, Decimal(81) / 140)

    def test_admissions_never_count_as_achieved(self):
        Quota.objects.create(plan=self.plan, program=self.tc, locality=self.h03, funding="supported", students=1)
        admit(self.tc.applications.get(locality=self.h03), self.office)
        [h03] = [row for row in quota_progress(2026, self.office).rows if row.achieved.locality_code == "H03"]
        self.assertEqual(self.figures(h03), (1, 0, 1, 1, 1, 1))
        self.assertFalse(h03.achieved.met)
        self.assertFalse(h03.nominations_short)

    def test_the_deepest_line_counts_a_nominee_once(self):
        Quota.objects.create(plan=self.plan, program=self.tc, locality=self.x01, funding="supported", students=10)
        rows = {row.achieved.locality_code: row for row in quota_progress(2026, self.office).rows}
        self.assertEqual(rows["H01"].pipeline.nominated, 3)
        self.assertEqual(rows["X0101"].pipeline.nominated, 1)
        self.assertEqual(sum(row.pipeline.nominated for row in rows.values()), 6)

    def test_subtotal_per_locality(self):
        Quota.objects.create(plan=self.plan, program=self.cvc, locality=self.h01, funding="supported", students=20)
        make_application(self.cvc, self.h01, received="all")
        progress = quota_progress(2026, self.office)
        h01 = progress.groups[0]
        self.assertEqual([row.achieved.program_code for row in h01.rows], ["BD-CVC", "TC-LLCT-HC"])
        self.assertEqual(
            (h01.achieved.planned_students, h01.achieved.actual_students, h01.pipeline.nominated), (100, 81, 5)
        )
        # The TC line is met, the BD-CVC line is not: neither is the locality.
        self.assertFalse(h01.achieved.met)
        self.assertEqual(progress.localities_not_met, 2)

    def test_scope_of_each_role(self):
        def localities(user):
            return [row.achieved.locality_code for row in quota_progress(2026, user).rows]

        self.assertEqual(localities(self.board), ["H01", "H02"])
        self.assertEqual(localities(self.coordinator), ["H01"])
        self.assertEqual(localities(self.other_coordinator), ["H02"])
        self.assertEqual(localities(self.agency_user), [])
        self.assertEqual(localities(self.nobody), [])
        # The coordinator counts what they may see: the H01 line has the same figures.
        mine = quota_progress(2026, self.coordinator)
        self.assertEqual(self.figures(mine.rows[0]), (80, 81, 4, 3, 1, 0))
        self.assertEqual(mine.localities_not_met, 0)

    def test_unknown_year(self):
        with self.assertRaises(UnknownPlan):
            quota_progress(1999, self.office)

    def test_a_fixed_number_of_queries(self):
        scope_of(self.office)
        # the plan, the quota lines, the classes, the applications
        with self.assertNumQueries(5):
            quota_progress(2026, self.office)
        for locality in (self.h03, self.x01):
            Quota.objects.create(plan=self.plan, program=self.tc, locality=locality, funding="supported", students=5)
            enroll(make_cohort(f"TC26-{locality.code}", self.tc, locality, D(2026, 4, 1)), 3)
            for _ in range(3):
                make_application(self.tc, locality, funding="supported")
        with self.assertNumQueries(5):
            progress = quota_progress(2026, self.office)
        self.assertEqual(len(progress.rows), 4)


class PageTests(QuotaProgressTestCase):
    def test_the_table_the_vietnamese_way(self):
        Quota.objects.create(
            plan=self.plan, program=self.cvc, locality=self.h03, funding="supported", classes=7, students=1200
        )
        self.client.force_login(self.office)
        response = self.client.get(PAGE)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["progress"].year, 2026)
        content = response.content.decode()
        self.assertIn("1.200", content)
        self.assertIn(">07<", content)
        self.assertIn("101,25%", content)  # 81 enrolled of 80
        self.assertIn("Chưa đạt", content)
        self.assertIn("Đạt", content)
        self.assertIn('class="unmet"', content)
        self.assertIn("15-QĐ/TCT", content)
        self.assertIn("Đã phê duyệt", content)
        self.assertIn(reverse("admissions:quota-xlsx", args=[2026]), content)

    def test_the_latest_plan_by_default_and_another_year(self):
        AnnualPlan.objects.create(year=2027)
        self.client.force_login(self.office)
        self.assertEqual(self.client.get(PAGE).context["progress"].year, 2027)
        response = self.client.get(PAGE, {"year": 2026})
        self.assertEqual(len(response.context["progress"].rows), 2)

    def test_a_bad_year_is_a_message(self):
        self.client.force_login(self.office)
        self.assertEqual(self.client.get(PAGE, {"year": "2026\x00"}).status_code, 400)
        for year in ("1999", "abc", ""):
            response = self.client.get(PAGE, {"year": year})
            self.assertEqual(response.status_code, 400)
            self.assertIsNone(response.context["progress"])
            self.assertTrue(response.context["form"].errors["year"])

    def test_who_may_open_it(self):
        self.client.force_login(self.coordinator)
        response = self.client.get(PAGE)
        self.assertEqual([row.achieved.locality_code for row in response.context["progress"].rows], ["H01"])
        self.assertNotContains(response, self.h02.name)
        self.client.force_login(self.nobody)
        self.assertEqual(self.client.get(PAGE).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(PAGE).status_code, 302)
        self.client.force_login(self.office)
        self.assertEqual(self.client.post(PAGE).status_code, 405)

    def test_achieved_then_the_pipeline_in_columns_of_their_own(self):
        self.client.force_login(self.office)
        content = self.client.get(PAGE).content.decode()
        table = content[content.index('id="quota-progress"') :]
        h01 = table[table.index(f'<td class="name">{self.h01.name}</td>') :]
        h01 = h01[: h01.index("</tr>")]
        cells = re.findall(r"<td[^>]*>(.*?)</td>", h01, re.S)
        numbers = [re.sub(r"<[^>]+>|\s", "", cell) for cell in cells[3:]]
        # planned classes and students, classes opened, students enrolled, achieved,
        # shortfall, result; then nominated (short of the quota: "!"), eligible, admitted.
        self.assertEqual(numbers, ["01", "80", "01", "81", "101,25%", "0", "Đạt", "4!", "3", "1"])
        self.assertEqual(table.count('class="num pipeline"'), 3 * 3)  # H01, H02 and the total

    def test_query_count_does_not_grow(self):
        self.client.force_login(self.office)
        self.client.get(PAGE)
        with self.assertNumQueries(9) as small:
            self.client.get(PAGE)
        Quota.objects.create(plan=self.plan, program=self.cvc, locality=self.h03, funding="supported", students=9)
        make_application(self.cvc, self.h03)
        with self.assertNumQueries(len(small.captured_queries)):
            self.client.get(PAGE)


class XlsxTests(QuotaProgressTestCase):
    def sheet(self, user, year=2026):
        self.client.force_login(user)
        response = self.client.get(reverse("admissions:quota-xlsx", args=[year]))
        self.assertEqual(response.status_code, 200)
        self.assertIn("tien-do-chi-tieu-2026.xlsx", response["Content-Disposition"])
        return openpyxl.load_workbook(io.BytesIO(response.content)).active

    def test_the_same_figures_as_numbers(self):
        sheet = self.sheet(self.office)
        self.assertIn("2026", sheet["A1"].value)
        self.assertIn("15-QĐ/TCT", sheet["A1"].value)
        rows = list(sheet.iter_rows(min_row=3, values_only=True))
        h01, h02, total = rows
        self.assertEqual(h01[0], self.h01.name)
        # planned classes, students; classes opened, students enrolled, achieved, shortfall,
        # result; nominated, eligible, admitted
        self.assertEqual(h01[3:9], (1, 80, 1, 81, 1.0125, 0))
        self.assertEqual(h01[9], "Đạt")
        self.assertEqual(h01[10:13], (4, 3, 1))
        self.assertEqual(h02[3:10], (1, 60, 0, 0, 0, 60, "Chưa đạt"))
        self.assertEqual(total[0], "Tổng cộng")
        self.assertEqual(total[3:9], (2, 140, 1, 81, 81 / 140, 59))
        self.assertEqual(total[9], "Chưa đạt")
        self.assertEqual(total[10:13], (6, 3, 1))
        self.assertEqual(sheet["D3"].number_format, "[=0]0;[<10]00;#,##0")
        self.assertEqual(sheet["F3"].number_format, "[=0]0;[<10]00;#,##0")

    def test_a_coordinator_gets_their_lines(self):
        sheet = self.sheet(self.coordinator)
        self.assertIn(self.h01.name, sheet["A1"].value)
        names = [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)]
        self.assertEqual(names[0], self.h01.name)
        self.assertNotIn(self.h02.name, names)

    def test_unknown_year_is_404(self):
        self.client.force_login(self.office)
        self.assertEqual(self.client.get(reverse("admissions:quota-xlsx", args=[1999])).status_code, 404)
        self.client.force_login(self.nobody)
        self.assertEqual(self.client.get(reverse("admissions:quota-xlsx", args=[2026])).status_code, 403)


class StatusesTests(QuotaProgressTestCase):
    def test_statuses_as_the_checks_stored_them(self):
        statuses = sorted(self.tc.applications.filter(locality=self.h02).values_list("status", flat=True))
        self.assertEqual(statuses, [Status.INELIGIBLE, Status.REJECTED])
