"""What a workbook import reports, whatever it imports (classes, applications, quotas,
grades, career events): the problems that refuse a file, or the counts of what it changed.
A background job (``daotao.web.jobs``) shows a refused file's problems as they are here."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from daotao.lib.vietnamese import format_int

# At most this many problems are listed (the page, the command, a job's state); the others
# are counted: a file with 20.000 bad rows gets a list a person reads, not 29 MB of it.
LISTED = 200


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """One reason the file was refused; ``row`` is the row number Excel shows."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""  # the header as the format names it, with the column letter

    def __str__(self) -> str:
        row = format_int(self.row) if self.row else self.row
        params = {"sheet": self.sheet, "row": row, "column": self.column, "message": self.message}
        if self.sheet and self.row and self.column:
            return _("Sheet %(sheet)s, row %(row)s, column %(column)s: %(message)s") % params
        if self.sheet and self.row:
            return _("Sheet %(sheet)s, row %(row)s: %(message)s") % params
        if self.sheet:
            return _("Sheet %(sheet)s: %(message)s") % params
        return self.message


class ProblemList(list):
    """The problems of an import as they are found: every one is counted (``total``), but
    only the first ``KEPT`` of each sheet are kept, so that a file whose every cell is wrong
    costs no more memory than one with a thousand problems. Rows are checked in order, so
    the first ``LISTED`` by row are among those kept."""

    KEPT = 1_000

    def __init__(self, problems=()):
        super().__init__()
        self.total = 0
        self._per_sheet: dict[str, int] = {}
        self.extend(problems)

    def append(self, problem: ImportProblem) -> None:
        self.total += 1
        kept = self._per_sheet.get(problem.sheet, 0)
        if kept < self.KEPT:
            self._per_sheet[problem.sheet] = kept + 1
            super().append(problem)

    def extend(self, problems) -> None:
        for problem in problems:
            self.append(problem)
        if isinstance(problems, ProblemList):  # those it counted without keeping
            self.total += problems.total - len(problems)

    def __iadd__(self, problems):
        self.extend(problems)
        return self


class ImportRejected(Exception):
    """The workbook was refused and nothing was written. ``problems``: the first ``LISTED``
    of them, by sheet and row; ``total``: how many were found."""

    def __init__(self, problems: list[ImportProblem], sheets=()):
        """``sheets``: the sheet formats of the workbook, in the order problems are listed
        (problems of a sheet not among them come first)."""
        rank = {sheet.name: index for index, sheet in enumerate(sheets, start=1)}
        self.total = getattr(problems, "total", len(problems))
        self.problems = sorted(problems, key=lambda p: (rank.get(p.sheet, 0), p.row or 0))[:LISTED]
        super().__init__("\n".join(self.lines()))

    @property
    def unlisted(self) -> int:
        return self.total - len(self.problems)

    def summary(self) -> str:
        """“Nothing was imported: N problems found.”"""
        return ngettext(
            "Nothing was imported: %(shown)s problem found.",
            "Nothing was imported: %(shown)s problems found.",
            self.total,
        ) % {"shown": format_int(self.total)}

    def lines(self) -> list[str]:
        """One line per problem listed, and “… and N more problems.” when some are not."""
        lines = [str(problem) for problem in self.problems]
        if self.unlisted:
            lines.append(more_problems(self.unlisted))
        return lines


def too_long(limit: int, length: int) -> str:
    """The problem of a text longer than its column or field takes."""
    return _("Too long: at most %(limit)s characters (this one has %(length)s).") % {
        "limit": format_int(limit),
        "length": format_int(length),
    }


def more_problems(count: int) -> str:
    return ngettext("… and %(count)s more problem.", "… and %(count)s more problems.", count) % {
        "count": format_int(count)
    }


@dataclass
class Tally:
    """How many records of one kind an import created, updated and left unchanged."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def shown(self) -> dict[str, str]:
        """The counts as a message takes them: ``%(created)s``, ``%(updated)s``, ``%(unchanged)s``."""
        return {key: format_int(getattr(self, key)) for key in ("created", "updated", "unchanged")}


def counted_lines(dry_run: bool, counts: list[tuple[str, Tally]]) -> list[str]:
    """What an import says it did: whether it wrote (or only checked), then one line per
    kind of record, its message filled with its tally."""
    head = _("The file is valid; nothing was written (check only).") if dry_run else _("Import finished.")
    return [head] + [text % tally.shown() for text, tally in counts]
