"""What an import of classes reports: the counts of what it changed, and the statuses it
kept because a later decision settled them. Its problems are reported as every import's
are (``daotao.web.import_results``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from daotao.lib.vietnamese import format_int
from daotao.web.import_results import ImportProblem, Tally, counted_lines

# At most this many rows whose status was kept are named; the others are counted.
KEPT_LISTED = 50


@dataclass
class ImportResult:
    cohorts: Tally = field(default_factory=Tally)
    students: Tally = field(default_factory=Tally)
    enrollments: Tally = field(default_factory=Tally)
    # Statuses the file would have undone, kept as the later decision left them
    # (``plan.Plan``): graduates, students who left before the graduation decision, classes.
    kept_graduates: int = 0
    kept_leavers: int = 0
    kept_classes: int = 0
    kept: list[ImportProblem] = field(default_factory=list)  # the first KEPT_LISTED rows, each with why
    dry_run: bool = False

    def keep(self, counter: str, note: ImportProblem) -> None:
        """Count a status kept (``counter``: one of the ``kept_`` fields) and note its row."""
        setattr(self, counter, getattr(self, counter) + 1)
        if len(self.kept) < KEPT_LISTED:
            self.kept.append(note)

    def lines(self) -> list[str]:
        counts = [
            (_("Classes: %(created)s created, %(updated)s updated, %(unchanged)s unchanged."), self.cohorts),
            (_("Students: %(created)s created, %(updated)s updated, %(unchanged)s unchanged."), self.students),
            (_("Enrollments: %(created)s created, %(updated)s updated, %(unchanged)s unchanged."), self.enrollments),
        ]
        return counted_lines(self.dry_run, counts) + self.kept_lines()

    def kept_lines(self) -> list[str]:
        """What the import did not undo: a count per kind, then the rows, each with why."""
        lines = []
        if self.kept_graduates:
            lines.append(
                ngettext(
                    "%(count)s graduated student kept the status “Completed”: an import never undoes a "
                    "graduation decision.",
                    "%(count)s graduated students kept the status “Completed”: an import never undoes a "
                    "graduation decision.",
                    self.kept_graduates,
                )
                % {"count": format_int(self.kept_graduates)}
            )
        if self.kept_leavers:
            lines.append(
                ngettext(
                    "%(count)s student who left the class before its graduation decision kept their status.",
                    "%(count)s students who left their class before its graduation decision kept their status.",
                    self.kept_leavers,
                )
                % {"count": format_int(self.kept_leavers)}
            )
        if self.kept_classes:
            lines.append(
                ngettext(
                    "%(count)s class with a graduation decision kept its status.",
                    "%(count)s classes with a graduation decision kept their status.",
                    self.kept_classes,
                )
                % {"count": format_int(self.kept_classes)}
            )
        lines += [str(note) for note in self.kept]
        more = self.kept_graduates + self.kept_leavers + self.kept_classes - len(self.kept)
        if more:
            lines.append(
                ngettext("… and %(count)s more row kept.", "… and %(count)s more rows kept.", more)
                % {"count": format_int(more)}
            )
        return lines

    def summary(self) -> str:
        return " ".join(self.lines())
