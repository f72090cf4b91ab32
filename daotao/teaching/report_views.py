"""The teaching report: periods taught in a date range per lecturer and per faculty, by
program and by place, and the share of lessons taught with active methods."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from daotao.accounts.access import staff_required
from daotao.lib.vietnamese import format_date
from daotao.teaching.export import teaching_workbook
from daotao.teaching.forms import PeriodForm
from daotao.teaching.models import Lesson
from daotao.teaching.reports import periods_taught
from daotao.web.files import xlsx_response


@staff_required
def teaching_report(request):
    """Lessons held in the range (dated up to today) that the user may see."""
    today = timezone.localdate()
    form = PeriodForm(request.GET or {"start": format_date(today.replace(month=1, day=1)), "end": format_date(today)})
    figures = None
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        figures = periods_taught(Lesson.objects.visible_to(request.user).between(start, min(end, today)))
        if request.GET.get("format") == "xlsx":
            return xlsx_response(teaching_workbook(figures, start, end), "gio-giang.xlsx")
    return render(request, "teaching/report.html", {"form": form, "figures": figures})
