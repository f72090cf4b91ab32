"""The evaluation coverage page: every class of a year with its rounds and the targets."""

from __future__ import annotations

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from daotao.accounts.access import staff_required
from daotao.cohorts.access import cohorts_seen_whole
from daotao.surveys.coverage import year_coverage
from daotao.web.forms import YearField


class YearForm(forms.Form):
    year = YearField(label=gettext_lazy("Year"))


@staff_required
def coverage(request):
    """The classes the user sees whole (a round's figures are the whole class's) active in
    the year, with their rounds."""
    data = {"year": request.GET.get("year") or timezone.localdate().year}
    form = YearForm(data)
    context = {"form": form}
    if form.is_valid():
        context["coverage"] = year_coverage(form.cleaned_data["year"], cohorts_seen_whole(request.user))
    return render(request, "surveys/coverage.html", context, status=200 if form.is_valid() else 400)
