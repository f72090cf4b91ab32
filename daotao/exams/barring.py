"""Who sits an exam session, and who is barred from it and why.

Each reason a student may be barred is one check in ``BAR_CHECKS``: a function of the exam
session and the class's results (``grading.results.cohort_results``) answering
``{enrollment_id: reason}``. The absence limit is the grading rules' own
(``grading.rules.exam_allowed`` through ``module_outcome``: a barred outcome); unpaid fees
where the class's fee says so, the finance app's (``finance.fees.unpaid_enrollment_ids``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from daotao.finance.fees import unpaid_enrollment_ids
from daotao.grading.results import LEFT_STATUSES, CohortResults, cohort_results
from daotao.lib.vietnamese import format_int


def absence_bar(exam, results: CohortResults) -> dict[int, str]:
    """Those who missed more of the module's periods than the program's limit allows."""
    module_id = exam.assessment.module_id
    barred = {}
    for enrollment_id, result in results.items():
        outcome = result.modules.get(module_id)
        if outcome is not None and outcome.exam_barred:
            barred[enrollment_id] = _(
                "Missed %(missed)s of %(total)s periods of the module (more than the %(limit)s%% allowed)."
            ) % {
                "missed": format_int(outcome.missed_periods),
                "total": format_int(outcome.total_periods),
                "limit": results.rules.max_absence_percent,
            }
    return barred


def unpaid_fee_bar(exam, results: CohortResults) -> dict[int, str]:
    """Those of a self-funded class who have not paid its fee in full, where the fee bars
    the exam (``finance.fees``, the one home of "paid in full")."""
    reason = _("Has not paid the class's fee in full (the fee bars the exams until it is paid).")
    return {enrollment_id: reason for enrollment_id in unpaid_enrollment_ids(exam.cohort)}


BarCheck = Callable[[object, CohortResults], dict[int, str]]
# One entry per reason.
BAR_CHECKS: list[BarCheck] = [absence_bar, unpaid_fee_bar]


@dataclass
class Roll:
    """The exam's candidates in class order, and those barred with their reasons."""

    candidates: list = field(default_factory=list)  # enrollments
    barred: list[tuple[object, list[str]]] = field(default_factory=list)  # (enrollment, reasons)


def exam_roll(exam, checks: list[BarCheck] | None = None) -> Roll:
    """Who sits ``exam``: the class's students on the roll who have not left it (for a
    retake, only those whose result allows one or who retook already), less those a check
    of ``checks`` (default ``BAR_CHECKS``) bars."""
    results = cohort_results(exam.cohort)
    module_id = exam.assessment.module_id
    reasons: dict[int, list[str]] = {}
    for check in BAR_CHECKS if checks is None else checks:
        for enrollment_id, reason in check(exam, results).items():
            reasons.setdefault(enrollment_id, []).append(reason)
    roll = Roll()
    for enrollment_id, result in results.items():
        enrollment = result.enrollment
        if enrollment.status in LEFT_STATUSES:
            continue
        if exam.attempt > 1:
            outcome = result.modules[module_id]
            if not (outcome.may_retake or outcome.attempts_used >= exam.attempt):
                continue
        if enrollment_id in reasons:
            roll.barred.append((enrollment, reasons[enrollment_id]))
        else:
            roll.candidates.append(enrollment)
    return roll
