"""/api/v1/admissions/: the quota progress of a year's plan, as the page and its .xlsx
have it (``daotao.admissions.progress``: achievement by the yearly report's rule and, beside
it, the admissions), over what the caller may see."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from daotao.admissions.progress import UnknownPlan, quota_progress
from daotao.api.schemas import error_responses
from daotao.lib.dates import MAX_YEAR, MIN_YEAR

router = Router(tags=["admissions"])


class ProgressFiguresOut(Schema):
    planned_classes: int = Field(ge=0)
    planned_students: int = Field(ge=0)
    enrolled_classes: int = Field(ge=0, description="Classes opened under the plan for the line, not cancelled.")
    enrolled_students: int = Field(ge=0, description="Their counted students.")
    ratio: float | None = Field(description="Enrolled over planned students; null without a student quota.")
    met: bool = Field(
        description="Classes and students both reached (the yearly report's rule); a subtotal or the total only "
        "when each of its lines is met."
    )
    shortfall: int = Field(ge=0, description="Planned students not enrolled.")
    nominated: int = Field(ge=0, description="Admissions: every application of the line, whatever its status.")
    eligible: int = Field(ge=0, description="Admissions: applications that meet every standard, the admitted included.")
    admitted: int = Field(ge=0, description="Admissions: admitted by decision; not counted as enrolled.")
    nominations_short: bool = Field(description="Fewer nominated than the planned students.")


class ProgressRowOut(ProgressFiguresOut):
    locality: str
    locality_name: str
    program: str
    program_name: str
    funding: str


class LocalitySubtotalOut(Schema):
    locality: str
    locality_name: str
    subtotal: ProgressFiguresOut


class PlanOut(Schema):
    title: str
    status: str
    decision_number: str
    decision_date: dt.date | None


class QuotaProgressOut(Schema):
    year: int
    plan: PlanOut
    rows: list[ProgressRowOut] = Field(description="One per quota line, by locality, program and funding.")
    localities: list[LocalitySubtotalOut]
    total: ProgressFiguresOut
    localities_not_met: int = Field(ge=0, description="Localities with a quota line not met, as the yearly report.")


@router.get(
    "/quota-progress",
    response={200: QuotaProgressOut, **error_responses(400, 401, 403, 404, 422)},
    operation_id="quota_progress",
    summary="Quota progress",
)
def progress(request, year: int = Query(..., ge=MIN_YEAR, le=MAX_YEAR, description="Plan year.", example=2026)):
    """Each quota line of the year's plan: the classes and students enrolled under it (the
    yearly report's rule) and, beside them, the nominated, eligible and admitted
    candidates, with subtotals per locality and the total; a locality coordinator gets
    their locality's lines. A year without a plan answers 404."""
    try:
        return quota_progress(year, request.auth).as_dict()
    except UnknownPlan:
        raise HttpError(404, _("There is no annual plan for the year %(value)s.") % {"value": year}) from None
