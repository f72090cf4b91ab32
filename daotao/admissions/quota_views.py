"""Quota progress: the page (``/admissions/quota/?year=N``) and its .xlsx export
(``/admissions/quota/N.xlsx``), both from ``progress.quota_progress`` over what the user
may see (a coordinator: their locality's lines)."""

from __future__ import annotations

import io

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from daotao.accounts.access import staff_required
from daotao.accounts.scope import scope_of
from daotao.admissions import progress as counting
from daotao.admissions.progress import Figures, QuotaProgress, UnknownPlan
from daotao.lib.vietnamese import format_date
from daotao.planning.models import AnnualPlan
from daotao.reports.document_words import XLSX_CONTENT_TYPE
from daotao.reports.exports import XLSX_CLASSES, XLSX_INT, XLSX_PERCENT


class YearForm(forms.Form):
    year = forms.TypedChoiceField(
        label=gettext_lazy("Plan year"),
        coerce=int,
        error_messages={"invalid_choice": gettext_lazy("There is no annual plan for the year %(value)s.")},
    )

    def __init__(self, data, years: list[int]):
        super().__init__(data)
        self.fields["year"].choices = [(year, year) for year in years]


@require_safe
@staff_required
def quota_progress(request):
    """Quota against nominated, eligible and admitted per locality, program and funding."""
    years = list(AnnualPlan.objects.order_by("-year").values_list("year", flat=True))
    data = request.GET.copy()
    if "year" not in data and years:
        data["year"] = years[0]
    form = YearForm(data, years)
    progress = counting.quota_progress(form.cleaned_data["year"], request.user) if form.is_valid() else None
    status = 400 if form.errors and "year" in request.GET else 200
    return render(request, "admissions/quota.html", {"form": form, "progress": progress, "years": years}, status=status)


# --- .xlsx ----------------------------------------------------------------------------------

_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="E8ECF1")
_SUBTOTAL_FILL = PatternFill("solid", fgColor="F3F4F6")
_UNMET_FILL = PatternFill("solid", fgColor="FDE2E2")
_WIDTHS = (28, 40, 20, 10, 12, 12, 12, 12, 12, 12, 12)


def _headings() -> tuple[str, ...]:
    return (
        _("Locality"),
        _("Program"),
        _("Funding"),
        _("Quota classes"),
        _("Quota students"),
        _("Nominated"),
        _("Eligible"),
        _("Admitted"),
        _("Admitted / quota"),
        _("Shortfall"),
        _("Result"),
    )


def _figures(figures: Figures) -> list[tuple[object, str | None]]:
    return [
        (figures.quota_classes, XLSX_CLASSES),
        (figures.quota_students, XLSX_INT),
        (figures.nominated, XLSX_INT),
        (figures.eligible, XLSX_INT),
        (figures.admitted, XLSX_INT),
        (float(figures.ratio) if figures.ratio is not None else None, XLSX_PERCENT),
        (figures.shortfall, XLSX_INT),
        (_("Not met") if figures.not_met else _("Met"), None),
    ]


def progress_xlsx(progress: QuotaProgress, scope_name: str = "") -> bytes:
    """One sheet: a title row, the headings, each line, a subtotal per locality of several
    lines, the total;
    numbers stay numbers (with Vietnamese-looking formats)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "TienDoChiTieu"
    for column, width in enumerate(_WIDTHS, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = width
    plan = progress.plan
    title = _("Quota progress of the %(year)s plan") % {"year": plan.year}
    if plan.decision_number:
        title += " " + _("(decision %(number)s of %(date)s)") % {
            "number": plan.decision_number,
            "date": format_date(plan.decision_date),
        }
    if scope_name:
        title += " – " + scope_name
    sheet["A1"] = title
    sheet["A1"].font = Font(bold=True, size=13)
    headings = _headings()
    for column, heading in enumerate(headings, start=1):
        cell = sheet.cell(row=2, column=column, value=heading)
        cell.font, cell.fill, cell.border = Font(bold=True), _HEADER_FILL, _BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    row = 2

    def write(label: tuple[str, str, str], figures: Figures, fill=None, bold=False):
        nonlocal row
        row += 1
        values = [(text, None) for text in label] + _figures(figures)
        for column, (value, number_format) in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column, value=value)
            cell.border = _BOX
            if number_format:
                cell.number_format = number_format
            if bold:
                cell.font = Font(bold=True)
            chosen = _UNMET_FILL if figures.not_met and not bold else fill
            if chosen:
                cell.fill = chosen

    for group in progress.groups:
        for line in group.rows:
            write((line.locality_name, line.program_name, line.funding_label), line)
        if len(group.rows) > 1:
            label = _("Subtotal: %(locality)s") % {"locality": group.name}
            write((label, "", ""), group.subtotal, _SUBTOTAL_FILL, True)
    write((_("Total"), "", ""), progress.total, _HEADER_FILL, True)
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@require_safe
@staff_required
def quota_progress_xlsx(request, year: int):
    try:
        progress = counting.quota_progress(year, request.user)
    except UnknownPlan:
        raise Http404(_("There is no annual plan for the year %(value)s.") % {"value": year}) from None
    user = request.user
    scope_name = user.unit.name if not scope_of(user).everything and user.unit_id else ""
    response = HttpResponse(progress_xlsx(progress, scope_name), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"tien-do-chi-tieu-{year}.xlsx"
    )
    return response
