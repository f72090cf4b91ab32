"""/api/v1/grading/: a class's results (scoped: staff by unit, lecturers their classes,
students their own row) and a student's own results."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Path, Router, Schema
from ninja.errors import HttpError

from daotao.accounts.scope import scope_of
from daotao.api.auth import scoped_auth
from daotao.api.schemas import error_responses
from daotao.cohorts.access import cohort_for_user
from daotao.cohorts.models import Enrollment
from daotao.grading.access import result_modules
from daotao.grading.results import cohort_results

router = Router(tags=["grading"], auth=scoped_auth)


class ModuleResultOut(Schema):
    module: str
    periods: int
    result: Decimal | None
    status: str
    retaken: bool
    missed_periods: int
    total_periods: int


class StudentResultOut(Schema):
    full_name: str
    enrollment_status: str
    average: Decimal | None
    classification: str | None
    # null (with average and classification) for a lecturer who sees only her modules.
    downgraded: bool | None
    complete: bool | None
    problems: list[str]
    modules: list[ModuleResultOut]


class CohortResultsOut(Schema):
    code: str
    name: str
    program: str
    opening_date: date
    closing_date: date | None
    students: list[StudentResultOut]


def _results_out(cohort, enrollments, user=None) -> dict:
    results = cohort_results(cohort, enrollments)
    shown = result_modules(user, cohort) if user is not None else None
    if shown is not None:
        results = results.only(shown)
    partial = results.partial
    return {
        "code": cohort.code,
        "name": cohort.name,
        "program": cohort.program.code,
        "opening_date": cohort.opening_date,
        "closing_date": cohort.closing_date,
        "students": [
            {
                "full_name": result.enrollment.student.full_name,
                "enrollment_status": result.enrollment.status,
                "average": result.average,
                "classification": result.classification or None,
                "downgraded": None if partial else result.downgraded,
                "complete": None if partial else result.complete,
                "problems": [str(problem) for problem in result.problems],
                "modules": [
                    {
                        "module": module.code,
                        "periods": module.periods,
                        "result": result.modules[module.pk].result,
                        "status": str(result.modules[module.pk].status),
                        "retaken": result.modules[module.pk].retaken,
                        "missed_periods": result.modules[module.pk].missed_periods,
                        "total_periods": result.modules[module.pk].total_periods,
                    }
                    for module in results.modules
                ],
            }
            for result in results.values()
        ],
    }


@router.get(
    "/cohorts/{cohort_id}/results",
    response={200: CohortResultsOut, **error_responses(400, 401, 403, 404, 422)},
    operation_id="cohort_results",
    summary="Results of a class",
)
def cohort_results_view(request, cohort_id: int = Path(..., ge=1, le=2**31 - 1, description="Class id.")):
    """Each student's module results, average, classification and whether they can finish,
    computed by the grading rules. A student sees only their own row; a lecturer who teaches
    in the class but is not its homeroom lecturer sees the modules assigned to her only,
    with no average, classification or conclusion (null); a class the caller may not see
    answers 404."""
    try:
        opened = cohort_for_user(request.auth, pk=cohort_id)
    except Http404:
        raise HttpError(404, _("There is no class %(id)s that you may see.") % {"id": cohort_id}) from None
    enrollments = opened.enrollments.on_roll().select_related("student")
    return _results_out(opened.cohort, enrollments.in_class_order(), request.auth)


@router.get(
    "/me",
    response={200: list[CohortResultsOut], **error_responses(400, 401, 403, 422)},
    operation_id="my_results",
    summary="My results",
)
def my_results(request):
    """A student's own results in each of their classes."""
    user = request.auth
    student_id = scope_of(user).student_id
    if student_id is None:
        raise HttpError(403, _("Only a student has results of their own."))
    enrollments = (
        Enrollment.objects.filter(student_id=student_id)
        .on_roll()
        .select_related("cohort__program__grading_rules", "student")
    )
    return [_results_out(e.cohort, [e]) for e in enrollments.order_by("-cohort__opening_date")]
