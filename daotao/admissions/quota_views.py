"""Quota progress: the page (``/admissions/quota/?year=N``) and its .xlsx export
(``/admissions/quota/N.xlsx``), both from ``progress.quota_progress`` over what the user
may see (a coordinator: their locality's lines)."""

from __future__ import annotations

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from daotao.accounts.access import staff_required
from daotao.accounts.scope import scope_of
from daotao.admissions import progress as counting
from daotao.admissions.progress import Pipeline, QuotaProgress, UnknownPlan
from daotao.lib import xlsx
from daotao.lib.vietnamese import format_date
from daotao.planning.achievement import QuotaLine, QuotaTotal
from daotao.planning.models import AnnualPlan
from daotao.web.files import xlsx_response


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
    """Each quota line (locality, program, funding): what achieved it, and beside it the
    nominated, eligible and admitted."""
    years = list(AnnualPlan.objects.order_by("-year").values_list("year", flat=True))
    data = request.GET.copy()
    if "year" not in data and years:
        data["year"] = years[0]
    form = YearForm(data, years)
    progress = counting.quota_progress(form.cleaned_data["year"], request.user) if form.is_valid() else None
    status = 400 if form.errors and "year" in request.GET else 200
    return render(request, "admissions/quota.html", {"form": form, "progress": progress, "years": years}, status=status)


# --- .xlsx ----------------------------------------------------------------------------------

_HEADER = xlsx.HEADER | xlsx.Style(border=True)
_BOX = xlsx.Style(border=True)
_SUBTOTAL = xlsx.Style(bold=True, fill="F3F4F6")
_TOTAL = xlsx.Style(bold=True, fill="E8ECF1")
_UNMET = xlsx.Style(fill="FDE2E2")
_WIDTHS = (28, 40, 20, 10, 12, 12, 12, 12, 12, 12, 12, 12, 12)


def _headings() -> tuple[str, ...]:
    return (
        _("Locality"),
        _("Program"),
        _("Funding"),
        _("Planned classes"),
        _("Planned students"),
        _("Classes opened"),
        _("Students enrolled"),
        _("Achieved"),
        _("Shortfall"),
        _("Result"),
        _("Nominated"),
        _("Eligible"),
        _("Admitted"),
    )


def _figures(achieved: QuotaLine | QuotaTotal, pipeline: Pipeline) -> list:
    return [
        xlsx.number(achieved.planned_classes, xlsx.CLASSES),
        xlsx.number(achieved.planned_students, xlsx.INTEGER),
        xlsx.number(achieved.actual_classes, xlsx.CLASSES),
        xlsx.number(achieved.actual_students, xlsx.INTEGER),
        xlsx.number(achieved.ratio, xlsx.PERCENT),
        xlsx.number(achieved.shortfall, xlsx.INTEGER),
        _("Met") if achieved.met else _("Not met"),
        xlsx.number(pipeline.nominated, xlsx.INTEGER),
        xlsx.number(pipeline.eligible, xlsx.INTEGER),
        xlsx.number(pipeline.admitted, xlsx.INTEGER),
    ]


def progress_xlsx(progress: QuotaProgress, scope_name: str = "") -> bytes:
    """One sheet: a title row, the headings, each line (what achieved it, then its
    admissions), a subtotal per locality of several lines, the total; numbers stay numbers
    (with Vietnamese-looking formats)."""
    book = xlsx.Book()
    sheet = book.sheet("TienDoChiTieu")
    plan = progress.plan
    title = _("Quota progress of the %(year)s plan") % {"year": plan.year}
    if plan.decision_number:
        title += " " + _("(decision %(number)s of %(date)s)") % {
            "number": plan.decision_number,
            "date": format_date(plan.decision_date),
        }
    if scope_name:
        title += " – " + scope_name
    sheet.append([title], xlsx.Style(bold=True, size=13))
    sheet.table_header(_headings(), _HEADER)
    for group in progress.groups:
        for row in group.rows:
            line = row.achieved
            style = _BOX if line.met else _BOX | _UNMET
            names = [line.locality_name, line.program_name, line.funding_label]
            sheet.append([*names, *_figures(line, row.pipeline)], style)
        if len(group.rows) > 1:
            label = _("Subtotal: %(locality)s") % {"locality": group.name}
            sheet.append([label, "", "", *_figures(group.achieved, group.pipeline)], _BOX | _SUBTOTAL)
    sheet.append([_("Total"), "", "", *_figures(progress.achieved, progress.pipeline)], _BOX | _TOTAL)
    sheet.finish_table(_WIDTHS, landscape=True)
    return book.to_bytes()


@require_safe
@staff_required
def quota_progress_xlsx(request, year: int):
    try:
        progress = counting.quota_progress(year, request.user)
    except UnknownPlan:
        raise Http404(_("There is no annual plan for the year %(value)s.") % {"value": year}) from None
    user = request.user
    scope_name = user.unit.name if not scope_of(user).everything and user.unit_id else ""
    return xlsx_response(progress_xlsx(progress, scope_name), f"tien-do-chi-tieu-{year}.xlsx")
