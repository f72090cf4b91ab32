"""/api/v1/students: the student search of the staff pages, and a cadre's training record
by national ID."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from daotao.api.auth import scoped_auth
from daotao.api.schemas import (
    NO_NUL,
    REGISTER,
    STUDENT_PAGE_MAX,
    StudentOut,
    StudentPageOut,
    UnitRef,
    error_responses,
    student_out,
    unit_ref,
)
from daotao.lib.vietnamese import SEARCH_MAX_LENGTH
from daotao.people.models import Student
from daotao.people.privacy import personal_data_access
from daotao.records.record import TrainingRecord, training_record

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
        description="Words of the name, each the start of a word of it (`hai` finds Hải, not Thái), in any case, "
        "with or without diacritics; or the start of a national ID (matching only students whose personal data "
        "the caller may see).",
        example="tran thi ngoc diep",
    ),
    limit: int = Query(50, ge=1, description=f"Page size; more than {STUDENT_PAGE_MAX} is read as {STUDENT_PAGE_MAX}."),
    offset: int = Query(0, ge=0, description="How many matches to skip."),
):
    """Students the user may see, one page at a time: searched by name, those whose whole name
    was typed first, then those whose given name was typed, then the others; each group, and
    the list without a name, in Vietnamese class-list order."""
    limit = min(limit, STUDENT_PAGE_MAX)
    matches = Student.objects.visible_to(request.auth).search(q, request.auth)
    total = matches.count()
    page = []
    if offset < total:  # a huge offset would overflow the database's integer
        page = matches.select_related("locality", "agency").ranked(q)[offset : offset + limit]
    access = personal_data_access(request.auth)
    return {"total": total, "limit": limit, "offset": offset, "items": [student_out(s, access) for s in page]}


# --- GET /students/{national_id}/record ------------------------------------------------

NATIONAL_ID_PATTERN = r"^[0-9]{12}$"


class RecordStudentOut(StudentOut):
    agency: UnitRef | None
    position: str
    workplace: str


class CredentialOut(Schema):
    kind: str = Field(description="`diploma`, `certificate` or `confirmation`.")
    serial_number: str
    register_number: str
    register_name: str = Field(description=REGISTER)
    issued_on: dt.date
    status: str = Field(description="`valid`, `replaced` or `voided`.")


class ClassRecordOut(Schema):
    code: str
    name: str
    program: str = Field(description="Program code.")
    opening_date: dt.date
    closing_date: dt.date | None
    enrollment_status: str
    average: Decimal | None = Field(description="As the graduation decision recorded it; null without one.")
    classification: str | None = Field(description="As the graduation decision recorded it; null without one.")
    credentials: list[CredentialOut]


class ApplicationRecordOut(Schema):
    year: int
    program: str
    locality: UnitRef
    status: str
    decision: str
    decision_number: str
    decision_date: dt.date | None


class EssayRecordOut(Schema):
    cohort: str = Field(description="Class code.")
    title: str
    status: str
    score: Decimal | None


class RoundRecordOut(Schema):
    cohort: str = Field(description="Class code.")
    title: str
    phase: str
    audience: str
    closes_on: dt.date
    closed: bool


class CareerEventOut(Schema):
    kind: str
    date: dt.date
    decision_number: str
    description: str


class TrainingRecordOut(Schema):
    student: RecordStudentOut
    classes: list[ClassRecordOut] = Field(description="The classes the caller reaches, oldest first.")
    applications: list[ApplicationRecordOut]
    essays: list[EssayRecordOut]
    survey_rounds: list[RoundRecordOut] = Field(
        description="Evaluation rounds the cadre was invited to; never whether or what they answered."
    )
    career_events: list[CareerEventOut]


def record_out(record: TrainingRecord, access) -> dict:
    student = record.student
    return {
        "student": student_out(student, access)
        | {"agency": unit_ref(student.agency), "position": student.position, "workplace": student.workplace},
        "classes": [
            {
                "code": item.cohort.code,
                "name": item.cohort.name,
                "program": item.cohort.program.code,
                "opening_date": item.cohort.opening_date,
                "closing_date": item.cohort.closing_date,
                "enrollment_status": item.enrollment.status,
                "average": item.graduation.average if item.graduation else None,
                "classification": (item.graduation.classification or None) if item.graduation else None,
                "credentials": [
                    {
                        "kind": credential.kind,
                        "serial_number": credential.serial_number,
                        "register_number": credential.register_number,
                        "register_name": credential.register,
                        "issued_on": credential.issued_on,
                        "status": credential.status,
                    }
                    for credential in item.credentials
                ],
            }
            for item in record.classes
        ],
        "applications": [
            {
                "year": application.plan.year,
                "program": application.program.code,
                "locality": unit_ref(application.locality),
                "status": application.status,
                "decision": application.decision,
                "decision_number": application.decision_number,
                "decision_date": application.decision_date,
            }
            for application in record.applications
        ],
        "essays": [
            {"cohort": essay.enrollment.cohort.code, "title": essay.title, "status": essay.status, "score": essay.score}
            for essay in record.essays
        ],
        "survey_rounds": [
            {
                "cohort": invited.cohort.code,
                "title": invited.survey_round.title,
                "phase": invited.survey_round.phase,
                "audience": invited.survey_round.audience,
                "closes_on": invited.survey_round.closes_on,
                "closed": invited.closed,
            }
            for invited in record.rounds
        ],
        "career_events": [
            {
                "kind": event.kind,
                "date": event.date,
                "decision_number": event.decision_number,
                "description": event.description,
            }
            for event in record.career_events
        ],
    }


@router.get(
    "/{national_id}/record",
    response={200: TrainingRecordOut, **error_responses(400, 401, 403, 404, 422)},
    operation_id="student_record",
    summary="A cadre's training record",
    auth=scoped_auth,
)
def student_record(
    request,
    national_id: str = Path(
        ...,
        pattern=NATIONAL_ID_PATTERN,
        description="The cadre's national ID, 12 digits.",
        example="052085000123",
    ),
):
    """Every class the cadre took that the caller reaches, with the result and credentials
    of each, their nominations, graduation essays, the evaluation rounds they were invited
    to and their later career, as on the record's page. Only a caller who sees the cadre's
    personal data in full may ask by national ID (the training office; the locality or
    agency the cadre came from; the cadre themself): anyone else, who sees national IDs
    masked or does not see the cadre at all, gets 404, as for an unknown number, so that
    the answer cannot confirm a number."""
    user = request.auth
    access = personal_data_access(user)
    student = (
        Student.objects.visible_to(user)
        .filter(access.q(Student), national_id=national_id)
        .select_related("locality", "agency")
        .first()
    )
    if student is None:
        raise HttpError(404, _("There is no training record under this national ID that you may see."))
    return record_out(training_record(student, user), access)
