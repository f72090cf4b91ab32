"""The import of nominations from a workbook: the upload form, the template workbook, and
the page that follows a running import (polled with HTMX) until it shows the outcome."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from daotao.accounts.access import staff_required
from daotao.admissions.forms import can_submit
from daotao.admissions.importing import jobs
from daotao.admissions.importing.template import template_workbook
from daotao.cohorts.importing import XLSX_CONTENT_TYPE
from daotao.planning.models import AnnualPlan


class NominationImportForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Plan year"), coerce=int)
    workbook = forms.FileField(label=_("Workbook (.xlsx)"))
    dry_run = forms.BooleanField(label=_("Only check the file; write nothing"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = list(AnnualPlan.objects.order_by("-year").values_list("year", flat=True))
        self.fields["year"].choices = [(year, year) for year in years]
        self.fields["year"].initial = years[0] if years else None


@staff_required
def import_applications(request):
    """Upload a workbook of nominations; every row is imported or none."""
    if not can_submit(request.user):
        raise PermissionDenied
    form = NominationImportForm(request.POST, request.FILES) if request.method == "POST" else NominationImportForm()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        job = jobs.start(request.user, data["workbook"], year=data["year"], dry_run=data["dry_run"])
        return redirect("admissions:import-progress", job=job)
    return render(request, "admissions/import.html", {"form": form})


@staff_required
def import_progress(request, job):
    """A running import's progress bar, then its counts or its problems; HTMX polls the partial."""
    state = jobs.state(request.user, job)
    if state is None:
        raise Http404
    total = state.get("total") or 0
    context = {
        "job": job,
        "state": state,
        "percent": round(100 * state.get("done", 0) / total) if total else 0,
        "problems": state.get("problems", []),
    }
    if request.headers.get("HX-Request"):
        return render(request, "admissions/partials/import_progress.html", context)
    return render(request, "admissions/import.html", context)


@staff_required
def import_template(request):
    """The empty nomination workbook, with an example row and a sheet of guidance."""
    response = HttpResponse(template_workbook(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-ho-so-tuyen-sinh.xlsx"'
    return response
