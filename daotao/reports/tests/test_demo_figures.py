"""The demo province reproduces every figure of the published 2020 coordination report
(DESIGN.md section 4) from records, through the commands and the engine."""

import datetime as dt
import json
from io import StringIO

from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from daotao.accounts.models import User
from daotao.accounts.scope import SYSTEM, scope_of
from daotao.cohorts.models import Cohort
from daotao.planning.achievement import ENROLLED_BY, enrolled_q, quota_achievement
from daotao.planning.models import AnnualPlan, Quota
from daotao.programs.models import Program
from daotao.reports import engine
from daotao.reports.annual import annual_report
from daotao.testing import DemoTestCase, enroll, make_cohort

# line key -> (classes, students, classes as written); None: the report gives no student figure.
FIGURES_2020 = {
    "tc_opened": (13, 1040, "13"),
    "tc_supported": (7, 559, "07"),
    "tc_self_funded": (6, 481, "06"),
    "tc_carried_over": (13, 1095, "13"),
    "tc_active": (26, 2135, "26"),
    "bd_cv": (19, None, "19"),
    "bd_ldp": (3, None, "03"),
    "bd_btx": (8, None, "08"),
}
SUMMARY_PHRASES = ["13 lớp", "1.040 học viên", "07 lớp (559 học viên)", "06 lớp (481 học viên)", "2.135"]
# The demo's tables whose sizes a second load must not change.
MODELS = [
    "org.Unit",
    "org.Lecturer",
    "programs.Program",
    "people.Student",
    "cohorts.Cohort",
    "cohorts.Enrollment",
    "planning.AnnualPlan",
    "planning.Quota",
    "reports.ReportTemplate",
    "reports.ReportLine",
    "accounts.User",
]


def load_demo():
    call_command("load_demo", stdout=StringIO())


class DemoFiguresTests(DemoTestCase):
    def annual_json(self, year=2020) -> dict:
        out = StringIO()
        call_command("annual_report", "--year", str(year), "--format", "json", stdout=out)
        return json.loads(out.getvalue())

    def cohort_stats(self, relation, line_filter) -> dict:
        args = ["--from", "2020-01-01", "--to", "2020-12-31", "--relation", relation, "--json"]
        if line_filter["programs"]:
            args += ["--program", *line_filter["programs"]]
        for name in ("category", "mode", "funding", "locality"):
            if line_filter[name]:
                args += [f"--{name}", line_filter[name]]
        out = StringIO()
        call_command("cohort_stats", *args, stdout=out)
        return json.loads(out.getvalue())

    def test_every_2020_figure_in_the_json_report(self):
        lines = {line["key"]: line for line in self.annual_json()["lines"]}
        self.assertEqual(list(lines), list(FIGURES_2020))
        for key, (classes, students, classes_text) in FIGURES_2020.items():
            with self.subTest(line=key):
                self.assertEqual(lines[key]["classes"], classes)
                self.assertEqual(lines[key]["classes_text"], classes_text)
                if students is not None:
                    self.assertEqual(lines[key]["students"], students)

    def test_summary_writes_the_figures_the_vietnamese_way(self):
        summary = self.annual_json()["summary"]
        for phrase in SUMMARY_PHRASES:
            with self.subTest(phrase=phrase):
                self.assertIn(phrase, summary)
        self.assertIn("26 lớp với tổng số 2.135 học viên", summary)
        self.assertIn("13 lớp (1.095 học viên) chuyển qua từ năm 2019", summary)
        self.assertIn("19 lớp bồi dưỡng ngạch chuyên viên", summary)
        self.assertIn("03 lớp bồi dưỡng lãnh đạo cấp phòng", summary)
        self.assertIn("08 lớp bồi dưỡng Bí thư", summary)

    def test_cohort_stats_gives_the_same_for_every_line(self):
        for line in self.annual_json()["lines"]:
            with self.subTest(line=line["key"]):
                counted = self.cohort_stats(line["relation"], line["filter"])
                self.assertEqual(counted["classes"], line["classes"])
                if line["students"] is not None:
                    self.assertEqual(counted["students"], line["students"])
        self.assertEqual(
            self.cohort_stats("opened", {"programs": ["BD-CV", "BD-CVC"], "category": "", "mode": "", "funding": "",
                                         "locality": ""})["classes"],
            19,
        )  # fmt: skip

    def test_the_api_gives_the_same_for_every_line(self):
        from daotao.accounts.models import ApiToken

        _token, key = ApiToken.issue(User.objects.get(username="daotao"), "test")
        for line in self.annual_json()["lines"]:
            params = {"from": "2020-01-01", "to": "2020-12-31", "relation": line["relation"]}
            params.update({name: value for name, value in line["filter"].items() if value and name != "programs"})
            params["program"] = line["filter"]["programs"]
            with self.subTest(line=line["key"]):
                response = self.client.get(
                    "/api/v1/reports/cohort-stats", params, headers={"authorization": f"Bearer {key}"}
                )
                self.assertEqual(response.status_code, 200, response.content)
                self.assertEqual(response.json(), {"classes": line["classes"], "students": line["students"]})

    def test_quota_table_shows_localities_below_quota(self):
        """Each quota line (locality × program × funding) against the classes opened under
        the plan with that funding (docs/counting.md, "Quota achievement"). The published
        report gives no count of localities below their quota: the summary's count is the
        rule's, a locality with any line missed (Thành phố Bình An, 161 of 160 in total but 79
        of 80 self-funded, is one of them)."""
        report = self.annual_json()
        unmet = {line["locality"] for line in report["quota"] if not line["met"]}
        self.assertEqual(unmet, {"H01", "H04", "H06", "H07", "H09", "H10"})
        self.assertIn("chưa đạt chỉ tiêu tuyển sinh: 06 (", report["summary"])
        self.assertIn("Thành phố Bình An)", report["summary"])
        for line in report["quota"]:
            with self.subTest(line=(line["locality"], line["funding"])):
                self.assertEqual(
                    line["met"],
                    line["enrolled_classes"] >= line["planned_classes"]
                    and line["enrolled_students"] >= line["planned_students"],
                )
        # The lines add up to the published figures: 13 classes, 1.040 students.
        self.assertEqual(sum(line["enrolled_classes"] for line in report["quota"]), 13)
        self.assertEqual(sum(line["enrolled_students"] for line in report["quota"]), 1040)

    def test_binh_an_2020_missed_its_self_funded_line(self):
        report = self.annual_json()
        binh_an = {line["funding"]: line for line in report["quota"] if line["locality"] == "H01"}
        self.assertEqual(
            {
                funding: (line["planned_students"], line["enrolled_students"], line["met"])
                for funding, line in binh_an.items()
            },
            {"supported": (80, 82, True), "self_funded": (80, 79, False)},
        )
        self.assertEqual(binh_an["self_funded"]["locality_name"], "Thành phố Bình An")
        self.assertEqual(binh_an["self_funded"]["program"], "TC-LLCT-HC")
        [total] = [row for row in report["quota_totals"] if row["locality"] == "H01"]
        self.assertEqual((total["planned_students"], total["enrolled_students"], total["met"]), (160, 161, False))

    def test_loading_the_demo_again_changes_no_count(self):
        before_tables = {name: apps.get_model(name).objects.count() for name in MODELS}
        before_report = self.annual_json()
        before_2019 = self.annual_json(2019)
        load_demo()
        self.assertEqual({name: apps.get_model(name).objects.count() for name in MODELS}, before_tables)
        self.assertEqual(self.annual_json(), before_report)
        self.assertEqual(self.annual_json(2019), before_2019)

    def test_the_quota_table_counted_with_the_lines_is_the_quota_table_counted_alone(self):
        """The office's report counts the quota lines' classes in the lines' query; a
        coordinator's, and the quota progress page, count them apart: the same figures."""
        office = User.objects.get(username="daotao")
        for year in (2020, 2026):
            with self.subTest(year=year):
                report = annual_report(year, office)
                alone = quota_achievement(year, office)
                self.assertTrue(alone)
                self.assertEqual(
                    [line.as_dict() for row in report.quota for line in row.lines],
                    [line.as_dict() for row in alone for line in row.lines],
                )
        coordinator = User.objects.get(username="diaphuong.h01")
        grouping = engine.Grouping(enrolled_q(2020), ENROLLED_BY)
        with self.assertRaises(ValueError):  # its sums would be of the classes it sees, not whole
            engine.count_many_grouped([], coordinator, grouping)

    def test_report_query_count_is_constant(self):
        office = User.objects.get(username="daotao")
        scope_of(office)  # the user's roles: once per request, not per report
        # the template with its lines, program codes, the count (the lines, the students who
        # transferred and the classes of the quota lines, each class once), quotas, the
        # students who transferred between classes of a quota line
        with self.assertNumQueries(5):
            annual_report(2020, office)
        with self.assertNumQueries(5):
            annual_report(2020, SYSTEM)
        with CaptureQueriesContext(connection) as coordinator_queries:
            coordinator = User.objects.get(username="diaphuong.h01")
            scope_of(coordinator)
        self.assertEqual(len(coordinator_queries), 3)  # user, roles, unit
        # a coordinator's quota lines count whole classes, which the lines do not: + one query
        with self.assertNumQueries(6):
            annual_report(2020, coordinator)
        # More classes, students and quotas: the same number of queries.
        tc = Program.objects.get(code="TC-LLCT-HC")
        host = Cohort.objects.filter(program=tc).first().host_locality
        for number in range(5):
            enroll(make_cohort(f"EXTRA-{number}", tc, host, dt.date(2020, 8, 3 + number)), 25)
        plan = AnnualPlan.objects.get(year=2020)
        Quota.objects.create(plan=plan, program=Program.objects.get(code="BD-CV"), locality=host, funding="supported",
                             classes=2, students=80)  # fmt: skip
        with self.assertNumQueries(5):
            report = annual_report(2020, office)
        self.assertEqual(report.lines[0].counts.classes, 18)
