"""What an import of classes reports: the counts of what it changed. Its problems are
reported as every import's are (``daotao.web.import_results``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from daotao.lib.vietnamese import format_int
from daotao.web.import_results import Tally


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
