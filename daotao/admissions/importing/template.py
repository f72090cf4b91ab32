"""The empty nomination workbook offered for download, written from the column definitions."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from daotao.admissions.importing.columns import (
    EDUCATION_LEVELS,
    GRADES,
    NOMINATIONS,
    PARTY_STATUSES,
    RATINGS,
    THEORY_LEVELS,
    YES_NO,
)
from daotao.admissions.models import (
    CivilServiceGrade,
    DocumentType,
    EducationLevel,
    PartyStatus,
    PositionCategory,
    ProgramDocument,
    Rating,
    TheoryLevel,
)
from daotao.cohorts.importing.columns import FUNDINGS, GENDERS, MODES, Column
from daotao.cohorts.importing.template import accepted_values, build_template
from daotao.cohorts.models import Funding, Mode
from daotao.lib import national_id as cccd
from daotao.org.models import LOCALITY_KINDS, Unit
from daotao.programs.models import Program


def _example() -> dict[str, object]:
    program = Program.objects.filter(code="TC-LLCT-HC").first() or Program.objects.order_by("code").first()
    locality = Unit.objects.filter(kind__in=LOCALITY_KINDS, valid_to__isnull=True).order_by("code").first()
    documents = ProgramDocument.objects.filter(program=program, required=True).order_by("order", "id")
    born = dt.date(1986, 3, 9)
    return {
        "program": program.code if program else "TC-LLCT-HC",
        "mode": MODES.label(Mode.NON_CONCENTRATED),
        "funding": FUNDINGS.label(Funding.SUPPORTED),
        "locality": locality.code if locality else "",
        "national_id": cccd.make("052", cccd.MALE, born, 1),
        "full_name": "Nguyễn Văn An",
        "date_of_birth": born,
        "gender": GENDERS.label(cccd.MALE),
        "ethnicity": "Kinh",
        "phone": "0912345678",
        "party_status": PARTY_STATUSES.label(PartyStatus.FULL),
        "party_joined_on": dt.date(2012, 5, 19),
        "education_level": EDUCATION_LEVELS.label(EducationLevel.UNIVERSITY),
        "theory_level": THEORY_LEVELS.label(TheoryLevel.ELEMENTARY),
        "position": "Phó Trưởng phòng Văn hóa - Xã hội",
        "position_category": "PHO-PHONG",
        "workplace": "UBND phường Nam Sơn",
        "grade": GRADES.label(CivilServiceGrade.SPECIALIST),
        "in_planning_pool": YES_NO.label(False),
        "rating_last_year": RATINGS.label(Rating.GOOD),
        "rating_year_before": RATINGS.label(Rating.EXCELLENT),
        "documents": ", ".join(d.document_type.code for d in documents.select_related("document_type")),
    }


def _accepted(column: Column) -> str:
    if column.key in ("position_category", "planned_position"):
        return ", ".join(PositionCategory.objects.order_by("code").values_list("code", flat=True))
    if column.key == "documents":
        return ", ".join(f"{code} ({name})" for code, name in DocumentType.objects.values_list("code", "name"))
    if column.key == "party_joined_on":
        return "dd/mm/yyyy"
    return accepted_values(column)


def template_workbook() -> bytes:
    """An empty nomination workbook: the sheet HoSo with its headers and an example row, and a
    HuongDan sheet that explains every column (in the active language)."""
    rules = [
        _("One row per candidate in the sheet %(sheet)s.") % {"sheet": NOMINATIONS.name},
        _("The first row holds the column names; the order of the columns is free."),
        _("Dates: dd/mm/yyyy, or a date cell. Type values, not formulas, and do not merge cells."),
        _("The whole file is checked before anything is written: if any row is wrong, nothing is imported "
          "and every problem is listed with its row and column."),
        _("A candidate already nominated for the same program in the year (same national ID) is updated while "
          "the nomination is pending; importing the same file again changes nothing."),
        _("An empty cell never erases a value already on record; documents listed are marked received."),
    ]  # fmt: skip
    return build_template([(NOMINATIONS, _example())], rules, _accepted)
