"""Where signing in leads (``/staff/``): a home for every role, none of them a refusal.

- the board and the training office: the year at a glance (``board_views``); at the
  Academy (``DAOTAO_ROLE=academy``), the national dashboard (``academy/views.py``);
- a locality coordinator: their quota progress, their classes (those held elsewhere where
  their cadres study too), nominations waiting for a decision, results packs received;
- a sending agency: its staff in training, packs received, graduates whose later career is
  still to be recorded;
- a lecturer: today's and this week's lessons, attendance and lecture log one click away;
- a student: their next lessons and their results;
- an editor: the portal's latest articles and its banners;
- a signed-in user with no role: what to do to get one.

Every figure comes from the one home of its rule (``cohorts.access``, ``admissions.progress``,
``grading.results``...), so that a home and the page it links to always agree.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.views import redirect_to_login
from django.db.models import Exists, OuterRef
from django.shortcuts import render
from django.utils import timezone

from daotao.academy.access import may_see_national
from daotao.academy.views import national_page
from daotao.accounts.access import is_agency, is_coordinator, is_editor, is_lecturer, is_school_wide, is_student
from daotao.accounts.scope import scope_of
from daotao.admissions.models import Application, Decision
from daotao.admissions.progress import UnknownPlan, quota_progress
from daotao.cohorts.access import cohorts_reached, recordable_students, students_seen_in, with_students_seen
from daotao.cohorts.models import CohortStatus, Enrollment
from daotao.dashboards.board_views import board_page
from daotao.exams.models import ExamSession, ExamStatus
from daotao.grading.models import GraduationEntry
from daotao.grading.results import cohort_results
from daotao.people.models import Student
from daotao.planning.models import AnnualPlan
from daotao.portal.models import Article, Banner
from daotao.surveys.models import CareerEvent
from daotao.teaching.models import Lesson
from daotao.twoway.models import ResultPackDispatch
from daotao.twoway.packs import cohorts_with_packs

CLASSES_SHOWN = 12
WAITING_SHOWN = 10
PACKS_SHOWN = 8
TO_RECORD_SHOWN = 15
ARTICLES_SHOWN = 10
# A graduate's career is followed for this long after graduating (the outcome report's window).
FOLLOW_UP_DAYS = 365


def home(request):
    """The signed-in user's home; anonymous visitors are sent to sign in."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if may_see_national(user):
        return national_page(request)
    if is_school_wide(user):
        return board_page(request)
    if is_coordinator(user) or is_agency(user):
        return unit_home(request)
    if is_lecturer(user):
        return lecturer_home(request)
    if is_student(user):
        return student_home(request)
    if is_editor(user):
        return editor_home(request)
    return render(request, "dashboards/no_role.html", status=200)


def _units_classes(user):
    """A coordinator's or agency's classes (cancelled ones left out), the latest first as
    the class list orders them, each with the students of theirs the user sees in it
    (``cohorts.access``)."""
    cohorts = cohorts_reached(user).counted()
    return cohorts, list(
        with_students_seen(user, cohorts.select_related("program", "host_locality")).order_by("-opening_date", "code")[
            :CLASSES_SHOWN
        ]
    )


def unit_home(request):
    """A coordinator's or a sending agency's home."""
    user = request.user
    today = timezone.localdate()
    cohorts, classes = _units_classes(user)
    plan_year = AnnualPlan.objects.order_by("-year").values_list("year", flat=True).first()
    waiting = Application.objects.visible_to(user).filter(plan__year=plan_year, decision=Decision.PENDING)
    context = {
        "unit": user.unit,
        # The figures the class list and the student list show (cohorts.access).
        "cohorts": cohorts.count(),
        "open_cohorts": cohorts.filter(status=CohortStatus.OPEN).count(),
        "students": Student.objects.visible_to(user).count(),
        "enrollments": students_seen_in(user, cohorts),
        "recent": classes,
        "partial": any(not cohort.whole for cohort in classes),
        # The latest plan's nominations still waiting: what the nominations page lists with
        # that year and "pending" chosen (the page opens on the latest plan too).
        "plan_year": plan_year,
        "waiting": list(waiting.select_related("program", "locality").order_by("-pk")[:WAITING_SHOWN]),
        "waiting_count": waiting.count(),
        # Packs of the classes whose packs the user opens (not a class cancelled since).
        "packs": list(
            ResultPackDispatch.objects.visible_to(user)
            .filter(cohort__in=cohorts_with_packs(user).values("pk"))
            .select_related("cohort", "unit")
            .order_by("-sent_at", "-pk")[:PACKS_SHOWN]
        ),
        "coordinator": is_coordinator(user),
    }
    if is_coordinator(user):
        try:
            context["progress"] = quota_progress(today.year, user)
        except UnknownPlan:
            context["progress"] = None
    else:
        context["in_training"] = list(
            Enrollment.objects.visible_to(user)
            .on_roll()
            .filter(cohort__status=CohortStatus.OPEN)
            .select_related("student", "cohort")
            .order_by("cohort__code", "student__sort_key", "pk")[:50]
        )
        context["to_record"] = _careers_to_record(user, today)
    context["year"] = today.year
    return render(request, "dashboards/unit_home.html", context)


def _careers_to_record(user, today: dt.date) -> list[GraduationEntry]:
    """Graduates of the last year whose later career the user records and for whom nothing
    has been recorded since they graduated."""
    since = today - dt.timedelta(days=FOLLOW_UP_DAYS)
    recorded = CareerEvent.objects.filter(student=OuterRef("enrollment__student"), date__gte=OuterRef("decision__date"))
    return list(
        GraduationEntry.objects.filter(
            decision__date__gte=since,
            enrollment__student__in=recordable_students(user).values("pk"),
        )
        .exclude(Exists(recorded))
        .select_related("enrollment__student", "enrollment__cohort", "decision")
        .order_by("decision__date", "enrollment__student__sort_key", "pk")[:TO_RECORD_SHOWN]
    )


def lecturer_home(request):
    """Today's and this week's lessons of a lecturer, with their attendance and log."""
    lecturer_id = scope_of(request.user).lecturer_id
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    lessons = Lesson.objects.filter(lecturer_id=lecturer_id).select_related("cohort", "module", "lecturer", "log")
    week = list(lessons.filter(date__gte=monday, date__lte=monday + dt.timedelta(days=6)).in_day_order())
    context = {
        "today": today,
        "today_lessons": [lesson for lesson in week if lesson.date == today],
        "week_lessons": [lesson for lesson in week if lesson.date != today],
        "next_lessons": list(lessons.filter(date__gt=monday + dt.timedelta(days=6)).in_day_order()[:5]),
        "unrecorded": list(
            lessons.filter(
                date__lt=today, date__gte=today - dt.timedelta(days=30), attendance_taken_at__isnull=True
            ).in_day_order(descending=True)[:10]
        ),
        # Sealed exams of her modules whose scripts wait for marks by code (exams app).
        "scripts_to_mark": list(
            ExamSession.objects.visible_to(request.user)
            .filter(status=ExamStatus.SEALED, anonymised=True)
            .select_related("cohort", "assessment__module")
            .order_by("date", "pk")
        ),
        "is_lecturer": True,
    }
    return render(request, "dashboards/lecturer_home.html", context)


def student_home(request):
    """A student's next lessons and, class by class, their results."""
    user = request.user
    today = timezone.localdate()
    enrollments = list(
        Enrollment.objects.visible_to(user)
        .on_roll()
        .select_related("cohort__program__grading_rules", "student")
        .order_by("-cohort__opening_date")
    )
    classes = []
    for enrollment in enrollments:
        results = cohort_results(enrollment.cohort, [enrollment])
        classes.append({"enrollment": enrollment, "result": results[enrollment.pk]})
    context = {
        "student": Student.objects.filter(pk=scope_of(user).student_id).first(),
        "lessons": list(
            Lesson.objects.visible_to(user)
            .filter(date__gte=today)
            .select_related("cohort", "module", "lecturer")
            .in_day_order()[:10]
        ),
        "classes": classes,
        "today": today,
    }
    return render(request, "dashboards/student_home.html", context)


def editor_home(request):
    """The portal's latest articles (every status) and its banners, for the editor."""
    context = {
        "articles": list(Article.objects.select_related("category").order_by("-pk")[:ARTICLES_SHOWN]),
        "banners": list(Banner.objects.order_by("placement", "pk")),
    }
    return render(request, "dashboards/editor_home.html", context)
