"""What is recorded about one lesson: attendance (by exception), the lecture log with the
"3 tăng, 3 giảm" checklist, and colleagues' observations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from daotao.accounts.access import any_of, is_lecturer, is_training_office, require
from daotao.accounts.scope import scope_of
from daotao.teaching import services
from daotao.teaching.access import may_record
from daotao.teaching.forms import LectureLogForm, ObservationForm
from daotao.teaching.models import AttendanceStatus, Lesson, PeerObservation
from daotao.web.forms import add_service_errors


def _lesson_to_record(request, lesson_id) -> Lesson:
    """The lesson if the user may record it: 404 outside their scope, 403 when they may
    see it but not record it (a colleague's module, a coordinator)."""
    lesson = get_object_or_404(
        Lesson.objects.visible_to(request.user).select_related(
            "cohort__program", "cohort__host_locality", "module", "lecturer"
        ),
        pk=lesson_id,
    )
    if not may_record(request.user, lesson.cohort_id, lesson.module_id):
        raise PermissionDenied
    return lesson


def _back(request, lesson):
    if scope_of(request.user).lecturer_id is not None:
        return redirect("teaching:my")
    return redirect("teaching:cohort", cohort_id=lesson.cohort_id)


@login_required
def attendance(request, lesson_id):
    """The class list with everyone present; the lecturer marks only the exceptions."""
    lesson = _lesson_to_record(request, lesson_id)
    enrollments = list(lesson.cohort.enrollments.on_roll().select_related("student").in_class_order())
    if request.method == "POST":
        exceptions = {
            enrollment.pk: status
            for enrollment in enrollments
            if (status := request.POST.get(f"status-{enrollment.pk}", AttendanceStatus.PRESENT))
            != AttendanceStatus.PRESENT
        }
        try:
            services.attendance_record(user=request.user, lesson=lesson, exceptions=exceptions)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                ngettext(
                    "Attendance saved: everyone present but %(count)s student.",
                    "Attendance saved: everyone present but %(count)s students.",
                    len(exceptions),
                )
                % {"count": len(exceptions)},
            )
            return _back(request, lesson)
    marked = dict(lesson.attendance.values_list("enrollment_id", "status"))
    rows = [(enrollment, marked.get(enrollment.pk, AttendanceStatus.PRESENT)) for enrollment in enrollments]
    context = {"lesson": lesson, "rows": rows, "statuses": AttendanceStatus.choices}
    return render(request, "teaching/attendance.html", context)


@login_required
def lecture_log(request, lesson_id):
    lesson = _lesson_to_record(request, lesson_id)
    log = getattr(lesson, "log", None)
    initial = {"methods": log.methods, "content": log.content} if log else {}
    form = LectureLogForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.lecture_log_record(user=request.user, lesson=lesson, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The lecture log was saved."))
            return _back(request, lesson)
    return render(request, "teaching/lecture_log.html", {"lesson": lesson, "form": form})


@require(any_of(is_training_office, is_lecturer))
def observation(request, lesson_id):
    """A colleague's observation of a lesson: any lecturer of the school observes (the
    lessons of any class), the training office records anyone's observation."""
    office = is_training_office(request.user)
    lesson = get_object_or_404(Lesson.objects.select_related("cohort", "module", "lecturer"), pk=lesson_id)
    own = None if office else request.user.lecturer
    if own is not None and own.pk == lesson.lecturer_id:
        raise PermissionDenied
    previous = PeerObservation.objects.filter(lesson=lesson, observer=own).first() if own else None
    initial = {"rating": previous.rating, "notes": previous.notes} if previous else {}
    form = ObservationForm(request.POST or None, lesson=lesson, observer=own, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.observation_record(
                user=request.user,
                lesson=lesson,
                observer=own or data["observer"],
                rating=data["rating"],
                notes=data["notes"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The observation was saved."))
            return redirect("teaching:observe", lesson_id=lesson.pk)
    observations = (
        PeerObservation.objects.visible_to(request.user).filter(lesson=lesson).select_related("observer")
    ).order_by("observer__sort_key", "pk")
    context = {"lesson": lesson, "form": form, "observations": observations}
    return render(request, "teaching/observation.html", context)
