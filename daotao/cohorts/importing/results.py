"""What an import reports: the problems that refuse a file, or the counts of what it changed."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from daotao.cohorts.importing.columns import SHEETS
from daotao.lib.vietnamese import format_int


@dataclass(frozen=True)
class ImportProblem:
    """One reason the file was refused; ``row`` is the row number Excel shows."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""  # the header as the format names it, with the column letter

    def __str__(self) -> str:
        params = {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}
        if self.sheet and self.row and self.column:
            return _("Sheet %(sheet)s, row %(row)s, column %(column)s: %(message)s") % params
        if self.sheet and self.row:
            return _("Sheet %(sheet)s, row %(row)s: %(message)s") % params
        if self.sheet:
            return _("Sheet %(sheet)s: %(message)s") % params
        return self.message


class ImportRejected(Exception):
    """The workbook was refused and nothing was written; ``problems`` says why."""

    def __init__(self, problems: list[ImportProblem], sheets=SHEETS):
        """``sheets``: the sheet formats of the workbook, in the order problems are listed."""
        rank = {sheet.name: index for index, sheet in enumerate(sheets, start=1)}
        self.problems = sorted(problems, key=lambda p: (rank.get(p.sheet, 0), p.row or 0))
        super().__init__("\n".join(str(p) for p in self.problems))

    def summary(self) -> str:
        """“Nothing was imported: N problems found.”"""
        count = len(self.problems)
        return ngettext(
            "Nothing was imported: %(shown)s problem found.", "Nothing was imported: %(shown)s problems found.", count
        ) % {"shown": format_int(count)}


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportResult:
    cohorts: Tally = field(default_factory=Tally)
    students: Tally = field(default_factory=Tally)
    enrollments: Tally = field(default_factory=Tally)
    dry_run: bool = False

    def lines(self) -> list[str]:
        counts = [
            (_("Classes: %(created)s created, %(updated)s updated, %(unchanged)s unchanged."), self.cohorts),
            (_("Students: %(created)s created, %(updated)s updated, %(unchanged)s unchanged."), self.students),
            (_("Enrollments: %(created)s created, %(updated)s updated, %(unchanged)s unchanged."), self.enrollments),
        ]
        head = _("The file is valid; nothing was written (check only).") if self.dry_run else _("Import finished.")
        return [head] + [
            text % {k: format_int(getattr(tally, k)) for k in ("created", "updated", "unchanged")}
            for text, tally in counts
        ]

    def summary(self) -> str:
        return " ".join(self.lines())
