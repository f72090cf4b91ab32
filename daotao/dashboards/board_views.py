"""The year at a glance (``/staff/dashboard/?year=N``) for the school board and the training
office, and each of its tables as a workbook (``/staff/dashboard/N/<section>.xlsx``).

``board_page(request)`` renders the page for a user already let in; the home page of a
school-wide user may call it as it is. ``board_home`` is the page's own address: school-wide
users only (``accounts.access.is_school_wide``), GET and HEAD only.
"""

from __future__ import annotations

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from daotao.accounts.access import is_school_wide, is_training_office, require
from daotao.dashboards.board import board_dashboard, dashboard_years, default_year
from daotao.dashboards.board_sections import BUILDERS, FILE_NAMES, section_xlsx, sections
from daotao.school import identity
from daotao.web.files import xlsx_response


class YearForm(forms.Form):
    year = forms.TypedChoiceField(
        label=gettext_lazy("Year"),
        coerce=int,
        error_messages={
            "invalid_choice": gettext_lazy("There are no records for the year %(value)s: choose a year from the list.")
        },
    )

    def __init__(self, data, years: list[int]):
        super().__init__(data)
        self.fields["year"].choices = [(year, str(year)) for year in reversed(years)]


def board_page(request, template: str = "dashboards/board.html"):
    """The page for ``request.user`` (whom the caller has let in): the year chosen in
    ``?year=`` (by default the current year, or the latest year the records reach), or
    the selector with why a year given cannot be shown (400)."""
    years = dashboard_years(request.user)
    data = {"year": request.GET.get("year") or default_year(years)}
    form = YearForm(data, years)
    # A school that has not set itself up yet: the office is led to the checklist.
    setup_pending = is_training_office(request.user) and not identity.current().configured
    context = {"form": form, "years": years, "setup_pending": setup_pending}
    if not form.is_valid():
        return render(request, template, context, status=400)
    board = board_dashboard(form.cleaned_data["year"], request.user)
    context.update(board=board, year=board.year, sections=sections(board))
    return render(request, template, context)


@require_safe
@require(is_school_wide)
def board_home(request):
    return board_page(request)


@require_safe
@require(is_school_wide)
def board_xlsx(request, year: int, chart: str):
    """One section's table as a workbook; 404 for a section or a year the page does not have."""
    if chart not in BUILDERS:
        raise Http404(_("There is no such table on the dashboard."))
    if year not in dashboard_years(request.user):
        raise Http404(_("There are no records for the year %(value)s.") % {"value": year})
    section = BUILDERS[chart](board_dashboard(year, request.user))
    return xlsx_response(section_xlsx(section), f"tong-quan-{year}-{FILE_NAMES[chart]}.xlsx")
