"""The board's dashboard on the demo province: each of its six figures equals the figure of
the page that already shows it, for the same year and user (asked through that page, or
the page's own function); it is gathered in the same number of queries on the demo and on
a bigger world; and the page, its year selector and its workbooks, as each persona gets
them."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter, defaultdict
from decimal import Decimal

import openpyxl
from django.test import RequestFactory
from django.urls import reverse

from daotao.accounts.models import User
from daotao.accounts.scope import scope_of
from daotao.cohorts.models import Cohort, Enrollment
from daotao.dashboards import board_sections
from daotao.dashboards.board import TREND_YEARS, board_dashboard, dashboard_years, engine_specs
from daotao.dashboards.board_views import board_page
from daotao.grading import cohort_report
from daotao.grading.models import GraduationDecision, GraduationEntry
from daotao.lib import tables
from daotao.lib.vietnamese import format_date
from daotao.org.models import Unit
from daotao.planning.models import AnnualPlan, Quota
from daotao.programs.models import Program, ProgramKind, ReportCategory
from daotao.reports.engine import ACTIVE, OPENED, CohortFilter, CountSpec, Period, count
from daotao.surveys.models import Invitation, Response, SurveyRound
from daotao.surveys.outcomes import career_event_record
from daotao.surveys.services import invitations_create, round_create
from daotao.testing import DemoTestCase, enroll, make_cohort

# board_dashboard's queries when every part has records: the engine's one (which also sums the
# classes of the quota lines), the quota table's two (lines, transfers), the graduates' one,
# the coverage's four (rules, pools due, the year's classes, the classes evaluated after the
# course), the outcomes' four.
QUERIES = 12


class DemoUsers:
    @classmethod
    def setUpTestData(cls):
        cls.board = User.objects.get(username="bgh")
        cls.office = User.objects.get(username="daotao")
        cls.coordinator = User.objects.get(username="diaphuong.h01")

    def page_context(self, name: str, user=None, **query):
        """The context of an existing page, asked as the board asks it."""
        self.client.force_login(user or self.board)
        response = self.client.get(reverse(name), query)
        self.assertEqual(response.status_code, 200, name)
        return response.context


class FiguresEqualTheirPagesTests(DemoUsers, DemoTestCase):
    def test_quota_equals_the_yearly_report_and_the_quota_progress_page(self):
        for year in (2020, 2026):
            board = board_dashboard(year, self.board)
            report = self.page_context("reports:annual", year=year)["report"]
            expected = defaultdict(lambda: [0, 0, 0, 0])
            for row in report.quota:  # the yearly report's quota table
                figures = expected[row.locality_code]
                for index, value in enumerate(
                    (row.planned_classes, row.planned_students, row.actual_classes, row.actual_students)
                ):
                    figures[index] += value
            shown = {
                locality.code: [
                    locality.planned_classes,
                    locality.planned_students,
                    locality.actual_classes,
                    locality.actual_students,
                ]
                for locality in board.quota.localities
            }
            self.assertEqual(shown, dict(expected))
            total = report.quota_total
            self.assertEqual(
                (board.quota.total.planned_students, board.quota.total.actual_students),
                (total.planned_students, total.actual_students),
            )
            self.assertEqual(board.quota.not_met, len(report.unmet_locality_names))
            self.assertEqual(
                {locality.name for locality in board.quota.localities if not locality.met},
                set(report.unmet_locality_names),
            )
            # The quota progress page's lines, per locality and funding: planned and achieved.
            progress = self.page_context("admissions:quota", year=year)["progress"]
            by_funding = Counter()
            for group in progress.groups:
                for row in group.rows:
                    line = row.achieved
                    for name in ("planned_classes", "planned_students", "actual_classes", "actual_students"):
                        by_funding[(group.code, line.funding, name)] += getattr(line, name)
            for locality in board.quota.localities:
                for funding in ("supported", "self_funded"):
                    split = locality.funding(funding)
                    for name in ("planned_classes", "planned_students", "actual_classes", "actual_students"):
                        self.assertEqual(getattr(split, name), by_funding[(locality.code, funding, name)])
            self.assertEqual(board.quota.total.planned_students, progress.achieved.planned_students)
            self.assertEqual(board.quota.total.actual_students, progress.achieved.actual_students)
            self.assertEqual(board.quota.not_met, progress.localities_not_met)

    def test_the_2020_funding_split_is_the_published_one(self):
        """The school's 2020 report (DESIGN.md section 4): 13 classes, 1.040 students opened
        under the plan, 07 / 559 supported, 06 / 481 self-funded."""
        total = board_dashboard(2020, self.board).quota.total
        self.assertEqual((total.actual_classes, total.actual_students), (13, 1040))
        supported, self_funded = total.funding("supported"), total.funding("self_funded")
        self.assertEqual((supported.actual_classes, supported.actual_students), (7, 559))
        self.assertEqual((self_funded.actual_classes, self_funded.actual_students), (6, 481))
        table = board_sections.quota_section(board_dashboard(2020, self.board)).table
        self.assertEqual(table.footer()[3:5], [("13", True), ("1.040", True)])

    def test_trend_equals_the_engine_and_the_yearly_report(self):
        board = board_dashboard(2020, self.board)
        self.assertEqual(board.trend.years, [2016, 2017, 2018, 2019, 2020])
        self.assertEqual([c.category for c in board.trend.categories], list(ReportCategory.values))
        for category in board.trend.categories:
            for year, counts in zip(board.trend.years, category.counts, strict=True):
                spec = CountSpec(Period.year(year), OPENED, CohortFilter(category=category.category))
                self.assertEqual(counts, count(spec, self.board), (category.category, year))
        # The yearly report's fostering lines of 2020 (one category each), as its page shows them.
        lines = {line.line.key: line.counts for line in self.page_context("reports:annual", year=2020)["report"].lines}
        last = {category.category: category.counts[-1] for category in board.trend.categories}
        self.assertEqual(last["civil_service_grade"].classes, lines["bd_cv"].classes)  # 19
        self.assertEqual(last["leadership"].classes, lines["bd_ldp"].classes)  # 03
        self.assertEqual(last["grassroots"].classes, lines["bd_btx"].classes)  # 08
        self.assertEqual(board.key.opened, count(CountSpec(Period.year(2020), OPENED), self.board))
        self.assertEqual(board.key.active, count(CountSpec(Period.year(2020), ACTIVE), self.board))

    def test_months_equal_the_engine_and_the_definition(self):
        board = board_dashboard(2020, self.board)
        cohorts = list(Cohort.objects.counted())
        students = Counter(Enrollment.objects.counted().values_list("cohort_id", flat=True))
        for month, counts in enumerate(board.months, start=1):
            start = dt.date(2020, month, 1)
            end = (dt.date(2020, month + 1, 1) if month < 12 else dt.date(2021, 1, 1)) - dt.timedelta(days=1)
            running = [
                c for c in cohorts if c.opening_date <= end and (c.closing_date is None or c.closing_date >= start)
            ]
            self.assertEqual(counts.classes, len(running), month)
            self.assertEqual(counts.students, sum(students[c.pk] for c in running), month)
            self.assertEqual(counts, count(CountSpec(Period(start, end), ACTIVE), self.board))
        self.assertGreater(max(counts.classes for counts in board.months), 20)

    def test_graduation_equals_the_class_reports(self):
        graduation = board_dashboard(2026, self.board).graduation
        expected, fostering = Counter(), 0
        for cohort in Cohort.objects.counted().filter(closing_date__year=2026).select_related("program"):
            report = cohort_report.build(cohort)  # the class's graduation report page
            if cohort.program.kind == ProgramKind.TRAINING:
                expected.update(entry.classification for entry in report.graduates)
            else:
                fostering += len(report.graduates)
        shown = {value: count for value, _label, count in graduation.classified}
        self.assertEqual(shown, {value: expected[value] for value in shown})
        self.assertEqual(graduation.training, sum(expected.values()))
        self.assertEqual(graduation.fostering, fostering)
        self.assertEqual((graduation.training, graduation.fostering), (29, 18))
        # The page of TCX02-2025-01's report shows the same graduates.
        cohort = Cohort.objects.get(code="TCX02-2025-01")
        self.client.force_login(self.board)
        page = self.client.get(reverse("grading:report", args=[cohort.pk]))
        self.assertEqual(Counter(e.classification for e in page.context["report"].graduates), expected)

    def test_coverage_equals_the_coverage_page(self):
        for year in (2020, 2026):
            coverage = board_dashboard(year, self.board).coverage
            page = self.page_context("surveys:coverage", year=year)["coverage"]
            for figure in ("classes", "course_count", "learner_count", "after_count", "course_share", "learner_share"):
                self.assertEqual(getattr(coverage, figure), getattr(page, figure), (year, figure))
            self.assertEqual(coverage.targets_met, page.targets_met)
            self.assertEqual(coverage.rules.target_course_percent, page.rules.target_course_percent)
        table = board_sections.coverage_section(board_dashboard(2026, self.board)).table
        self.assertEqual([row[1] for row in table.rows], [page.course_count, page.learner_count, page.after_count])
        # The fostering class's round has 3 valid forms of the 5 needed: not evaluated.
        self.assertEqual((page.course_count, page.after_count), (1, 1))

    def test_outcomes_equal_the_outcome_report_page(self):
        for year in (2025, 2026):
            outcomes = board_dashboard(year, self.board).outcomes
            context = self.page_context("surveys:outcome_report", year=year)
            self.assertEqual(
                [(row.program.code, row.graduates, row.within_12) for row in outcomes.rows],
                [(row.program.code, row.graduates, row.within_12) for row in context["rows"]],
            )
            self.assertEqual(
                (outcomes.total.graduates, outcomes.total.within_12),
                (context["total"].graduates, context["total"].within_12),
            )
        self.assertEqual(outcomes.total.within_12, 6)  # the demo's six graduates appointed or rewarded
        table = board_sections.outcomes_section(board_dashboard(2026, self.board)).table
        self.assertEqual(table.footer()[1:], [("47", True), ("6", True), ("12,77%", True)])

    def test_the_office_sees_the_same_as_the_board(self):
        for year in (2020, 2026):
            mine, theirs = board_dashboard(year, self.office), board_dashboard(year, self.board)
            self.assertEqual(mine.quota, theirs.quota)
            self.assertEqual(mine.trend, theirs.trend)
            self.assertEqual(mine.months, theirs.months)
            self.assertEqual(mine.graduation, theirs.graduation)


class QueryCountTests(DemoUsers, DemoTestCase):
    def test_the_same_number_of_queries_on_the_demo_and_on_a_bigger_world(self):
        scope_of(self.board)  # computed once per user, as a request does before the page
        with self.assertNumQueries(QUERIES):
            small = board_dashboard(2026, self.board)
        self.grow_the_world()
        with self.assertNumQueries(QUERIES):
            big = board_dashboard(2026, self.board)
        # The world did grow in every part.
        self.assertGreater(big.key.active.classes, small.key.active.classes + 20)
        self.assertGreater(len(big.quota.localities), len(small.quota.localities))
        self.assertGreater(big.graduation.total, small.graduation.total + 100)
        self.assertGreater(big.graduation.training, small.graduation.training)
        self.assertGreater(big.coverage.classes, small.coverage.classes + 20)
        self.assertGreater(big.coverage.course_count, small.coverage.course_count)
        self.assertGreater(big.outcomes.total.within_12, small.outcomes.total.within_12)
        self.assertGreater(len(engine_specs(2026)), 5 * TREND_YEARS)

    def grow_the_world(self):
        """Thirty more classes of 2026 in every locality and program, their students, their
        quotas, graduation decisions, evaluation rounds with answers and career events."""
        plan = AnnualPlan.objects.get(year=2026)
        localities = list(Unit.objects.filter(kind="district"))[:10]
        programs = list(Program.objects.order_by("code"))
        demo_round = SurveyRound.objects.filter(phase="end").first()
        for index in range(30):
            locality, program = localities[index % len(localities)], programs[index % len(programs)]
            closed = index % 2 == 0
            cohort = make_cohort(
                f"BIG-{index:02d}",
                program,
                locality,
                dt.date(2026, 1 + index % 6, 5),
                dt.date(2026, 8, 30) if closed else None,
                plan_year=2026,
                funding="supported" if index % 3 else "self_funded",
            )
            enrollments = enroll(cohort, 10)
            Quota.objects.get_or_create(
                plan=plan, locality=locality, program=program, funding=cohort.funding,
                defaults={"classes": 1, "students": 12},
            )  # fmt: skip
            if closed:
                decision = GraduationDecision.objects.create(
                    cohort=cohort, number=f"{index}/QĐ", date=dt.date(2026, 9, 1)
                )
                classification = "good" if program.kind == "training" else ""
                GraduationEntry.objects.bulk_create(
                    GraduationEntry(decision=decision, enrollment=e, classification=classification) for e in enrollments
                )
                for enrollment in enrollments[:2]:
                    career_event_record(
                        user=self.office, student=enrollment.student, kind="appointment",
                        date=dt.date(2026, 11, 1), decision_number=f"{index}-{enrollment.pk}/QĐ",
                    )  # fmt: skip
            survey_round = round_create(
                user=self.office, title=f"Đánh giá {cohort.code}", version=demo_round.version, cohort=cohort,
                phase="end", subject="course", closes_on=dt.date(2026, 10, 1),
            )  # fmt: skip
            invitations_create(survey_round=survey_round)
            Invitation.objects.filter(round=survey_round).filter(pk__in=Invitation.objects.filter(round=survey_round)
                                                                 .values("pk")[:5]).update(answered=True)  # fmt: skip
            # Five valid forms: the round's threshold, so the class counts as evaluated.
            Response.objects.bulk_create(Response(round=survey_round, valid=True) for _ in range(5))


class BoardPageTests(DemoUsers, DemoTestCase):
    def get(self, user, **query):
        if user is None:
            self.client.logout()
        else:
            self.client.force_login(user)
        return self.client.get(reverse("dashboards:board"), query)

    def test_the_board_and_the_office_see_every_chart_with_its_table(self):
        for user in (self.board, self.office):
            response = self.get(user, year=2026)
            self.assertEqual(response.status_code, 200)
            self.assertTemplateUsed(response, "dashboards/board.html")
            html = response.content.decode()
            for slug in board_sections.BUILDERS:
                self.assertIn(f'id="{slug}-table"', html)
                self.assertIn(reverse("dashboards:board_xlsx", args=[2026, slug]), html)
            for chart in ("quota-students", "quota-funding", "trend-classes", "trend-students", "months",
                          "graduation", "coverage", "outcomes"):  # fmt: skip
                self.assertIn(f'id="board-{chart}"', html)
            # Every chart comes before its table, inside its section.
            for slug in board_sections.BUILDERS:
                section = html[html.index(f'<section class="board-section" id="{slug}"') :]
                section = section[: section.index("</section>")]
                self.assertLess(section.index("<svg"), section.index("<table"))

    def test_the_key_figures_come_first(self):
        response = self.get(self.board, year=2020)
        html = response.content.decode()
        board = response.context["board"]
        self.assertLess(html.index("key-figures"), html.index('class="board-section"'))
        stats = html[html.index("key-figures") : html.index("board-contents")]
        self.assertIn(f"<strong>{board.key.active.classes}</strong>", stats)  # 58 classes in 2020
        self.assertIn("3.613", stats)
        self.assertIn("85,95%", stats)  # 1.040 of the 1.210 students of the quota

    def test_the_year_selector_and_its_default(self):
        years = dashboard_years(self.board)
        self.assertEqual((years[0], years[-1]), (2018, 2026))
        response = self.get(self.board)
        self.assertEqual(response.context["year"], 2026 if dt.date.today().year >= 2026 else years[-1])
        html = response.content.decode()
        for year in years:
            self.assertIn(f'<option value="{year}"', html)
        response = self.get(self.board, year="2020")
        self.assertEqual(response.context["year"], 2020)
        self.assertEqual(response.context["board"].trend.years, [2016, 2017, 2018, 2019, 2020])

    def test_a_bad_year_gets_the_page_with_a_message(self):
        for year in ("abc", "1800", "2030", "2020'", "9" * 40, "<b>2020</b>"):
            response = self.get(self.board, year=year)
            with self.subTest(year=year):
                self.assertEqual(response.status_code, 400)
                self.assertNotIn("board", response.context)
                html = response.content.decode()
                self.assertIn('role="alert"', html)
                self.assertNotIn("<b>2020</b>", html)
                self.assertIn('<select name="year"', html)

    def test_only_school_wide_users(self):
        self.assertEqual(self.get(self.coordinator).status_code, 403)
        self.assertEqual(self.get(User.objects.get(username="giangvien.hang")).status_code, 403)
        self.assertEqual(self.get(User.objects.get(username="hocvien.demo")).status_code, 403)
        response = self.get(None)
        self.assertRedirects(
            response, f"{reverse('login')}?next={reverse('dashboards:board')}", fetch_redirect_response=False
        )
        self.client.force_login(self.board)
        self.assertEqual(self.client.post(reverse("dashboards:board")).status_code, 405)
        xlsx = reverse("dashboards:board_xlsx", args=[2026, "quota"])
        self.client.force_login(self.coordinator)
        self.assertEqual(self.client.get(xlsx).status_code, 403)

    def test_markup_in_a_locality_name_is_shown_as_text(self):
        Unit.objects.filter(code="H01").update(name='<script>alert("x")</script> Thành phố')
        response = self.get(self.board, year=2020)
        html = response.content.decode()
        self.assertNotIn('<script>alert("x")', html)
        self.assertIn("&lt;script&gt;alert(", html)

    def test_no_personal_data(self):
        html = self.get(self.board, year=2026).content.decode()
        for national_id, born in Enrollment.objects.filter(cohort__code="TCX02-2025-01").values_list(
            "student__national_id", "student__date_of_birth"
        ):
            self.assertNotIn(national_id, html)
            self.assertNotIn(format_date(born), html)

    def test_another_view_renders_the_page(self):
        """The home page of a school-wide user may call ``board_page`` as it is."""
        request = RequestFactory().get("/staff/", {"year": "2020"})
        request.user = self.board
        request.session = self.client.session
        response = board_page(request)
        self.assertEqual(response.status_code, 200)
        self.assertIn('id="board-trend-classes"', response.content.decode())


class BoardWorkbookTests(DemoUsers, DemoTestCase):
    def test_each_table_as_a_workbook_with_the_same_figures(self):
        self.client.force_login(self.board)
        board = board_dashboard(2020, self.board)
        for slug, build in board_sections.BUILDERS.items():
            with self.subTest(chart=slug):
                response = self.client.get(reverse("dashboards:board_xlsx", args=[2020, slug]))
                self.assertEqual(response.status_code, 200)
                self.assertIn(f"tong-quan-2020-{board_sections.FILE_NAMES[slug]}.xlsx", response["Content-Disposition"])
                sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
                rows = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
                table = build(board).table
                header_rows = 2 if table.has_groups else 1
                body = rows[1 + header_rows : 1 + header_rows + len(table.rows)]
                self.assertEqual([row[0] for row in body], [row[0] for row in table.rows])
                for got, expected in zip(body, table.rows, strict=True):
                    numbers = [tables.formatted(v, c.kind) for v, c in zip(expected, table.columns, strict=True)]
                    cells = [self.shown(value, column.kind, wanted) for value, column, wanted
                             in zip(got, table.columns, expected, strict=False)]  # fmt: skip
                    self.assertEqual(cells, numbers)

    def shown(self, value, kind, wanted):
        """A workbook cell written as the page writes it."""
        if isinstance(wanted, tables.Value):
            kind = wanted.kind
        if value == tables.EMPTY or value is None:
            return tables.EMPTY
        if kind == tables.PERCENT:
            return tables.formatted(Decimal(str(value)) * 100, kind)
        if kind == tables.RATIO:
            return tables.formatted(Decimal(str(value)), kind)
        return tables.formatted(value, kind)

    def test_unknown_tables_and_years_are_404(self):
        self.client.force_login(self.office)
        self.assertEqual(self.client.get(reverse("dashboards:board_xlsx", args=[2020, "secret"])).status_code, 404)
        self.assertEqual(self.client.get(reverse("dashboards:board_xlsx", args=[1900, "quota"])).status_code, 404)
        self.assertEqual(self.client.get("/staff/dashboard/99999999999999/quota.xlsx").status_code, 404)
