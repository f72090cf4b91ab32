"""A module's grade sheet as xlsx, and its import back (all or nothing).

The sheet names students by row number, full name and their key in the class (never the
national ID); one column per assessment, and the retake after the exam. A file of another
module has other columns and is refused; rows of students outside the class are refused."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from daotao.cohorts.importing.columns import Column as SheetColumn
from daotao.cohorts.importing.columns import SheetFormat, label_key
from daotao.cohorts.importing.reading import read_workbook
from daotao.cohorts.models import Enrollment
from daotao.grading import rules as grading_rules
from daotao.grading.models import SCORE
from daotao.grading.services import grades_bulk_record, parse_value
from daotao.grading.sheet import columns_of
from daotao.lib import xlsx
from daotao.web.import_results import ImportProblem, ImportRejected, ProblemList

SHEET_NAME = "BangDiem"
KEY, NUMBER, NAME = "key", "number", "name"


def _header(module, column) -> str:
    """The module's code in every grade column's header, so that the sheet of another
    module (with components of the same names) is refused rather than recorded here."""
    header = f"{module.code} · {column.assessment.name}"
    return f"{header} ({_('retake')})" if column.attempt > 1 else header


def sheet_format(module) -> SheetFormat:
    columns = [
        SheetColumn(NUMBER, _("No.")),
        SheetColumn(NAME, _("Full name"), required=True),
        SheetColumn(KEY, _("Student key"), required=True),
    ]
    columns += [SheetColumn(column.key, _header(module, column), required=True) for column in columns_of(module)]
    return SheetFormat(SHEET_NAME, tuple(columns))


# Scores are written as numbers with the decimals they are recorded with: 7,5 and 8,0.
SCORE_FORMAT = xlsx.decimals(SCORE["decimal_places"])  # one decimal, as xlsx.GRADE


def _exported(cell):
    """A score as a number (so that Excel adds the column up), "v" for absent, else empty."""
    if cell.grade is not None and cell.grade.score is not None and not cell.error:
        return xlsx.number(cell.grade.score, SCORE_FORMAT)
    return cell.shown or None


def export(cohort, module, columns, rows) -> bytes:
    """The sheet as the import reads it back: a title row, the headings, a row per student;
    the headings stay in view with the names, and are printed on every page."""
    book = xlsx.Book()
    sheet = book.sheet(SHEET_NAME)
    sheet.append([f"{cohort.code} – {module.code} {module.name}"], xlsx.BOLD)
    sheet_columns = sheet_format(module).columns
    sheet.table_header([column.header for column in sheet_columns], xlsx.BOLD | xlsx.Style(wrap=True))
    for row in rows:
        sheet.append([row.number, row.enrollment.student.full_name, row.enrollment.pk, *map(_exported, row.cells)])
    sheet.finish_table((6, 28, 12, *[16] * (len(sheet_columns) - 3)), freeze_columns=2)
    return book.to_bytes()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def import_sheet(user, cohort, module, source) -> int:
    """Record every cell of the uploaded sheet (a path, bytes or file object), or nothing;
    returns the cells changed. Raises ImportRejected with every problem."""
    format_ = sheet_format(module)
    table = read_workbook(source, sheets=(format_,))[SHEET_NAME]
    enrollments = {
        e.pk: e for e in Enrollment.objects.filter(cohort=cohort).on_roll().select_related("cohort__program", "student")
    }
    columns = columns_of(module)
    problems, cells, seen = ProblemList(), [], set()
    for row_number, values in table.rows:
        try:
            key = int(_text(values.get(KEY)))
        except ValueError:
            key = None
        enrollment = enrollments.get(key)
        if enrollment is None:
            problems.append(
                ImportProblem(_("This student is not in the class."), SHEET_NAME, row_number, table.where(KEY))
            )
            continue
        if key in seen:
            problems.append(ImportProblem(_("This student appears twice."), SHEET_NAME, row_number, table.where(KEY)))
            continue
        seen.add(key)
        name = _text(values.get(NAME))
        if label_key(name) != label_key(enrollment.student.full_name):
            problems.append(
                ImportProblem(
                    _("The name does not match the student with this key (%(name)s).")
                    % {"name": enrollment.student.full_name},
                    SHEET_NAME,
                    row_number,
                    table.where(NAME),
                )
            )
            continue
        for column in columns:
            cells.append((row_number, column, enrollment, _text(values.get(column.key))))
    rows = []
    rules = grading_rules.rules_for(cohort.program)
    for row_number, column, enrollment, value in cells:
        try:
            parse_value(value, column.assessment, rules)
        except ValidationError as error:
            problems.append(ImportProblem(" ".join(error.messages), SHEET_NAME, row_number, table.where(column.key)))
        rows.append((enrollment, column.assessment, column.attempt, value))
    if problems:
        raise ImportRejected(problems, (format_,))
    try:
        return grades_bulk_record(user=user, cohort=cohort, module=module, rows=rows)
    except (ValidationError, PermissionDenied) as error:
        messages = error.messages if isinstance(error, ValidationError) else [str(error)]
        raise ImportRejected([ImportProblem(message) for message in messages], (format_,)) from None
