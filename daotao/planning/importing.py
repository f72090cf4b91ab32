"""Import of a year's quota lines from an .xlsx workbook (sheet ``ChiTieu``: program code,
locality code, funding, classes, students; docs/import-format.md).

Reading, header finding and cell parsing are the class import's (``daotao.cohorts.importing``).
Every row is checked first; the plan changes only when the whole file is right (all or
nothing). A line of the file creates the plan's line for its program, locality and funding
or updates its numbers; lines of the plan that the file does not name are kept. The plan
of the year is created (as a draft) if there is none; a change to an approved plan is
audited (``services.audited``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daotao.cohorts.importing.columns import FUNDINGS, Column, SheetFormat
from daotao.cohorts.importing.reading import read_workbook
from daotao.cohorts.importing.rows import RowReader, cell_text
from daotao.lib.batches import BATCH
from daotao.lib.vietnamese import format_int, is_whole_number
from daotao.org.models import Unit, UnitKind
from daotao.org.validity import unit_problem
from daotao.planning.models import AnnualPlan, Quota
from daotao.planning.services import audited
from daotao.programs.models import Program
from daotao.web.import_results import ImportRejected, ProblemList, Tally

QUOTA_LOCALITY_KINDS = (UnitKind.DISTRICT, UnitKind.COMMUNE, UnitKind.POLITICAL_CENTRE)
MAX_QUOTA = 100_000

QUOTAS = SheetFormat(
    "ChiTieu",
    (
        Column("program", "Mã chương trình", True, gettext_lazy("Code of the program."), ("Mã CT",)),
        Column(
            "locality", "Mã địa phương", True,
            gettext_lazy("Code of the locality or political centre given the quota."), width=16,
        ),
        Column("funding", "Kinh phí", True, gettext_lazy("Who pays the training costs."),
               ("Nguồn kinh phí",), FUNDINGS, 22),
        Column("classes", "Số lớp", True, gettext_lazy("Number of classes (a whole number, 0 or more)."), width=10),
        Column("students", "Số học viên", True, gettext_lazy("Number of students (a whole number, 0 or more)."),
               ("Số HV",), width=12),
    ),
)  # fmt: skip


@dataclass
class QuotaImportResult:
    year: int
    lines: Tally

    def summary(self) -> str:
        text = _("Quota lines of the %(year)s plan: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
        return text % {
            "year": self.year,
            "created": format_int(self.lines.created),
            "updated": format_int(self.lines.updated),
            "unchanged": format_int(self.lines.unchanged),
        }


def _whole_number(reader: RowReader, key: str) -> int | None:
    value = reader.raw(key)
    if value is None:
        return None
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        number = None
    elif isinstance(value, int | float):
        number = int(value)
    else:
        text = cell_text(value)
        number = int(text) if is_whole_number(text) else None
    if number is None or not 0 <= number <= MAX_QUOTA:
        reader.fail(
            key,
            _("“%(value)s” is not a whole number from 0 to %(max)s.")
            % {"value": cell_text(value), "max": format_int(MAX_QUOTA)},
        )
        return None
    return number


def quotas_import(source, year: int, user) -> QuotaImportResult:
    """Check every row, then write the quota lines of ``year``'s plan; ImportRejected (and
    nothing written) if any row is wrong."""
    sheet = read_workbook(source, sheets=(QUOTAS,))[QUOTAS.name]
    problems = ProblemList()
    programs = {p.code.upper(): p for p in Program.objects.all()}
    codes = set()
    for _number, cells in sheet.rows:
        codes.add(cell_text(cells.get("locality")).upper())
    units = {u.code.upper(): u for u in Unit.objects.filter(code__in=codes)}
    wanted: dict[tuple[int, int, str], tuple[int, int]] = {}
    first_row: dict[tuple[int, int, str], int] = {}
    for number, cells in sheet.rows:
        reader = RowReader(sheet, number, cells, problems)
        program_code = reader.code("program")
        program = programs.get(program_code)
        if program_code and program is None:
            reader.fail("program", _("Unknown program code “%(code)s”.") % {"code": program_code})
        locality = reader.unit(
            "locality",
            units,
            QUOTA_LOCALITY_KINDS,
            _("%(name)s (%(code)s) is not a locality or a political centre."),
        )
        if (problem := unit_problem(locality, year)) is not None:
            reader.fail("locality", problem)
            locality = None
        funding = reader.choice("funding")
        classes, students = _whole_number(reader, "classes"), _whole_number(reader, "students")
        if reader.failed or None in (program, locality, classes, students) or not funding:
            continue
        key = (program.pk, locality.pk, funding)
        if key in first_row:
            reader.fail(
                "locality",
                _("The same program, locality and funding as row %(row)s.") % {"row": first_row[key]},
            )
            continue
        first_row[key] = number
        wanted[key] = (classes, students)
    if problems:
        raise ImportRejected(problems)
    tally = Tally()
    with transaction.atomic():
        plan, _created = AnnualPlan.objects.get_or_create(year=year)
        with audited(plan, user, "plan.import", note=_("Quota lines imported from a workbook.")):
            existing = {(q.program_id, q.locality_id, q.funding): q for q in Quota.objects.filter(plan=plan)}
            new, changed = [], []
            for (program_id, locality_id, funding), (classes, students) in wanted.items():
                quota = existing.get((program_id, locality_id, funding))
                if quota is None:
                    new.append(
                        Quota(plan=plan, program_id=program_id, locality_id=locality_id, funding=funding,
                              classes=classes, students=students)
                    )  # fmt: skip
                elif (quota.classes, quota.students) != (classes, students):
                    quota.classes, quota.students = classes, students
                    changed.append(quota)
                else:
                    tally.unchanged += 1
            Quota.objects.bulk_create(new, batch_size=BATCH)
            Quota.objects.bulk_update(changed, ["classes", "students"], batch_size=BATCH)
            tally.created, tally.updated = len(new), len(changed)
    return QuotaImportResult(year, tally)
