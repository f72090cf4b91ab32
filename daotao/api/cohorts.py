"""/api/v1/cohorts/: class lists."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Path, Router
from ninja.errors import HttpError

from daotao.api.schemas import NO_NUL, ClassListOut, error_responses, student_out, unit_ref
from daotao.cohorts.access import cohort_for_user
from daotao.cohorts.models import Cohort
from daotao.people.privacy import personal_data_access

router = Router(tags=["classes"])


@router.get(
    "/{path:code}/enrollments",
    response={200: ClassListOut, **error_responses(400, 401, 403, 404, 422)},
    operation_id="cohort_enrollments",
    summary="Class list",
)
def enrollments(request, code: str = Path(..., min_length=1, max_length=32, pattern=NO_NUL, description="Class code.")):
    """The students of a class in Vietnamese class-list order, with their status; personal
    data masked where the caller may not see it. A class the user may not see answers
    404, as an unknown one does."""
    user = request.auth
    try:
        opened = cohort_for_user(user, cohorts=Cohort.objects.select_related("program", "host_locality"), code=code)
    except Http404:
        raise HttpError(404, _("There is no class “%(code)s” that you may see.") % {"code": code}) from None
    cohort = opened.cohort
    class_list = opened.enrollments.in_class_order().select_related("student__locality", "student__agency")
    access = personal_data_access(user)
    return {
        "cohort": {
            "code": cohort.code,
            "name": cohort.name,
            "program": cohort.program.code,
            "host_locality": unit_ref(cohort.host_locality),
            "opening_date": cohort.opening_date,
            "closing_date": cohort.closing_date,
        },
        "items": [student_out(enrollment.student, access) | {"status": enrollment.status} for enrollment in class_list],
    }
