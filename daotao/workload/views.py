"""The workload report: the school's (the training office and the board) and a lecturer's
own line, each as a page and a workbook."""

from __future__ import annotations

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from daotao.accounts.access import is_lecturer, is_school_wide, require
from daotao.accounts.scope import scope_of
from daotao.org.models import Lecturer
from daotao.web.files import xlsx_response
from daotao.web.forms import YearField
from daotao.workload.export import workload_workbook
from daotao.workload.hours import ACTIVITY_LABELS, KINDS, lecturer_workload

school_wide_required = require(is_school_wide)
lecturer_required = require(is_lecturer)


class YearForm(forms.Form):
    year = YearField(label=gettext_lazy("Year"))


def _report(request, lecturers, *, own: bool):
    form = YearForm({"year": request.GET.get("year") or timezone.localdate().year})
    if not form.is_valid():
        return render(request, "workload/report.html", {"form": form, "own": own}, status=400)
    year = form.cleaned_data["year"]
    workload = lecturer_workload(year, lecturers)
    if request.GET.get("format") == "xlsx":
        name = f"gio-chuan-{year}.xlsx" if not own else f"gio-chuan-cua-toi-{year}.xlsx"
        return xlsx_response(workload_workbook(workload), name)
    context = {
        "form": form,
        "own": own,
        "workload": workload,
        "kinds": [ACTIVITY_LABELS[kind] for kind in KINDS],
        "activities": list(ACTIVITY_LABELS.values()),
        # The table's columns: the lecturer, periods by kind, hours by activity, and four.
        "columns": 1 + len(KINDS) + len(ACTIVITY_LABELS) + 4,
    }
    return render(request, "workload/report.html", context)


@school_wide_required
def report(request):
    """Every lecturer's standard hours in the year, by faculty, visiting lecturers apart."""
    return _report(request, Lecturer.objects.all(), own=False)


@lecturer_required
def mine(request):
    """The signed-in lecturer's own line."""
    return _report(request, Lecturer.objects.filter(pk=scope_of(request.user).lecturer_id), own=True)
