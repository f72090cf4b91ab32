"""/api/v1/reports/: the counting engine and the yearly report, as the pages and commands
have them."""

from __future__ import annotations

from typing import Literal

from ninja import Query, Router

from daotao.api.schemas import NO_NUL, AnnualReportOut, CohortStatsQuery, CountsOut, error_responses
from daotao.lib.dates import MAX_YEAR, MIN_YEAR
from daotao.reports import engine
from daotao.reports.annual import BUILTIN_TEMPLATE, annual_report

router = Router(tags=["reports"])


@router.get(
    "/cohort-stats",
    response={200: CountsOut, **error_responses(400, 401, 403, 422)},
    operation_id="cohort_stats",
    summary="Count classes and students",
)
def cohort_stats(request, params: Query[CohortStatsQuery]):
    """Classes and their students in one relation to a period, over the classes the user
    may see, counted by the reports engine (the same count as the pages and commands)."""
    return engine.count(params.count_spec(), request.auth).as_dict()


@router.get(
    "/annual",
    response={200: AnnualReportOut, **error_responses(400, 401, 403, 422)},
    operation_id="annual_report",
    summary="Yearly report",
    by_alias=True,
)
def annual(
    request,
    year: int = Query(..., ge=MIN_YEAR, le=MAX_YEAR, description="Calendar year.", example=2020),
    template: str = Query(
        BUILTIN_TEMPLATE, min_length=1, max_length=64, pattern=NO_NUL, description="Report template code."
    ),
    units: Literal[tuple(engine.UNIT_VIEWS)] = Query(
        engine.UNITS_TODAY,
        description="How classes held in reorganised units count: `today` (by today's units, history mapped to "
        "successors) or `then` (as units were then).",
    ),
):
    """A report template's lines counted for the calendar year, with its summary paragraph
    and the quota table, over the classes the user may see."""
    return annual_report(year, request.auth, template, units).as_dict()
