"""The list of students at risk (``/absence-warnings/``): each student's modules whose
absences reach the lowest threshold of the absence limit, with their absences against the
limit and the warnings sent about them (when, to whom, or that nobody could be emailed).

Who sees what: the training office and the board every open class; a locality coordinator
or a sending agency their own students (``Enrollment.visible_to``) in the classes they reach;
a lecturer the classes they teach; students have no such page. ``?cohort=<id>`` shows one
class the user reaches, open or closed (the class's tab leads there), else 404. A fixed
number of queries whatever the number of classes and students."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from daotao.accounts.access import teaching_staff_required
from daotao.alerts.models import AbsenceThreshold, AbsenceWarning
from daotao.alerts.risk import ModuleAbsence, absences
from daotao.alerts.sending import number_text, open_cohorts, share_text
from daotao.cohorts.access import cohort_for_user, cohorts_reached
from daotao.cohorts.models import Cohort, Enrollment
from daotao.grading.access import result_modules_of
from daotao.lib.vietnamese import format_int, is_whole_number
from daotao.people.privacy import personal_data_access


@dataclass(frozen=True)
class Told:
    """Warnings told in one email (several thresholds crossed at once), or one warning."""

    thresholds: list[int]
    warning: AbsenceWarning  # the one of the highest threshold: when, to whom, what became of it
    # The addresses, the student's masked for a viewer who may not see it; the server's
    # error (which may quote it) only for one who may.
    recipients: str
    error: str

    @property
    def thresholds_text(self) -> str:
        return ", ".join(f"{format_int(threshold)}%" for threshold in self.thresholds)


def told(warnings: list[AbsenceWarning], full: bool) -> list[Told]:
    """``warnings`` (in the order found) grouped by the email that told them; ``full``: the
    viewer sees the student's personal data."""
    groups: dict[tuple, list[AbsenceWarning]] = {}
    for warning in warnings:
        key = (warning.found_at, warning.status, warning.sent_at, warning.mail_threshold, warning.withdrawn_at)
        groups.setdefault(key, []).append(warning)
    return [
        Told([w.threshold for w in group], group[-1], group[-1].recipients_shown(full), group[-1].error if full else "")
        for group in groups.values()
    ]


@dataclass(frozen=True)
class AtRisk:
    row: ModuleAbsence
    warnings: list[Told]

    @property
    def limit(self) -> str:
        return number_text(self.row.limit)

    @property
    def share(self) -> str:
        return share_text(self.row)


def _module_shown(shown: dict, row) -> bool:
    modules = shown[row.enrollment.cohort_id]
    return modules is None or row.module.pk in modules


def _cohorts_of(rows) -> dict:
    return {row.enrollment.cohort_id: row.enrollment.cohort for row in rows}


@teaching_staff_required
def at_risk(request):
    user = request.user
    chosen = request.GET.get("cohort", "")
    cohort, whole = None, None
    if chosen:
        if not is_whole_number(chosen) or len(chosen) > 12:
            raise Http404
        opened = cohort_for_user(user, pk=int(chosen))
        cohort, whole = opened.cohort, opened.whole
        cohorts = Cohort.objects.filter(pk=cohort.pk)
        enrollments = opened.enrollments
    else:
        cohorts = cohorts_reached(user, open_cohorts(timezone.localdate()))
        enrollments = Enrollment.objects.visible_to(user)
    percents = AbsenceThreshold.objects.percents()
    lowest = percents[0] if percents else 100
    rows = [row for row in absences(cohorts, enrollments=enrollments) if row.reaches(lowest)]
    # A lecturer sees the modules whose results she sees (``grading/access.py``): those she
    # teaches, or every one of the class she is the homeroom lecturer of.
    shown = result_modules_of(user, _cohorts_of(rows).values())
    rows = [
        row
        for row in rows
        if shown[row.enrollment.cohort_id] is None or row.module.pk in shown[row.enrollment.cohort_id]
    ]
    by_key: dict[tuple[int, int], list[AbsenceWarning]] = {}
    if rows:
        warnings = AbsenceWarning.objects.filter(
            enrollment__cohort__in=cohorts, enrollment__in=enrollments.values("pk")
        ).order_by("found_at", "threshold", "pk")
        for warning in warnings:
            by_key.setdefault((warning.enrollment_id, warning.module_id), []).append(warning)
    access = personal_data_access(user)
    items = [AtRisk(row, told(by_key.get(row.key, []), access.sees(row.enrollment.student))) for row in rows]
    context = {
        "items": items,
        "cohort": cohort,
        "whole": whole,
        "percents": percents,
        "percents_text": ", ".join(f"{format_int(percent)}%" for percent in percents),
        "lowest": lowest,
        "over": sum(1 for item in items if item.row.over),
    }
    return render(request, "alerts/at_risk.html", context)
