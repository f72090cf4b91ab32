"""A class's home (the hub, ``/cohorts/<code>/``) and the header every page of a class shows.

The hub is one way into everything about a class: its summary (program, mode, funding,
place, dates, status, homeroom lecturer, steering committee, class officers), its students,
and a section for each part the user may open: timetable with attendance and lecture log,
grades and results, field research, essays, graduation and credentials, evaluation rounds,
results packs sent. Every other page of a class shows the same header with the same tabs
(``class_tabs``, through the ``class_header`` template tag), so that each leads back here.

Who sees which tab follows the pages' own rules (the access matrix): a tab is shown only when
its page would open for the user. The class itself is opened by ``cohorts.access``: whole, or
with only a coordinator's or agency's own students in a class held elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from daotao.accounts.access import is_school_wide, is_staff, is_training_office, teaching_staff_required
from daotao.accounts.scope import scope_of
from daotao.cohorts.access import cohort_for_user
from daotao.cohorts.models import Cohort, EnrollmentStatus, counted_enrollments_q
from daotao.essays.models import Essay, EssayStatus
from daotao.grading.access import sheet_modules
from daotao.grading.models import Credential, CredentialStatus, GraduationDecision
from daotao.surveys.models import SurveyRound
from daotao.teaching.models import TeachingAssignment
from daotao.teaching.organisation import class_officers
from daotao.twoway.models import ResultPackDispatch
from daotao.twoway.packs import cohorts_with_packs

FINANCE = "finance"
SUMMARY, STUDENTS, TIMETABLE, ORGANISATION, RESULTS, ABSENCES, EXAMS, ESSAYS, GRADUATION, EVALUATION, PACKS = (
    "summary",
    "students",
    "timetable",
    "organisation",
    "results",
    "absences",
    "exams",
    "essays",
    "graduation",
    "evaluation",
    "packs",
)
LESSONS_SHOWN = 6


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    url: str
    current: bool = False


def class_tabs(user, cohort: Cohort, whole: bool, current: str = SUMMARY) -> list[Tab]:
    """The tabs of a class for ``user``: only the parts whose page opens for them (a class
    seen only through some of its students shows its summary, students and results)."""
    hub = reverse("cohorts:detail", args=[cohort.code])
    staff, lecturer = is_staff(user), scope_of(user).lecturer_id is not None
    tabs = [(SUMMARY, _("Class"), hub), (STUDENTS, _("Students"), f"{hub}#students")]
    if whole:
        tabs.append((TIMETABLE, _("Timetable"), reverse("teaching:cohort", args=[cohort.pk])))
        tabs.append((ORGANISATION, _("Organisation"), reverse("teaching:organisation", args=[cohort.pk])))
    tabs.append((RESULTS, _("Grades and results"), reverse("grading:cohort", args=[cohort.pk])))
    if staff or lecturer:  # a coordinator or agency sees only their own students at risk
        tabs.append((ABSENCES, _("Absence warnings"), f"{reverse('alerts:list')}?cohort={cohort.pk}"))
    if whole and (is_school_wide(user) or lecturer):
        tabs.append((EXAMS, _("Exams"), reverse("exams:cohort", args=[cohort.pk])))
    if whole and (staff or lecturer):
        tabs.append((ESSAYS, _("Essays"), reverse("essays:cohort", args=[cohort.pk])))
    if whole and staff:
        tabs.append((GRADUATION, _("Graduation"), reverse("grading:report", args=[cohort.pk])))
        tabs.append((EVALUATION, pgettext_lazy("menu", "Evaluation"), f"{hub}#evaluation"))
    if is_school_wide(user):
        tabs.append((PACKS, _("Results sent back"), reverse("twoway:cohort", args=[cohort.pk])))
    elif staff:
        tabs.append((PACKS, _("Results sent back"), f"{hub}#packs"))
    if is_school_wide(user):
        tabs.append((FINANCE, _("Finance"), reverse("finance:cohort", args=[cohort.pk])))
    return [Tab(key, label, url, key == current) for key, label, url in tabs]


@teaching_staff_required
def cohort_hub(request, code):
    """The class's home: its summary, students and one section per part of its year, each
    with what the user may open. A fixed number of queries whatever the class's size."""
    user = request.user
    opened = cohort_for_user(
        user,
        cohorts=Cohort.objects.select_related("program__grading_rules", "host_locality", "homeroom_lecturer"),
        code=code,
    )
    cohort, whole = opened.cohort, opened.whole
    enrollments = opened.enrollments.order_by()
    counted = Count("id", filter=counted_enrollments_q())
    per_status = list(enrollments.values_list("status").annotate(n=Count("id"), counted=counted))
    by_status = {status: n for status, n, _counted in per_status}
    staff = is_staff(user)
    today = timezone.localdate()
    context = {
        "cohort": cohort,
        "whole": whole,
        "enrollments": enrollments.select_related("student", "student__locality", "student__agency").in_class_order(),
        "status_counts": [(label, by_status[value]) for value, label in EnrollmentStatus.choices if value in by_status],
        "counted": sum(counted for _status, _n, counted in per_status),
        "staff": staff,
    }
    if whole:
        lessons = cohort.lessons.select_related("module", "lecturer", "log")
        held = lessons.filter(date__lte=today)
        context.update(
            committee=list(cohort.committee.all()),
            officers=class_officers(opened.enrollments),
            lesson_counts=cohort.lessons.aggregate(
                planned=Count("id"),
                held=Count("id", filter=Q(date__lte=today)),
                attended=Count("id", filter=Q(date__lte=today, attendance_taken_at__isnull=False)),
                logged=Count("id", filter=Q(date__lte=today, log__isnull=False)),
            ),
            recent_lessons=_with_record_links(user, cohort, list(held.in_day_order(descending=True)[:LESSONS_SHOWN])),
            next_lessons=_with_record_links(
                user, cohort, list(lessons.filter(date__gt=today).in_day_order()[:LESSONS_SHOWN])
            ),
            trips=list(cohort.field_trips.select_related("locality")),
            essays=_by_choice(
                Essay.objects.filter(enrollment__cohort=cohort, enrollment__in=opened.enrollments), EssayStatus
            ),
            show_essays=staff or scope_of(user).lecturer_id is not None,
        )
    context["modules"] = list(sheet_modules(user, cohort).order_by("order", "code"))
    if staff:
        _staff_sections(context, user, cohort, whole, opened.enrollments)
    return render(request, "dashboards/cohort_hub.html", context)


def _by_choice(records, choices) -> list[tuple[str, int]]:
    """How many of ``records`` are in each status of ``choices``, in the choices' order."""
    counts = dict(records.order_by().values_list("status").annotate(n=Count("id")))
    return [(label, counts[value]) for value, label in choices.choices if value in counts]


def _with_record_links(user, cohort, lessons):
    """Each lesson with ``may_record``: whether the user may take its attendance and keep its
    log (``teaching.access.may_record``: the office, or a lecturer assigned to its module in
    the class), asked once for the class."""
    office = is_training_office(user)
    lecturer_id = scope_of(user).lecturer_id
    assigned = set()
    if not office and lecturer_id is not None:
        assignments = TeachingAssignment.objects.filter(cohort=cohort, lecturer_id=lecturer_id)
        assigned = set(assignments.values_list("module_id", flat=True))
    for lesson in lessons:
        lesson.may_record = office or lesson.module_id in assigned
    return lessons


def _staff_sections(context, user, cohort, whole, enrollments) -> None:
    """Graduation and credentials, evaluation rounds and results packs: staff only."""
    if whole:
        context["decisions"] = list(
            GraduationDecision.objects.filter(cohort=cohort).annotate(graduates=Count("entries")).order_by("date", "pk")
        )
        context["credentials"] = _by_choice(Credential.objects.filter(enrollment__cohort=cohort), CredentialStatus)
        context["rounds"] = list(
            SurveyRound.objects.visible_to(user)
            .filter(cohort=cohort)
            .select_related("module", "lecturer")
            .order_by("closes_on", "pk")
        )
    context["dispatches"] = list(
        ResultPackDispatch.objects.visible_to(user)
        .filter(cohort=cohort)
        .select_related("unit")
        .order_by("-sent_at", "-pk")[:20]
    )
    unit = user.unit if not is_school_wide(user) else None
    # The unit's own pack, where its page opens (a class not cancelled, with one of the
    # unit's students on its roll: twoway.packs.cohorts_with_packs).
    context["own_pack_unit"] = (
        unit if unit is not None and cohorts_with_packs(user).filter(pk=cohort.pk).exists() else None
    )
    context["school_wide"] = is_school_wide(user)
