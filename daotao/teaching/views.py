"""Timetable pages: a class's timetable (the training office adds, changes and cancels
lessons; others in scope read it) and one's own schedule (lecturers and students).
Attendance, the log and observation are in ``record_views``; the class's organisation in
``organisation_views``; the report in ``report_views``."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from daotao.accounts.access import (
    any_of,
    check_post,
    is_lecturer,
    is_student,
    is_training_office,
    office_required,
    require,
    teaching_staff_required,
)
from daotao.accounts.scope import scope_of
from daotao.cohorts.access import cohort_for_user
from daotao.teaching import services
from daotao.teaching.feeds import own_lessons
from daotao.teaching.forms import LessonForm
from daotao.teaching.models import CalendarFeed, Lesson
from daotao.teaching.reports import active_methods_share
from daotao.web.forms import add_service_errors

# How far around today a lecturer sees colleagues' lessons to observe.
OBSERVABLE_DAYS_BEFORE, OBSERVABLE_DAYS_AFTER = 7, 14


def _schedule(request, form, cohort, lesson=None) -> bool:
    """Run the lesson form through ``lesson_schedule``; True when saved."""
    if not form.is_valid():
        return False
    try:
        services.lesson_schedule(user=request.user, cohort=cohort, lesson=lesson, **form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return True


@teaching_staff_required
def cohort_timetable(request, cohort_id):
    """The class's lessons by date; the training office adds lessons here."""
    cohort = cohort_for_user(request.user, whole=True, pk=cohort_id).cohort
    check_post(request, is_training_office)
    office = is_training_office(request.user)
    form = LessonForm(request.POST or None, cohort=cohort, initial={"place": services.default_place(cohort)})
    if request.method == "POST" and _schedule(request, form, cohort):
        messages.success(request, _("The lesson was added to the timetable."))
        return redirect("teaching:cohort", cohort_id=cohort.pk)
    lessons = cohort.lessons.select_related("module", "lecturer", "log", "room").in_day_order()
    active, held = active_methods_share(cohort.lessons.filter(date__lte=timezone.localdate()))
    context = {
        "cohort": cohort,
        "whole": True,  # opened whole (cohort_for_user): the class header asks nothing more
        "lessons": lessons,
        "form": form if office else None,
        "office": office,
        "active": active,
        "held": held,
        "share": active / held if held else None,
    }
    return render(request, "teaching/cohort_timetable.html", context)


def _office_lesson(request, lesson_id) -> Lesson:
    return get_object_or_404(Lesson.objects.select_related("cohort", "module", "lecturer"), pk=lesson_id)


@office_required
def lesson_edit(request, lesson_id):
    lesson = _office_lesson(request, lesson_id)
    cohort = lesson.cohort
    initial = {
        "date": lesson.date,
        "session": lesson.session,
        "module": lesson.module_id,
        "lecturer": lesson.lecturer_id,
        "periods": lesson.periods,
        "place": lesson.place,
        "venue": lesson.venue,
        "room": lesson.room_id,
        "kind": lesson.kind,
        "topic": lesson.topic,
    }
    form = LessonForm(request.POST or None, cohort=cohort, initial=initial)
    if request.method == "POST" and _schedule(request, form, cohort, lesson):
        messages.success(request, _("The lesson was changed."))
        return redirect("teaching:cohort", cohort_id=cohort.pk)
    return render(request, "teaching/lesson_form.html", {"lesson": lesson, "cohort": cohort, "form": form})


@office_required
@require_POST
def lesson_cancel(request, lesson_id):
    lesson = _office_lesson(request, lesson_id)
    try:
        services.lesson_cancel(user=request.user, lesson=lesson)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("teaching:lesson_edit", lesson_id=lesson.pk)
    messages.success(request, _("The lesson was removed from the timetable."))
    return redirect("teaching:cohort", cohort_id=lesson.cohort_id)


@require(any_of(is_lecturer, is_student))
def my_schedule(request):
    """A lecturer's own lessons (with colleagues' lessons to observe), or a student's class
    timetable, read-only."""
    scope = scope_of(request.user)
    lessons = own_lessons(request.user)
    today = timezone.localdate()
    lessons = lessons.select_related("cohort", "module", "lecturer", "log")
    context = {
        "upcoming": lessons.filter(date__gte=today).in_day_order()[:50],
        "past": lessons.filter(date__lt=today).in_day_order(descending=True)[:30],
        "is_lecturer": scope.lecturer_id is not None,
        "today": today,
        "has_feed": CalendarFeed.objects.filter(user=request.user).exists(),
    }
    if scope.lecturer_id is not None:
        context["observable"] = (
            Lesson.objects.filter(
                lecturer__faculty__lecturers=scope.lecturer_id,
                date__gte=today - dt.timedelta(days=OBSERVABLE_DAYS_BEFORE),
                date__lte=today + dt.timedelta(days=OBSERVABLE_DAYS_AFTER),
            )
            .exclude(lecturer_id=scope.lecturer_id)
            .select_related("cohort", "module", "lecturer")
            .in_day_order()[:30]
        )
    return render(request, "teaching/my_schedule.html", context)
