"""The national dashboard (``/academy/?period=2020``) for the Academy's training office and
board, and each of its tables as a workbook (``/academy/2020/<section>.xlsx``). Only in an
Academy installation (``access.academy_required``: 404 elsewhere); GET and HEAD only.

``national_page(request)`` renders the page for a user already let in: the staff home of
the Academy's office and board is this page (``dashboards/views.py``, ``home``)."""

from __future__ import annotations

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from daotao.academy.access import academy_required
from daotao.academy.dashboard import dashboard_periods, default_period, national_dashboard
from daotao.academy.models import RegisteredSchool
from daotao.academy.sections import BUILDERS, FILE_NAMES, section_xlsx, sections
from daotao.academy.stats import Period
from daotao.web.files import xlsx_response


class PeriodForm(forms.Form):
    period = forms.ChoiceField(
        label=gettext_lazy("Period"),
        error_messages={
            "invalid_choice": gettext_lazy("No school has sent a package for %(value)s: choose a period from the list.")
        },
    )

    def __init__(self, data, periods):
        super().__init__(data)
        self.fields["period"].choices = [
            (period.token, _("%(period)s (%(count)s schools)") % {"period": period.label, "count": count})
            for period, count in periods
        ]


def national_page(request, template: str = "academy/national.html"):
    """The page for ``request.user`` (whom the caller has let in): the period chosen in
    ``?period=`` (by default the latest calendar year with packages), or the choice with why
    a period given cannot be shown (400)."""
    periods = dashboard_periods()
    chosen = default_period(periods)
    form = PeriodForm({"period": request.GET.get("period") or (chosen.token if chosen else "")}, periods)
    context = {"form": form, "periods": periods}
    if not periods:
        context["registered"] = RegisteredSchool.objects.exists()
        return render(request, template, context)
    if not form.is_valid():
        return render(request, template, context, status=400)
    board = national_dashboard(Period.parse(form.cleaned_data["period"]))
    context.update(board=board, period=board.period, sections=sections(board))
    return render(request, template, context)


@require_safe
@academy_required
def national(request):
    return national_page(request)


@require_safe
@academy_required
def national_xlsx(request, period: str, chart: str):
    """One section's table as a workbook; 404 for a section or a period the page does not have."""
    if chart not in BUILDERS:
        raise Http404(_("There is no such table on the dashboard."))
    try:
        chosen = Period.parse(period)
    except ValueError:
        raise Http404(_("No school has sent a package for this period.")) from None
    if chosen not in {known for known, _count in dashboard_periods()}:
        raise Http404(_("No school has sent a package for this period."))
    section = BUILDERS[chart](national_dashboard(chosen))
    return xlsx_response(section_xlsx(section), f"toan-quoc-{chosen.token}-{FILE_NAMES[chart]}.xlsx")
