"""Career outcomes of graduates: the events of a graduate, the recent events in scope,
recording one by a form or many by an xlsx import, and the report per year and program."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from daotao.accounts.access import is_recorder, require, staff_required
from daotao.audit.imports import ImportKind, imported
from daotao.cohorts.access import recordable_students
from daotao.lib import xlsx
from daotao.lib.dates import add_months, parse_year
from daotao.lib.vietnamese import SEARCH_MAX_LENGTH, is_whole_number
from daotao.people.models import Student
from daotao.people.search import person_search_q
from daotao.surveys.models import CareerEvent, CareerEventKind
from daotao.surveys.outcome_forms import CareerEventForm, OutcomeImportForm, OutcomeReportForm
from daotao.surveys.outcome_import import career_events_import, template_workbook
from daotao.surveys.outcomes import (
    WINDOWS,
    career_event_delete,
    career_event_record,
    outcome_report,
    outcome_total,
)
from daotao.web import jobs
from daotao.web.files import xlsx_response
from daotao.web.forms import add_service_errors

PAGE_SIZE = 50


def _visible_student(user, student_id) -> Student:
    return get_object_or_404(Student.objects.visible_to(user).select_related("locality", "agency"), pk=student_id)


@staff_required
def event_list(request):
    """The recent career events in the user's scope, filtered by kind, year and student (by
    name, or by national ID among the students whose national ID the user sees)."""
    events = CareerEvent.objects.visible_to(request.user).select_related(
        "student__locality", "student__agency", "recorded_by"
    )
    filters = {
        "q": request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH],
        "kind": request.GET.get("kind", ""),
        "year": request.GET.get("year", "").strip()[:4],
    }
    events = events.filter(person_search_q(filters["q"], request.user, prefix="student__"))
    if filters["kind"] in CareerEventKind.values:
        events = events.filter(kind=filters["kind"])
    if (year := parse_year(filters["year"])) is not None:
        events = events.filter(date__year=year)
    page = Paginator(events.order_by("-date", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "query_max_length": SEARCH_MAX_LENGTH,
        "kinds": CareerEventKind.choices,
        "may_record": is_recorder(request.user),
    }
    return render(request, "surveys/outcomes/event_list.html", context)


@staff_required
def student_events(request, student_id):
    """A graduate's career events, newest first, with the way to add or delete one."""
    student = _visible_student(request.user, student_id)
    may_record = recordable_students(request.user).filter(pk=student.pk).exists()
    events = student.career_events.select_related("recorded_by").order_by("-date", "-id")
    context = {"student": student, "events": events, "may_record": may_record}
    return render(request, "surveys/outcomes/student_events.html", context)


@require(is_recorder)
def event_add(request):
    """Record one event; the student is typed by national ID or comes from ``?student=``."""
    initial = {}
    student_id = request.GET.get("student", "")
    if student_id:
        if not is_whole_number(student_id):
            raise Http404
        student = _visible_student(request.user, student_id)
        if not recordable_students(request.user).filter(pk=student.pk).exists():
            raise PermissionDenied
        initial["national_id"] = student.national_id
    form = CareerEventForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = career_event_record(
                user=request.user,
                student=data["student"],
                kind=data["kind"],
                date=data["date"],
                decision_number=data["decision_number"],
                description=data["description"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The career event was recorded: %(event)s.") % {"event": event})
            return redirect("surveys:outcome_student", student_id=event.student_id)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "surveys/outcomes/event_form.html", {"form": form}, status=status)


@require_POST
@require(is_recorder)
def event_delete(request, event_id):
    """Delete an event recorded by mistake (audited)."""
    event = get_object_or_404(CareerEvent.objects.visible_to(request.user).select_related("student"), pk=event_id)
    career_event_delete(user=request.user, event=event)
    messages.success(request, _("The career event was deleted: %(event)s.") % {"event": event})
    return redirect("surveys:outcome_student", student_id=event.student_id)


@require(is_recorder)
def event_import(request):
    """Upload a workbook of career events; every row is imported or none, in a background
    job whose page shows the count or every problem."""
    form = OutcomeImportForm(request.POST, request.FILES) if request.method == "POST" else OutcomeImportForm()
    if form.is_bound and form.is_valid():
        user, dry_run, upload = request.user, form.cleaned_data["dry_run"], form.cleaned_data["workbook"]

        def work(path, progress) -> jobs.Done:
            with imported(ImportKind.CAREER_EVENTS, user, path, name=upload.name, dry_run=dry_run) as audit:
                result = audit.done(career_events_import(path, user=user, dry_run=dry_run))
            links = [] if dry_run else [(_("See the career events"), reverse("surveys:outcome_list"))]
            return jobs.Done([result.summary()], links)

        job = jobs.start(
            request, work, upload, title=_("Import career events"),
            back=reverse("surveys:outcome_import"), dry_run=dry_run,
        )  # fmt: skip
        return redirect("job", job=job)
    status = 400 if form.is_bound else 200
    return render(request, "surveys/outcomes/import.html", {"form": form}, status=status)


@require(is_recorder)
def import_template(request):
    """The empty career-event workbook, with an example row and a sheet of guidance."""
    return xlsx_response(template_workbook(), "mau-nhap-qua-trinh-cong-tac.xlsx")


def _report(request):
    """The form and, when it is valid, the report rows and their total."""
    data = {"year": request.GET.get("year") or timezone.localdate().year - 1, "program": request.GET.get("program")}
    form = OutcomeReportForm(data)
    if not form.is_valid():
        return form, None, None
    rows = outcome_report(year=form.cleaned_data["year"], program=form.cleaned_data["program"], user=request.user)
    return form, rows, outcome_total(rows)


@staff_required
def report(request):
    """Per program, the share of a year's graduates appointed, promoted or rewarded within
    12 and within 24 months of graduating."""
    form, rows, total = _report(request)
    context = {"form": form, "rows": rows, "total": total, "may_record": is_recorder(request.user)}
    if rows is not None:
        year = form.cleaned_data["year"]
        today = timezone.localdate()
        # The windows of the year's last graduates are not over yet: the figures may grow.
        context["open_windows"] = [
            m for m in WINDOWS if add_months(today.replace(year=year, month=12, day=31), m) > today
        ]
    return render(request, "surveys/outcomes/report.html", context, status=200 if form.is_valid() else 400)


@staff_required
def report_xlsx(request):
    """The report as a workbook: counts as numbers, shares as percentages."""
    form, rows, total = _report(request)
    if rows is None:
        return render(request, "surveys/outcomes/report.html", {"form": form}, status=400)
    year = form.cleaned_data["year"]
    return xlsx_response(_report_workbook(year, rows, total), f"ket-qua-sau-dao-tao-{year}.xlsx")


def _report_workbook(year: int, rows, total) -> bytes:
    book = xlsx.Book()
    sheet = book.sheet("KetQua")
    title = _("Career outcomes of the graduates of %(year)s") % {"year": year}
    sheet.append([title], xlsx.Style(bold=True, size=13))
    sheet.append()
    headings = (
        _("Program code"),
        _("Program"),
        _("Graduates"),
        _("Appointed or rewarded within 12 months"),
        _("Share within 12 months"),
        _("Appointed or rewarded within 24 months"),
        _("Share within 24 months"),
    )
    sheet.table_header(headings)
    lines = [(row.program.code, row.program.name, row) for row in rows]
    if rows:
        lines.append(("", _("Total"), total))
    for code, name, row in lines:
        counts = [xlsx.number(count, xlsx.INTEGER) for count in (row.graduates, row.within_12, row.within_24)]
        shares = [xlsx.number(share, xlsx.PERCENT) for share in (row.share_12, row.share_24)]
        sheet.append([code, name, counts[0], counts[1], shares[0], counts[2], shares[1]])
    sheet.finish_table((14, 50, 12, 18, 14, 18, 14))
    return book.to_bytes()
