"""/api/v1/students: the student search of the staff pages."""

from __future__ import annotations

from ninja import Query, Router

from daotao.api.schemas import NO_NUL, STUDENT_PAGE_MAX, StudentPageOut, error_responses, student_out
from daotao.lib.vietnamese import SEARCH_MAX_LENGTH
from daotao.people.models import Student
from daotao.people.privacy import personal_data_access

router = Router(tags=["students"])


@router.get(
    "",
    response={200: StudentPageOut, **error_responses(400, 401, 403, 422)},
    operation_id="student_search",
    summary="Search students",
)
def students(
    request,
    q: str = Query(
        "",
        max_length=SEARCH_MAX_LENGTH,
        pattern=NO_NUL,
        description="Words of the name, in any case, with or without diacritics; or the start of a national ID "
        "(matching only students whose personal data the caller may see).",
        example="tran thi ngoc diep",
    ),
    limit: int = Query(50, ge=1, description=f"Page size; more than {STUDENT_PAGE_MAX} is read as {STUDENT_PAGE_MAX}."),
    offset: int = Query(0, ge=0, description="How many matches to skip."),
):
    """Students the user may see, in Vietnamese class-list order, one page at a time."""
    limit = min(limit, STUDENT_PAGE_MAX)
    matches = Student.objects.visible_to(request.auth).search(q, request.auth)
    total = matches.count()
    page = []
    if offset < total:  # a huge offset would overflow the database's integer
        page = matches.select_related("locality", "agency").order_by("sort_key", "id")[offset : offset + limit]
    access = personal_data_access(request.auth)
    return {"total": total, "limit": limit, "offset": offset, "items": [student_out(s, access) for s in page]}
