"""/api/v1/verify/{code}: the public check of a credential by its verification code, for
anyone (no token, no session): what the page /xac-minh/<code>/ shows, as JSON
(``daotao.grading.verification.lookup``). A code that cannot be one and a code no
credential has both answer 404; each call counts against the client's limit, shared with
the page (``DAOTAO_VERIFY_PER_MINUTE``), past which it answers 429."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import Http404
from ninja import Router, Schema
from pydantic import Field

from daotao.api.schemas import REGISTER, error_responses
from daotao.grading.models import CredentialKind, CredentialStatus
from daotao.grading.verification import WINDOW_SECONDS, lookup, verification_allowed
from daotao.web import ratelimit

router = Router(tags=["verification"], auth=None)

Kind = Literal[tuple(CredentialKind.values)]
Status = Literal[tuple(CredentialStatus.values)]


class CohortRef(Schema):
    code: str
    name: str


class ReplacementOut(Schema):
    kind: Kind
    serial_number: str
    register_name: str = Field(description=REGISTER)
    issued_on: dt.date
    status: Status = Field(description="`valid`, or `voided` if the credential that replaced it was voided since.")


class VerificationOut(Schema):
    kind: Kind
    status: Status = Field(description="`valid`; `voided`; `replaced` (reissued: see `replaced_by`).")
    full_name: str
    year_of_birth: int | None = Field(description="The year only; null when unknown.")
    program: str = Field(description="The program's name.")
    cohort: CohortRef
    classification: str | None = Field(
        description="A diploma's graduation classification, the code of a band of the program's rules "
        "(by default `excellent`, `good`, `fair`, `average`; a program may add its own, e.g. `fair_average`); "
        "null for other kinds or when none was given."
    )
    serial_number: str
    register_number: str
    register_name: str = Field(description=REGISTER)
    issued_on: dt.date
    replaced_by: ReplacementOut | None = Field(
        description="For a replaced credential, the one that stands in its place now (the end of the chain of "
        "reissues)."
    )


@router.get(
    "/{code}",
    response={200: VerificationOut, **error_responses(400, 404, 429)},
    url_name="credential_verify",
    summary="Verify a credential by its code",
)
def verify(request, code: str):
    """The credential whose printed verification code is ``code`` (``K7QX3-MZP9T``; case,
    spaces and dashes do not matter, O reads as 0, I and L as 1)."""
    if not verification_allowed(request):
        return ratelimit.too_many_requests(request, WINDOW_SECONDS)
    found = lookup(code)
    if found is None:
        raise Http404
    replacement = found.replacement
    return {
        "kind": found.kind,
        "status": found.status,
        "full_name": found.full_name,
        "year_of_birth": found.year_of_birth,
        "program": found.program,
        "cohort": {"code": found.cohort_code, "name": found.cohort_name},
        "classification": found.classification or None,
        "serial_number": found.serial_number,
        "register_number": found.register_number,
        "register_name": found.register,
        "issued_on": found.issued_on,
        "replaced_by": None
        if replacement is None
        else {
            "kind": replacement.kind,
            "serial_number": replacement.serial_number,
            "register_name": replacement.register,
            "issued_on": replacement.issued_on,
            "status": replacement.status,
        },
    }
