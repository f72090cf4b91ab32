"""Request and response shapes of the API, so that /api/v1/openapi.json tells the truth.

Query parameters are checked here for their form (type, length, allowed values); what they
mean (does this program exist, is the period the right way round) is checked by the
reports engine, which raises ``ReportInputError``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import Field, StringConstraints, field_validator

from daotao.cohorts.models import EnrollmentStatus, Funding, Mode
from daotao.lib.vietnamese import parse_date
from daotao.people.models import Gender
from daotao.programs.models import ProgramKind, ReportCategory
from daotao.reports import engine

# PostgreSQL refuses NUL characters in text: refuse them before any query.
NO_NUL = r"^[^\x00]*$"
# yyyy-mm-dd or dd/mm/yyyy (also d/m/yyyy); whether the day exists is checked on parsing.
_DAY, _MONTH, _YEAR = r"(0?[1-9]|[12][0-9]|3[01])", r"(0?[1-9]|1[0-2])", r"[1-9][0-9]{3}"
DATE_PATTERN = rf"^({_YEAR}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])|{_DAY}/{_MONTH}/{_YEAR})$"

MAX_PROGRAMS = 20
STUDENT_PAGE_MAX = 200

# A credential's register (``grading.models.Credential.register``).
REGISTER = (
    "The register the numbers are in: empty for the school's own, else the name of the register of a school "
    "merged into this one, which keeps its numbers as printed."
)

Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32, pattern=NO_NUL)]


def _example(value):
    """A parameter's example. (Ninja copies a schema's ``examples`` list to the parameter,
    where OpenAPI wants a map, so the single ``example`` is used.)"""
    return {"example": value}


def _optional(description: str, example=None):
    """An optional filter: absent means "no filter". Its ``default: null`` stays out of the
    OpenAPI document, since a query string cannot carry a null."""

    def schema_extra(schema: dict) -> None:
        schema.pop("default", None)
        if example is not None:
            schema["example"] = example

    return Field(None, description=description, json_schema_extra=schema_extra)


def _day(field: str, text: str) -> dt.date:
    try:
        return parse_date(text)
    except ValueError:
        raise engine.ReportInputError(field, _("There is no such day: %(value)s.") % {"value": text}) from None


# --- errors -----------------------------------------------------------------------


class FieldError(Schema):
    field: str = Field(description="The parameter at fault, e.g. `from`.")
    message: str


class Error(Schema):
    """Every 4xx answer: a sentence for people and, for bad input, one entry per parameter."""

    detail: str
    errors: list[FieldError] = Field(description="Empty unless a parameter is at fault.")


def error_responses(*codes: int) -> dict[int, type[Error]]:
    return dict.fromkeys(codes, Error)


# --- shared pieces ----------------------------------------------------------------


class UnitRef(Schema):
    code: str
    name: str


class StudentOut(Schema):
    """A student. Personal data is in full only for a caller who needs it (the training
    office; a locality or sending agency for the students who came from it); for others it
    is masked (``personal_data_masked``), as on the pages."""

    national_id: str = Field(
        description="The 12 digits in full; masked to the last four (`••••••••1234`) when "
        "`personal_data_masked` is true."
    )
    full_name: str
    date_of_birth: dt.date | None = Field(
        description="Null when unknown, and when `personal_data_masked` is true (the year stays in `year_of_birth`)."
    )
    year_of_birth: int | None = Field(description="The year of the date of birth, for every caller; null when unknown.")
    gender: Literal[(*Gender.values, "")]
    locality: UnitRef | None
    personal_data_masked: bool = Field(
        description="True when this caller may not see the student's personal data: the national ID is masked and "
        "the date of birth withheld."
    )


def unit_ref(unit) -> dict | None:
    return {"code": unit.code, "name": unit.name} if unit is not None else None


def student_out(student, access) -> dict:
    """``student`` as ``access`` (``privacy.personal_data_access(caller)``) may see it."""
    shown = access.shown(student)
    return {
        "national_id": shown.national_id,
        "full_name": student.full_name,
        "date_of_birth": shown.date_of_birth,
        "year_of_birth": shown.birth_year,
        "gender": student.gender,
        "locality": unit_ref(student.locality),
        "personal_data_masked": shown.masked,
    }


# --- a period: GET /reports/cohort-stats, GET /figures --------------------------------


class PeriodQuery(Schema):
    from_: str = Field(
        alias="from",
        pattern=DATE_PATTERN,
        description="First day of the period: yyyy-mm-dd or dd/mm/yyyy.",
        json_schema_extra=_example("2020-01-01"),
    )
    to: str = Field(
        pattern=DATE_PATTERN,
        description="Last day of the period (included): yyyy-mm-dd or dd/mm/yyyy.",
        json_schema_extra=_example("2020-12-31"),
    )

    def days(self) -> tuple[dt.date, dt.date]:
        """The first and last day; ReportInputError names a day that does not exist."""
        return _day("from", self.from_), _day("to", self.to)


# --- GET /reports/cohort-stats ----------------------------------------------------


class CohortStatsQuery(PeriodQuery):
    relation: Literal[engine.RELATIONS] = Field(
        description="How a class relates to the period: opened in it, carried over into it, running in it "
        "(opened + carried over), closed in it, or carried over into it and still running at its end "
        "(carried_over_running)."
    )
    program: list[Code] = Field(
        default_factory=list,
        max_length=MAX_PROGRAMS,
        description="Program codes: repeat the parameter (`?program=BD-CV&program=BD-CVC`) or separate them "
        "with commas.",
        json_schema_extra=_example(["BD-CV", "BD-CVC"]),
    )
    category: Literal[tuple(ReportCategory.values)] = _optional("Program category.")
    kind: Literal[tuple(ProgramKind.values)] = _optional(
        "Kind of program: training (a diploma) or fostering (a certificate)."
    )
    mode: Literal[tuple(Mode.values)] = _optional("Mode of study.")
    funding: Literal[tuple(Funding.values)] = _optional("Funding of the training costs.")
    locality: Code = _optional("Unit code: classes held in that unit or any unit below it.", example="H01")
    units: Literal[tuple(engine.UNIT_VIEWS)] = Field(
        default=engine.UNITS_TODAY,
        description="How a locality reads history: `today` (by today's units: also the classes held in the "
        "units it took over in a reorganisation) or `then` (as units were then: the host locality recorded).",
    )

    @field_validator("program", mode="before")
    @classmethod
    def _split_commas(cls, value):
        """``?program=BD-CV,BD-CVC`` is two codes: split before each code's length and the
        number of codes are checked (a comma list of five codes is not one long code)."""
        values = value if isinstance(value, list | tuple) else [value]
        codes = []
        for item in map(str, values):
            # An empty value stays one (refused); a trailing comma adds no code.
            codes += [code for code in item.split(",") if code.strip()] if "," in item else [item]
        return codes

    def count_spec(self) -> engine.CountSpec:
        """The engine's question; ReportInputError names the parameter that makes no sense."""
        period = engine.Period(*self.days())
        cohort_filter = engine.CohortFilter(
            programs=engine.parse_program_codes(self.program),
            category=self.category or "",
            kind=self.kind or "",
            mode=self.mode or "",
            funding=self.funding or "",
            locality=(self.locality or "").upper(),
            units=self.units,
        )
        return engine.CountSpec(period, self.relation, cohort_filter)


class CountsOut(Schema):
    classes: int = Field(ge=0)
    students: int = Field(ge=0)


# --- GET /reports/annual ----------------------------------------------------------


class FilterOut(Schema):
    programs: list[str]
    category: str | None
    kind: str | None
    mode: str | None
    funding: str | None
    locality: str | None
    units: Literal[tuple(engine.UNIT_VIEWS)] = Field(
        default=engine.UNITS_TODAY, description="How the locality reads history: by today's units or as they were then."
    )


class LineOut(Schema):
    key: str
    label: str
    level: int
    relation: Literal[engine.RELATIONS]
    filter: FilterOut
    classes: int
    students: int | None = Field(description="Null where the template does not show students for this line.")
    classes_text: str = Field(description="As official reports write it: `07`, `1.040`.")
    students_text: str | None


class QuotaFiguresOut(Schema):
    planned_classes: int
    planned_students: int
    enrolled_classes: int = Field(description="Classes opened under the plan for this line, not cancelled.")
    enrolled_students: int = Field(description="Their counted students.")
    ratio: float | None = Field(description="Enrolled over planned students; null without a student quota.")
    met: bool = Field(description="Classes and students both reached; a total only when each of its lines is met.")


class QuotaOut(QuotaFiguresOut):
    """A quota line: locality × program × funding."""

    locality: str
    locality_name: str
    program: str
    program_name: str
    funding: str


class QuotaTotalOut(QuotaFiguresOut):
    """A locality × program total: the sum of its funding lines."""

    locality: str
    locality_name: str
    program: str
    program_name: str


class PeriodOut(Schema):
    from_: dt.date = Field(alias="from")
    to: dt.date
    name: str = Field(
        description="The period as reports name it: `năm 2020`, `quý II năm 2026`, `tháng 3 và 4 năm 2026`."
    )


class UnitsViewOut(Schema):
    view: str = Field(description="`today` (by today's units) or `then` (as units were then).")
    text: str = Field(description="The line the report prints about it.")


class AnnualReportOut(Schema):
    year: int
    template: str
    title: str
    period: PeriodOut
    units: UnitsViewOut
    summary: str
    lines: list[LineOut]
    quota: list[QuotaOut] = Field(description="One per quota line, by locality, program and funding.")
    quota_totals: list[QuotaTotalOut] = Field(description="One per locality and program.")


# --- GET /cohorts/{code}/enrollments ----------------------------------------------


class CohortOut(Schema):
    code: str
    name: str
    program: str
    host_locality: UnitRef
    opening_date: dt.date
    closing_date: dt.date | None


class EnrollmentOut(StudentOut):
    status: Literal[tuple(EnrollmentStatus.values)]


class ClassListOut(Schema):
    cohort: CohortOut
    items: list[EnrollmentOut] = Field(description="In Vietnamese class-list order (given name first).")


# --- GET /students ----------------------------------------------------------------


class StudentPageOut(Schema):
    total: int = Field(ge=0, description="Students matching the search, over all pages.")
    limit: int
    offset: int
    items: list[StudentOut] = Field(
        description="In Vietnamese class-list order (given name first); searched by name, the whole name typed "
        "first, then the given name typed, then the others."
    )
