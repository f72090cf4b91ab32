"""A cohort's graduation report as schools publish it: "81/81 học viên đủ điều kiện tốt
nghiệp, trong đó 8 Giỏi (9,88%), 73 Khá (90,12%)" (each band of the program's rules with
its share of the graduates, ``grading.rules.band_counts``), the distribution of results,
the share of lessons taught with active methods, and the list of graduates; as a page,
xlsx and PDF.

Everything is counted from the records in a constant number of queries: the results by
``grading.results.cohort_results``, the graduates from the graduation decisions (whose
classification, once decided or corrected, is the one reported), the share of lessons by
``teaching.reports.active_methods_share``."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from daotao.grading.models import GraduationEntry
from daotao.grading.results import cohort_results
from daotao.grading.rules import BandCount, band_counts, classification_label
from daotao.lib import xlsx
from daotao.lib.charts import bar_chart
from daotao.lib.vietnamese import format_date, format_decimal, format_int, format_percent
from daotao.people.privacy import personal_data_access
from daotao.programs.models import ProgramKind
from daotao.teaching.reports import active_methods_share

# Bins of the distribution: [low, high); the last one takes 10 in.
BINS = ((Decimal(0), Decimal(5)), (Decimal(5), Decimal(6)), (Decimal(6), Decimal(7)), (Decimal(7), Decimal(8)),
        (Decimal(8), Decimal(9)), (Decimal(9), Decimal(11)))  # fmt: skip


@dataclass
class CohortReport:
    cohort: object
    training: bool
    total: int
    complete: int
    # Each band with graduates, in the program's order, with its share of the graduates.
    classes: list[BandCount]
    bins: list[tuple[str, int]]
    active: int
    held: int
    graduates: list[GraduationEntry]
    results: object
    not_complete: list = field(default_factory=list)

    @property
    def summary(self) -> str:
        """The sentence schools publish, counting from the records."""
        return summary_sentence(self.complete, self.total, self.classes, training=self.training)

    @property
    def active_share(self) -> str:
        return format_percent(self.active / self.held) if self.held else "–"

    @property
    def chart_title(self) -> str:
        return _("Program averages") if self.training else _("Module results")

    def chart(self) -> str:
        description = (
            _("Number of students by program average.") if self.training else _("Number of module results by score.")
        )
        return bar_chart(self.bins, self.chart_title, chart_id=f"dist-{self.cohort.pk}", description=description)


def summary_sentence(complete: int, total: int, classes: list[BandCount], *, training: bool) -> str:
    """ "29/30 học viên đủ điều kiện tốt nghiệp, trong đó 1 Xuất sắc (3,45%), 7 Giỏi (24,14%),
    …": ``complete`` of ``total`` students, and each band with graduates, its count and its
    share of the graduates (``grading.rules.band_counts``); the results pack says the same."""
    params = {"complete": format_int(complete), "total": format_int(total)}
    if not training:
        return _("%(complete)s/%(total)s students qualify for the certificate") % params
    if not classes:
        return _("%(complete)s/%(total)s students qualify to graduate") % params
    params["classes"] = ", ".join(f"{format_int(item.count)} {item.label} ({item.share_text})" for item in classes)
    return _("%(complete)s/%(total)s students qualify to graduate, of whom %(classes)s") % params


def bands_table(sheet, classes: list[BandCount]) -> None:
    """The bands of a graduation summary in a workbook: the band, its graduates and their
    share as a percentage cell holding the rounded fraction (so it shows 3,45%)."""
    sheet.append([_("Classification"), _("Students"), _("Share of the graduates")], xlsx.BOLD)
    for item in classes:
        sheet.append([item.label, xlsx.number(item.count, xlsx.INTEGER), xlsx.number(item.share, xlsx.PERCENT)])


def _label(low: Decimal, high: Decimal) -> str:
    if low == 0:
        return _("under %(high)s") % {"high": format_decimal(high, 0)}
    if high > 10:
        return _("%(low)s to 10") % {"low": format_decimal(low, 0)}
    return _("%(low)s to under %(high)s") % {"low": format_decimal(low, 0), "high": format_decimal(high, 0)}


def build(cohort) -> CohortReport:
    """The report of ``cohort`` (best read with ``select_related("program__grading_rules")``)."""
    results = cohort_results(cohort)
    training = cohort.program.kind == ProgramKind.TRAINING
    graduates = list(
        GraduationEntry.objects.filter(enrollment__cohort=cohort)
        .select_related("enrollment__student__locality", "enrollment__student__agency", "decision")
        .order_by("enrollment__student__sort_key", "enrollment__student_id")
    )
    decided = {entry.enrollment_id: entry for entry in graduates}
    complete, not_complete, codes = 0, [], []
    for result in results.values():
        entry = decided.get(result.enrollment.pk)
        if entry is not None or result.complete:
            complete += 1
            codes.append(entry.classification if entry is not None else result.classification)
        else:
            not_complete.append(result)
    classes = band_counts(codes, results.rules) if training else []
    for entry in graduates:
        entry.classification_label = classification_label(entry.classification, results.rules)
    values = (
        [r.average for r in results.values() if r.average is not None]
        if training
        else [o.result for r in results.values() for o in r.modules.values() if o.result is not None]
    )
    bins = [(_label(low, high), sum(1 for v in values if low <= v < high)) for low, high in BINS]
    active, held = active_methods_share(cohort.lessons.filter(date__lte=timezone.localdate()))
    return CohortReport(
        cohort=cohort,
        training=training,
        total=len(results),
        complete=complete,
        classes=classes,
        bins=bins,
        active=active,
        held=held,
        graduates=graduates,
        results=results,
        not_complete=not_complete,
    )


def workbook(report: CohortReport, *, user) -> bytes:
    """The report as xlsx: the summary sheet (sentence, active methods, distribution,
    classifications) and the list of graduates, their dates of birth as ``user`` may see
    them (``privacy``: masked to the year for the board). Counts, averages and shares are
    numbers (1.040, 8,25, 95,75%)."""
    access = personal_data_access(user)
    book = xlsx.Book()
    sheet = book.sheet("TongHop")
    sheet.append([f"{report.cohort.code} – {report.cohort.name}"], xlsx.BOLD)
    sheet.append([report.summary])
    share = xlsx.number(report.active / report.held, xlsx.PERCENT) if report.held else "–"
    counts = [xlsx.number(report.active, xlsx.INTEGER), xlsx.number(report.held, xlsx.INTEGER)]
    sheet.append([_("Lessons taught with active methods"), *counts, share])
    sheet.append()
    sheet.append([report.chart_title, _("Count")], xlsx.BOLD)
    for label, count in report.bins:
        sheet.append([label, xlsx.number(count, xlsx.INTEGER)])
    if report.training:
        sheet.append()
        bands_table(sheet, report.classes)
    sheet.finish_table((40, 14, 14, 14), header=(1, 2))
    graduates = book.sheet("TotNghiep")
    header = [_("No."), _("Full name"), _("Date of birth")]
    if report.training:
        header += [_("Program average"), _("Classification")]
    graduates.table_header([*header, _("Decision")])
    for number, entry in enumerate(report.graduates, start=1):
        student = entry.enrollment.student
        # A date (shown dd/mm/yyyy), or its masked text.
        row = [number, student.full_name, access.shown(student).date_of_birth_cell]
        if report.training:
            row += [xlsx.number(entry.average, xlsx.AVERAGE), entry.classification_label]
        graduates.append([*row, f"{entry.decision.number} ({format_date(entry.decision.date)})"])
    widths = (6, 30, 14, 12, 16, 28) if report.training else (6, 30, 14, 28)
    graduates.finish_table(widths, freeze_columns=2)
    return book.to_bytes()
