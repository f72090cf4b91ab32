"""Teaching pages: a class's timetable (the training office adds lessons), one's own
schedule (lecturers and students), attendance and the lecture log of a lesson, the
class's organisation, and the teaching report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from daotao.accounts.access import is_training_office, staff_required
from daotao.accounts.scope import scope_of
from daotao.cohorts.models import EnrollmentStatus
from daotao.grading.access import teaching_staff_required, visible_cohort
from daotao.teaching import services
from daotao.teaching.access import may_record
from daotao.teaching.export import teaching_workbook
from daotao.teaching.forms import LectureLogForm, LessonForm, PeriodForm
from daotao.teaching.models import AttendanceStatus, FieldTrip, Lesson
from daotao.teaching.reports import active_methods_share, periods_taught


@teaching_staff_required
def cohort_timetable(request, cohort_id):
    cohort = visible_cohort(request.user, cohort_id)
    office = is_training_office(request.user)
    form = LessonForm(request.POST or None, cohort=cohort, initial={"place": services.default_place(cohort)})
    if request.method == "POST":
        if not office:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.lesson_schedule(user=request.user, cohort=cohort, **form.cleaned_data)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("The lesson was added to the timetable."))
                return redirect("teaching:cohort", cohort_id=cohort.pk)
    lessons = cohort.lessons.select_related("module", "lecturer", "log").order_by("date", "session")
    active, held = active_methods_share(cohort.lessons.filter(date__lte=timezone.localdate()))
    context = {
        "cohort": cohort,
        "lessons": lessons,
        "form": form if office else None,
        "active": active,
        "held": held,
        "share": active / held if held else None,
    }
    return render(request, "teaching/cohort_timetable.html", context)


@login_required
def my_schedule(request):
    """A lecturer's own lessons, or a student's class timetable."""
    scope = scope_of(request.user)
    if scope.lecturer_id is not None:
        lessons = Lesson.objects.filter(lecturer_id=scope.lecturer_id)
    elif scope.student_id is not None:
        lessons = Lesson.objects.visible_to(request.user)
    else:
        raise PermissionDenied
    today = timezone.localdate()
    lessons = lessons.select_related("cohort", "module", "lecturer", "log").order_by("date", "session")
    context = {
        "upcoming": lessons.filter(date__gte=today)[:50],
        "past": lessons.filter(date__lt=today).order_by("-date", "-session")[:30],
        "is_lecturer": scope.lecturer_id is not None,
        "today": today,
    }
    return render(request, "teaching/my_schedule.html", context)


def _lesson_to_record(request, lesson_id) -> Lesson:
    lesson = get_object_or_404(
        Lesson.objects.visible_to(request.user).select_related("cohort", "module", "lecturer"), pk=lesson_id
    )
    if not may_record(request.user, lesson.cohort_id, lesson.module_id):
        raise PermissionDenied
    return lesson


@login_required
def attendance(request, lesson_id):
    """The class list with everyone present; the lecturer marks only the exceptions."""
    lesson = _lesson_to_record(request, lesson_id)
    enrollments = list(
        lesson.cohort.enrollments.exclude(status=EnrollmentStatus.CANCELLED).select_related("student").in_class_order()
    )
    marked = dict(lesson.attendance.values_list("enrollment_id", "status"))
    if request.method == "POST":
        exceptions = {}
        for enrollment in enrollments:
            status = request.POST.get(f"status-{enrollment.pk}", AttendanceStatus.PRESENT)
            if status != AttendanceStatus.PRESENT:
                exceptions[enrollment.pk] = status
        try:
            services.attendance_record(user=request.user, lesson=lesson, exceptions=exceptions)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Attendance saved: %(count)s exceptions.") % {"count": len(exceptions)})
            return redirect("teaching:attendance", lesson_id=lesson.pk)
    rows = [(enrollment, marked.get(enrollment.pk, AttendanceStatus.PRESENT)) for enrollment in enrollments]
    return render(
        request, "teaching/attendance.html", {"lesson": lesson, "rows": rows, "statuses": AttendanceStatus.choices}
    )


@login_required
def lecture_log(request, lesson_id):
    lesson = _lesson_to_record(request, lesson_id)
    log = getattr(lesson, "log", None)
    initial = {"methods": log.methods, "content": log.content} if log else {}
    form = LectureLogForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.lecture_log_record(user=request.user, lesson=lesson, **form.cleaned_data)
        messages.success(request, _("The lecture log was saved."))
        if scope_of(request.user).lecturer_id is not None:
            return redirect("teaching:my")
        return redirect("teaching:cohort", cohort_id=lesson.cohort_id)
    return render(request, "teaching/lecture_log.html", {"lesson": lesson, "form": form})


@teaching_staff_required
def organisation(request, cohort_id):
    cohort = visible_cohort(request.user, cohort_id)
    context = {
        "cohort": cohort,
        "officers": [
            officer
            for enrollment in cohort.enrollments.prefetch_related("officer_roles").select_related("student")
            for officer in enrollment.officer_roles.all()
        ],
        "committee": cohort.committee.all(),
        "trips": cohort.field_trips.select_related("locality").prefetch_related("topics"),
    }
    return render(request, "teaching/organisation.html", context)


@teaching_staff_required
def field_trip_report(request, trip_id):
    trip = get_object_or_404(FieldTrip.objects.select_related("cohort"), pk=trip_id)
    visible_cohort(request.user, trip.cohort_id)
    if not trip.report:
        raise Http404
    return FileResponse(trip.report.open("rb"), as_attachment=True, filename=trip.report.name.rsplit("/", 1)[-1])


@staff_required
def teaching_report(request):
    """Periods taught and the share with active methods, per lecturer and faculty."""
    today = timezone.localdate()
    form = PeriodForm(request.GET or {"start": f"01/01/{today.year}", "end": today.strftime("%d/%m/%Y")})
    figures = None
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        lessons = Lesson.objects.visible_to(request.user).between(start, min(end, today))
        figures = periods_taught(lessons)
    if figures and request.GET.get("format") == "xlsx":
        return teaching_workbook(figures, form.cleaned_data["start"], form.cleaned_data["end"])
    return render(request, "teaching/report.html", {"form": form, "figures": figures})
