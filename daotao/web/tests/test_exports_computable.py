"""Spreadsheets people can compute with: every .xlsx DaoTao hands out, downloaded as the
training office through its real address from the demo (its finished class
``teaching_data.TC_CODE`` has grades, graduates, a results pack and an evaluation round).

In every workbook, every sheet keeps its heading in view (frozen panes), prints it on every
page (print titles) and has a width for every column it uses; no cell holds a number as
text (``"8,0"``, ``"95,75%"``, ``"1.040"``, ``"07"``), so Excel can add the columns up. Then
each export's grades, averages, percentages and counts are numeric cells with the
Vietnamese-looking format of their kind: a grade ``0.0`` (8,0), an average ``0.00`` (8,25),
a percentage ``0.00%`` of its fraction (95,75%), a count ``#,##0`` (1.040) or, for classes,
``xlsx.CLASSES`` (07). Marks that are not numbers (``v`` for absent, ``–``) stay text.

``test_every_workbook_writer_is_checked`` fails when a new workbook writer (a function
starting ``xlsx.Book``) is not reached by the downloads here.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal

import openpyxl
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.utils import column_index_from_string, get_column_letter

from daotao.academy.dashboard import national_dashboard
from daotao.academy.sections import BUILDERS as NATIONAL_SECTIONS
from daotao.academy.stats import Period
from daotao.accounts.models import User
from daotao.cohorts.models import Cohort
from daotao.dashboards.board import board_dashboard
from daotao.dashboards.board_sections import BUILDERS
from daotao.demo import teaching_data as td
from daotao.grading.models import GraduationDecision
from daotao.lib import tables, xlsx
from daotao.planning.models import AnnualPlan
from daotao.programs.models import Module
from daotao.reports import document_words as words
from daotao.surveys.models import SurveyRound
from daotao.testing import DemoTestCase
from daotao.web.tests.test_no_formulas import national_package, workbook_writers, writers_reached
from daotao.workload import export as workload_export

# A number as a Vietnamese reader writes it (8,0 · 95,75% · 1.040 · 07 · -3), or as code
# would print it (8.5 · 1040): a text cell holding one is a number Excel cannot add up.
VIETNAMESE_NUMBER = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})*(?:,\d+)?\s?%?")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?\s?%?")
FORMATS = {tables.INT: xlsx.INTEGER, tables.CLASSES: xlsx.CLASSES, tables.RATIO: xlsx.PERCENT}
FORMATS[tables.PERCENT] = xlsx.PERCENT


def header_rows(sheet) -> tuple[int, int]:
    """The first and last rows printed on every page (``"3:4"``)."""
    first, last = sheet.print_title_rows.replace("$", "").split(":")
    return int(first), int(last)


def columns_with_width(sheet) -> set[int]:
    covered = set()
    for letter, dimension in sheet.column_dimensions.items():
        if dimension.width:
            low = dimension.min or column_index_from_string(letter)
            covered |= set(range(low, (dimension.max or low) + 1))
    return covered


class ComputableExportsTests(DemoTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.office = User.objects.get(username="daotao")
        cls.cohort = Cohort.objects.get(code=td.TC_CODE)
        cls.student = User.objects.get(username=td.STUDENT_USERNAME).student
        cls.module = (
            Module.objects.filter(program=cls.cohort.program, assessments__grades__enrollment__cohort=cls.cohort)
            .distinct()
            .first()
        )
        cls.survey_round = SurveyRound.objects.filter(cohort=cls.cohort, phase="end").first()
        cls.plan = AnnualPlan.objects.filter(quotas__isnull=False).order_by("-year").first()
        cls.graduation_year = (
            GraduationDecision.objects.filter(entries__enrollment__cohort=cls.cohort).first().date.year
        )

    def setUp(self):
        self.client.force_login(self.office)
        translation.activate(settings.LANGUAGE_CODE)  # the headings looked for, as the files hold them
        self.addCleanup(translation.deactivate)

    def exports(self) -> list[tuple[str, str, object]]:
        """(name, address, the check of its figures) of every download."""
        cohort, year = self.cohort.pk, self.graduation_year
        exports = [
            ("grade sheet", reverse("grading:sheet_export", args=[cohort, self.module.pk]), self.check_grade_sheet),
            ("graduation", reverse("grading:report_xlsx", args=[cohort]), self.check_graduation),
            (
                "results pack",
                reverse("twoway:pack_xlsx", args=[cohort, self.student.locality_id]),
                self.check_results_pack,
            ),
            (
                "survey results",
                reverse("surveys:results_round_xlsx", args=[self.survey_round.pk]),
                self.check_survey_results,
            ),
            (
                "teaching report",
                reverse("teaching:report") + "?start=01/01/2025&end=31/12/2026&format=xlsx",
                self.check_teaching_report,
            ),
            ("outcomes", reverse("surveys:outcome_report_xlsx") + f"?year={year}", self.check_outcomes),
            ("training record", reverse("records:student_xlsx", args=[self.student.pk]), self.check_training_record),
            ("quota", reverse("admissions:quota-xlsx", args=[self.plan.year]), self.check_quota),
            (
                "yearly report",
                reverse("reports:annual_download", kwargs={"year": 2020, "fmt": "xlsx"}),
                self.check_yearly_report,
            ),
        ]
        exports += [
            (f"dashboard {chart}", reverse("dashboards:board_xlsx", args=[year, chart]), self.check_dashboard(chart))
            for chart in BUILDERS
        ]
        exports += [
            ("blank forms", reverse("grading:blank_forms_xlsx"), self.check_counts),
            ("workload", reverse("workload:report") + f"?year={year}&format=xlsx", self.check_workload),
            ("class finance", reverse("finance:cohort_xlsx", args=[cohort]), self.check_money("TaiChinh")),
            ("year finance", reverse("finance:year") + f"?year={year}&format=xlsx", self.check_money("HocPhi")),
            ("quota table", reverse("planning:quota_xlsx", args=[self.plan.year]), self.check_counts),
        ]
        templates = (
            "cohorts:import_template",
            "admissions:import-template",
            "surveys:outcome_import_template",
            "onboarding:units-template",
            "onboarding:people-template",
            "onboarding:history-template",
        )
        exports += [(name, reverse(name), self.check_template) for name in templates]
        return exports

    def test_every_export_is_laid_out_and_computable(self):
        for name, address, check in self.exports():
            with self.subTest(export=name):
                response = self.client.get(address)
                self.assertEqual(response.status_code, 200, address)
                self.assertEqual(response["Content-Type"], xlsx.CONTENT_TYPE)
                book = openpyxl.load_workbook(io.BytesIO(response.content))
                for sheet in book.worksheets:
                    self.assert_laid_out(f"{name} {sheet.title}", sheet)
                    self.assert_no_number_as_text(f"{name} {sheet.title}", sheet)
                check(book)

    def test_the_national_dashboards_workbooks(self):
        """At the Academy (``DAOTAO_ROLE=academy``): each table of the national dashboard, laid
        out, its figures numbers in the format of their column."""
        national_package(self.office)
        board = national_dashboard(Period.parse("2020"))
        with override_settings(DAOTAO_ROLE="academy"):
            for slug, build in NATIONAL_SECTIONS.items():
                with self.subTest(section=slug):
                    response = self.client.get(reverse("academy:national_xlsx", args=["2020", slug]))
                    self.assertEqual(response.status_code, 200)
                    book = openpyxl.load_workbook(io.BytesIO(response.content))
                    for sheet in book.worksheets:
                        self.assert_laid_out(f"academy {slug} {sheet.title}", sheet)
                        self.assert_no_number_as_text(f"academy {slug} {sheet.title}", sheet)
                    self.assert_table(f"academy {slug}", build(board).table, book)

    def test_every_workbook_writer_is_checked(self):
        """A new export fails here until its address is listed in ``exports``."""
        with writers_reached() as reached:
            for _name, address, _check in self.exports():
                self.client.get(address)
        self.assertEqual(workbook_writers() - reached, set(), "workbook writers that no export here reaches")

    # --- what every sheet has ----------------------------------------------------------

    def assert_laid_out(self, where: str, sheet) -> None:
        """The heading frozen and printed on every page, a width for every used column."""
        self.assertTrue(sheet.print_title_rows, f"{where}: no print titles")
        first, last = header_rows(sheet)
        self.assertLessEqual(first, last)
        self.assertTrue(sheet.freeze_panes, f"{where}: no frozen heading")
        frozen_row = int(re.sub(r"[A-Z]+", "", sheet.freeze_panes))
        self.assertEqual(frozen_row, last + 1, f"{where}: frozen at {sheet.freeze_panes}, heading {first}:{last}")
        missing = set(range(1, sheet.max_column + 1)) - columns_with_width(sheet)
        self.assertEqual(missing, set(), f"{where}: columns without a width")
        self.assertEqual(str(sheet.page_setup.paperSize), str(sheet.PAPERSIZE_A4), where)

    def assert_no_number_as_text(self, where: str, sheet) -> None:
        """No text cell that a reader would take for a number (a text column of the import
        templates, kept text for its leading zeros, aside)."""
        _first, last = header_rows(sheet)
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type != "s" or cell.number_format == xlsx.TEXT:
                    continue
                text = cell.value.strip()
                looks_numeric = VIETNAMESE_NUMBER.fullmatch(text) or (
                    cell.row > last and PLAIN_NUMBER.fullmatch(text)  # a year may head a column
                )
                self.assertFalse(looks_numeric, f"{where}!{cell.coordinate}: a number stored as text: {text!r}")

    # --- the figures of each export ----------------------------------------------------

    def column(self, sheet, heading: str) -> list:
        """The cells under ``heading`` (in the last heading row), empty ones left out."""
        _first, last = header_rows(sheet)
        headings = [cell.value for cell in sheet[last]]
        self.assertIn(heading, headings, f"{sheet.title}: no column {heading!r}")
        index = headings.index(heading) + 1
        return [row[0] for row in sheet.iter_rows(min_row=last + 1, min_col=index, max_col=index) if row[0].value]

    def assert_numbers(self, where: str, cells, number_format: str, marks=()) -> None:
        """Each cell a number shown with ``number_format``, or one of the text ``marks``;
        at least one number."""
        numbers = [cell for cell in cells if cell.value not in marks]
        self.assertTrue(numbers, f"{where}: no figures")
        for cell in numbers:
            if cell.data_type == "f":  # a total written as a formula over the column
                continue
            self.assertEqual(
                (cell.data_type, cell.number_format),
                ("n", number_format),
                f"{where}!{cell.coordinate}: {cell.value!r}",
            )

    def assert_percent(self, where: str, cells) -> None:
        self.assert_numbers(where, cells, xlsx.PERCENT, marks=("–",))
        for cell in cells:
            if cell.data_type == "n":
                self.assertTrue(0 <= cell.value <= 10, f"{where}!{cell.coordinate}: a fraction, not {cell.value}")

    def check_grade_sheet(self, book) -> None:
        sheet = book["BangDiem"]
        _first, last = header_rows(sheet)
        grades = [cell for column in sheet.iter_cols(min_row=last + 1, min_col=4) for cell in column if cell.value]
        self.assert_numbers("grade sheet", grades, xlsx.GRADE, marks=("v",))
        self.assertTrue(any(cell.value == int(cell.value) for cell in grades if cell.data_type == "n"))

    def check_graduation(self, book) -> None:
        graduates = book["TotNghiep"]
        self.assert_numbers("graduation", self.column(graduates, _("Program average")), xlsx.AVERAGE)
        summary = book["TongHop"]
        counts = [row[1] for row in summary.iter_rows(min_row=3) if isinstance(row[1].value, int | float)]
        self.assert_numbers("graduation summary", counts, xlsx.INTEGER)
        active = next(row for row in summary.iter_rows() if row[0].value == _("Lessons taught with active methods"))
        self.assert_percent("graduation active share", [active[3]])

    def check_results_pack(self, book) -> None:
        sheet = book["KetQua"]
        module_codes = [m.code for m in self.cohort.program.modules.all()]
        _first, last = header_rows(sheet)
        headings = [cell.value for cell in sheet[last]]
        results = [cell for code in module_codes if code in headings for cell in self.column(sheet, code)]
        self.assert_numbers("pack results", results, xlsx.GRADE, marks=(_("barred"),))
        self.assert_numbers("pack average", self.column(sheet, _("Average")), xlsx.AVERAGE)
        for heading in (_("Missed periods"), _("Total periods")):
            self.assert_numbers(f"pack {heading}", self.column(sheet, heading), xlsx.INTEGER)

    def check_survey_results(self, book) -> None:
        sheet = book["KetQua"]
        by_label = {row[0].value: row for row in sheet.iter_rows(min_row=3) if row[0].value}
        for label in (_("Invited"), _("Answered"), _("Valid forms")):
            self.assert_numbers(f"survey {label}", [by_label[label][1]], xlsx.INTEGER)
        self.assert_percent("survey response rate", [by_label[_("Response rate")][1]])
        means = [row[1] for row in sheet.iter_rows() if row[0].value in (_("Mean"), _("Overall mean"))]
        self.assert_numbers("survey means", means, xlsx.AVERAGE)
        shares = [row[2] for row in sheet.iter_rows() if row[2].data_type == "n" and row[1].data_type == "n"]
        shares = [cell for cell in shares if cell.number_format == xlsx.PERCENT]
        self.assert_percent("survey shares", shares)
        answers = [row[2] for row in sheet.iter_rows() if row[1].value == _("Answers")]
        self.assert_numbers("survey answers", answers, xlsx.INTEGER)

    def check_teaching_report(self, book) -> None:
        for sheet in book.worksheets:
            for heading in (_("Periods"), _("Lessons held"), _("With active methods")):
                self.assert_numbers(f"teaching {heading}", self.column(sheet, heading), xlsx.INTEGER)
            self.assert_percent("teaching share", self.column(sheet, _("Share with active methods")))

    def check_outcomes(self, book) -> None:
        sheet = book["KetQua"]
        self.assert_numbers("outcomes graduates", self.column(sheet, _("Graduates")), xlsx.INTEGER)
        self.assert_percent("outcomes share", self.column(sheet, _("Share within 12 months")))
        self.assert_percent("outcomes share", self.column(sheet, _("Share within 24 months")))

    def check_training_record(self, book) -> None:
        self.assert_numbers("record average", self.column(book["LopHoc"], _("Program average")), xlsx.AVERAGE)
        scores = self.column(book["TieuLuan"], _("Final score"))
        if scores:  # the demo student's essay may not be graded
            self.assert_numbers("record essay", scores, xlsx.GRADE)

    def check_quota(self, book) -> None:
        sheet = book["TienDoChiTieu"]
        for heading in (_("Planned classes"), _("Classes opened")):
            self.assert_numbers(f"quota {heading}", self.column(sheet, heading), xlsx.CLASSES)
        headings = (_("Planned students"), _("Students enrolled"), _("Shortfall"), _("Nominated"), _("Eligible"))
        for heading in (*headings, _("Admitted")):
            self.assert_numbers(f"quota {heading}", self.column(sheet, heading), xlsx.INTEGER)
        self.assert_percent("quota ratio", self.column(sheet, _("Achieved")))

    def check_yearly_report(self, book) -> None:
        report = book["BaoCao"]
        self.assert_numbers("yearly classes", self.column(report, words.CLASSES), xlsx.CLASSES)
        quota = book["ChiTieu"]
        self.assert_numbers("yearly planned classes", self.column(quota, words.PLANNED_CLASSES), xlsx.CLASSES)
        self.assert_numbers("yearly planned students", self.column(quota, words.PLANNED_STUDENTS), xlsx.INTEGER)
        self.assert_percent("yearly ratio", self.column(quota, words.RATIO))

    def check_dashboard(self, chart: str):
        def check(book) -> None:
            table = BUILDERS[chart](board_dashboard(self.graduation_year, self.office)).table
            self.assert_table(f"dashboard {chart}", table, book)

        return check

    def assert_table(self, name: str, table, book) -> None:
        """Every figure of a dashboard's table (``lib/tables.py``) with the format of its
        column's kind (or its own, ``tables.Value``)."""
        sheet = book.worksheets[0]
        _first, last = header_rows(sheet)
        rows = [*table.rows, *([table.total] if table.total is not None else [])]
        figures = 0
        for number, values in enumerate(rows, start=last + 1):
            for index, (value, column) in enumerate(zip(values, table.columns, strict=True), start=1):
                kind = value.kind if isinstance(value, tables.Value) else column.kind
                value = value.value if isinstance(value, tables.Value) else value
                cell = sheet.cell(number, index)
                if kind == tables.TEXT or value is None:
                    continue
                figures += 1
                where = f"{name}!{get_column_letter(index)}{number}"
                self.assertEqual((cell.data_type, cell.number_format), ("n", FORMATS[kind]), where)
                expected = Decimal(str(value)) / 100 if kind == tables.PERCENT else value
                self.assertAlmostEqual(float(cell.value), float(expected), places=6, msg=where)
        self.assertGreater(figures, 0, f"{name}: no figures")

    def check_workload(self, book) -> None:
        sheet = book["GioChuan"]
        self.assert_numbers(
            "workload periods", self.column(sheet, _("Periods: %(kind)s") % {"kind": _("Lecture")}), xlsx.INTEGER
        )
        self.assert_numbers("workload hours", self.column(sheet, _("Total standard hours")), workload_export.HOURS)
        self.assert_percent("workload share", self.column(sheet, _("Share of the norm")))

    def check_money(self, sheet_name: str):
        def check(book) -> None:
            sheet = book[sheet_name]
            self.assert_numbers(
                f"{sheet_name} amounts",
                self.column(sheet, _("Planned") if sheet_name == "TaiChinh" else _("Due")),
                xlsx.INTEGER,
            )

        return check

    def check_counts(self, book) -> None:
        """A table of counts: each figure a count (1.040) or a count of classes (07); a row
        number in the first column."""
        for sheet in book.worksheets:
            _first, last = header_rows(sheet)
            figures = [
                cell
                for row in sheet.iter_rows(min_row=last + 1, min_col=2)
                for cell in row
                if cell.data_type == "n" and cell.value is not None
            ]
            self.assertTrue(figures, f"{sheet.title}: no figures")
            for cell in figures:
                self.assertIn(cell.number_format, (xlsx.INTEGER, xlsx.CLASSES), f"{sheet.title}!{cell.coordinate}")

    def check_template(self, book) -> None:
        """The example rows and the guide: laid out as every sheet; a decimal example shows
        its decimals (8,25)."""
        for sheet in book.worksheets:
            for row in sheet.iter_rows(min_row=2):
                for cell in row:
                    if isinstance(cell.value, float) and not cell.value.is_integer():
                        self.assertEqual(cell.number_format, xlsx.decimals(len(repr(cell.value).split(".")[1])))
