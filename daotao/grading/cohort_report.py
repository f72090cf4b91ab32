"""A cohort's graduation report as schools publish it: "81/81 học viên đủ điều kiện tốt
nghiệp, trong đó 8 Giỏi, 73 Khá", the distribution of results, the share of lessons taught
with active methods, and the list of graduates; as a page, xlsx and PDF."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

import openpyxl
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Font

from daotao.grading.charts import bar_chart
from daotao.grading.models import Classification, GraduationEntry
from daotao.grading.results import cohort_results
from daotao.lib.vietnamese import format_decimal, format_int, format_percent
from daotao.programs.models import ProgramKind
from daotao.teaching.reports import active_methods_share

BINS = ((Decimal(0), Decimal(5)), (Decimal(5), Decimal(6)), (Decimal(6), Decimal(7)), (Decimal(7), Decimal(8)),
        (Decimal(8), Decimal(9)), (Decimal(9), Decimal(11)))  # fmt: skip


@dataclass
class CohortReport:
    cohort: object
    training: bool
    total: int
    complete: int
    classes: list[tuple[str, int]]
    bins: list[tuple[str, int]]
    active: int
    held: int
    graduates: list
    results: object

    @property
    def summary(self) -> str:
        """The sentence schools publish, counting from the records."""
        params = {"complete": format_int(self.complete), "total": format_int(self.total)}
        if not self.training:
            return _("%(complete)s/%(total)s students qualify for the certificate") % params
        if not self.classes:
            return _("%(complete)s/%(total)s students qualify to graduate") % params
        params["classes"] = ", ".join(f"{format_int(count)} {label}" for label, count in self.classes)
        return _("%(complete)s/%(total)s students qualify to graduate, of whom %(classes)s") % params

    @property
    def active_share(self) -> str:
        return format_percent(self.active / self.held) if self.held else "–"

    def chart(self) -> str:
        title = _("Program averages") if self.training else _("Module results")
        return bar_chart(self.bins, title)


def _label(low: Decimal, high: Decimal) -> str:
    if low == 0:
        return _("under 5")
    if high > 10:
        return _("9 to 10")
    return f"{format_decimal(low, 0)}–<{format_decimal(high, 0)}"


def build(cohort) -> CohortReport:
    results = cohort_results(cohort)
    training = cohort.program.kind == ProgramKind.TRAINING
    complete = [r for r in results.values() if r.complete]
    counts = Counter(r.classification for r in complete if r.classification)
    classes = [(Classification(c).label, counts[c]) for c in Classification.values if counts.get(c)]
    values = (
        [r.average for r in results.values() if r.average is not None]
        if training
        else [o.result for r in results.values() for o in r.modules.values() if o.result is not None]
    )
    bins = [(_label(low, high), sum(1 for v in values if low <= v < high)) for low, high in BINS]
    active, held = active_methods_share(cohort.lessons.filter(date__lte=timezone.localdate()))
    graduates = list(
        GraduationEntry.objects.filter(enrollment__cohort=cohort)
        .select_related("enrollment__student", "decision")
        .order_by("enrollment__student__sort_key")
    )
    return CohortReport(cohort, training, len(results), len(complete), classes, bins, active, held, graduates, results)


def workbook(report: CohortReport) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "TongHop"
    sheet.append([f"{report.cohort.code} – {report.cohort.name}"])
    sheet["A1"].font = Font(bold=True)
    sheet.append([report.summary])
    sheet.append([_("Lessons taught with active methods"), report.active, report.held, report.active_share])
    sheet.append([])
    sheet.append([_("Range"), _("Students")])
    for label, count in report.bins:
        sheet.append([label, count])
    graduates = book.create_sheet("TotNghiep")
    graduates.append([_("No."), _("Full name"), _("Average"), _("Classification"), _("Decision")])
    for number, entry in enumerate(report.graduates, start=1):
        graduates.append(
            [
                number,
                entry.enrollment.student.full_name,
                float(entry.average) if entry.average is not None else None,
                entry.get_classification_display(),
                entry.decision.number,
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
