"""/api/v1/admissions/: the quota progress of a year's plan, as the page and its .xlsx
have it (``daotao.admissions.progress``), over what the caller may see."""

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
    quota_classes: int = Field(ge=0)
    quota_students: int = Field(ge=0)
    nominated: int = Field(ge=0, description="Every application of the line, whatever its status.")
    eligible: int = Field(ge=0, description="Applications that meet every standard, the admitted included.")
    admitted: int = Field(ge=0)
    ratio: float | None = Field(description="Admitted over quota students; null without a student quota.")
    not_met: bool = Field(description="Fewer admitted than the quota's students.")
    nominations_short: bool = Field(description="Fewer nominated than the quota's students.")
    shortfall: int = Field(ge=0, description="Quota students not yet admitted.")


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
    localities_not_met: int = Field(ge=0)


@router.get(
    "/quota-progress",
    response={200: QuotaProgressOut, **error_responses(400, 401, 403, 404, 422)},
    operation_id="quota_progress",
    summary="Quota progress",
)
def progress(request, year: int = Query(..., ge=MIN_YEAR, le=MAX_YEAR, description="Plan year.", example=2026)):
    """Each quota line of the year's plan against the nominated, eligible and admitted
    candidates, with subtotals per locality and the total; a locality coordinator gets
    their locality's lines. A year without a plan answers 404."""
    try:
        return quota_progress(year, request.auth).as_dict()
    except UnknownPlan:
        raise HttpError(404, _("There is no annual plan for the year %(value)s.") % {"value": year}) from None
