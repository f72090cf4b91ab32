"""The evaluation coverage page: every class of a year with its rounds and the targets."""

from __future__ import annotations

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from daotao.accounts.access import staff_required
from daotao.cohorts.models import Cohort
from daotao.reports import exports
from daotao.surveys.coverage import year_coverage


class YearForm(forms.Form):
    year = forms.IntegerField(
        label=gettext_lazy("Year"),
        min_value=exports.MIN_YEAR,
        max_value=exports.MAX_YEAR,
        error_messages={"invalid": gettext_lazy("Enter a year, e.g. 2026.")},
    )


@staff_required
def coverage(request):
    data = {"year": request.GET.get("year") or timezone.localdate().year}
    form = YearForm(data)
    context = {"form": form}
    if form.is_valid():
        context["coverage"] = year_coverage(form.cleaned_data["year"], Cohort.objects.visible_to(request.user))
    return render(request, "surveys/coverage.html", context, status=200 if form.is_valid() else 400)
