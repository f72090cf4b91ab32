"""What an import of classes reports: the counts of what it changed. Its problems are
reported as every import's are (``daotao.web.import_results``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from daotao.web.import_results import Tally, counted_lines


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
        return counted_lines(self.dry_run, counts)

    def summary(self) -> str:
        return " ".join(self.lines())
