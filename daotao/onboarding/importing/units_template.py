"""The units workbook offered for download: the sheet DonVi with an example tree (the 2025
reorganisation included) and a HuongDan sheet that explains every column."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from daotao.cohorts.importing.columns import Column
from daotao.cohorts.importing.template import build_template
from daotao.onboarding.importing.units import KINDS, UNITS
from daotao.org.models import UnitKind

DISTRICTS_END = dt.date(2025, 6, 30)  # the district level of government ended on 1/7/2025
COMMUNES_START = dt.date(2025, 7, 1)


def _examples() -> list[dict[str, object]]:
    """A small tree, in an order that shows rows may name a parent or successor further down."""

    def row(code, name, kind, parent="", **extra):
        return {"code": code, "name": name, "kind": KINDS.label(kind), "parent": parent, **extra}

    return [
        row("BA", "Tỉnh Bình An", UnitKind.PROVINCE),
        row("SCH", "Trường Chính trị tỉnh Bình An", UnitKind.SCHOOL, "BA"),
        row("K-XDD", "Khoa Xây dựng Đảng", UnitKind.FACULTY, "SCH"),
        row("H01", "Huyện An Lạc", UnitKind.DISTRICT, "BA", valid_to=DISTRICTS_END, successor="X01"),
        row(
            "TTCT-H01", "Trung tâm Chính trị huyện An Lạc", UnitKind.POLITICAL_CENTRE, "H01",
            valid_to=DISTRICTS_END, successor="TTCT-X01",
        ),
        row("X01", "Xã An Lạc", UnitKind.COMMUNE, "BA", valid_from=COMMUNES_START),
        row(
            "TTCT-X01", "Trung tâm Chính trị xã An Lạc", UnitKind.POLITICAL_CENTRE, "X01",
            valid_from=COMMUNES_START, email="ttct.anlac@binhan.gov.vn",
        ),
        row("SNV", "Sở Nội vụ tỉnh Bình An", UnitKind.AGENCY, "BA", email="snv@binhan.gov.vn"),
    ]  # fmt: skip


def _accepted(column: Column) -> str:
    if column.choices:
        return column.choices.shown()
    if column.key in ("valid_from", "valid_to"):
        return "dd/mm/yyyy"
    if column.key in ("parent", "successor"):
        return _("A code of this sheet or of a unit on record.")
    return ""


def template_workbook() -> bytes:
    """The units workbook with its example tree and a HuongDan sheet (in the active language)."""
    columns = {key: UNITS.column(key).header for key in ("parent", "valid_from", "valid_to", "successor")}
    rules = [
        _("One row per unit in the sheet %(sheet)s: the province, the school with its faculties and offices, the "
          "district- and commune-level localities, the political centres and the sending agencies.")
        % {"sheet": UNITS.name},
        _("The first row holds the column names; the order of the columns is free, and so is the order of the rows: "
          "a unit's parent or successor may be on a later row, or already on record."),
        _("Every unit but a province has a parent (%(parent)s): the code of the unit directly above it.") % columns,
        _("The 2025 reorganisation: a district-level locality keeps its row with %(valid_to)s 30/06/2025 and, in "
          "%(successor)s, the code of the commune that took over; the commune has %(valid_from)s 01/07/2025. A "
          "successor must be valid on the day after the end of the unit it succeeds; the same holds for a district's "
          "political centre and the commune's.") % columns,
        _("Dates: dd/mm/yyyy, or a date cell. Type values, not formulas, and do not merge cells."),
        _("The whole file is checked before anything is written: if any row is wrong, nothing is imported "
          "and every problem is listed with its row and column."),
        _("Units are matched by code, without regard to case and extra spaces: a unit on record is updated, none is "
          "ever deleted, and importing the same file again changes nothing."),
        _("An empty cell in %(valid_from)s, %(valid_to)s, %(successor)s or Email keeps what is on record.") % columns,
    ]  # fmt: skip
    return build_template([(UNITS, _examples())], rules, _accepted)
