"""/api/v1/figures: the school's signed figures package of a period, as ``export_figures``
writes it (docs/figures-format.md), for school-wide staff (the training office, the board).

The file is answered as it was signed, byte for byte what ``export_figures`` would write;
the schemas below describe it for the OpenAPI document (``docs/figures-format.schema.json``
is the format's own schema: the tests hold the two to the same fields)."""

from __future__ import annotations

from typing import Literal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import ConfigDict, Field

from daotao.accounts.access import is_school_wide
from daotao.api.schemas import PeriodQuery, error_responses
from daotao.cohorts.models import Funding, Mode
from daotao.national.package import FORMAT
from daotao.national.signing import FiguresError, figures_file, file_bytes
from daotao.org.models import UnitKind
from daotao.programs.models import ProgramKind, ReportCategory
from daotao.reports import engine
from daotao.surveys.models import CareerEventKind

router = Router(tags=["figures"])


class _Closed(Schema):
    model_config = ConfigDict(extra="forbid")


class FiguresSchoolOut(_Closed):
    name: str
    province: str
    key_id: str = Field(description="The id of the key that signs the package (16 hexadecimal digits).")


class FiguresPeriodOut(_Closed):
    from_: str = Field(alias="from", description="First day (ISO).")
    to: str = Field(description="Last day, included (ISO).")


class FiguresProgramOut(_Closed):
    code: str
    name: str
    kind: Literal[tuple(ProgramKind.values)]
    category: Literal[tuple(ReportCategory.values)]


class FiguresLocalityOut(_Closed):
    code: str
    name: str
    kind: Literal[tuple(UnitKind.values)]
    parent: str | None = Field(description="The code of the unit above it, null for the top of the tree.")


class FiguresLineOut(_Closed):
    relation: Literal[engine.RELATIONS]
    program: str
    mode: Literal[tuple(Mode.values)] | None = Field(description="Null: every mode.")
    funding: Literal[tuple(Funding.values)] | None = Field(description="Null: every funding.")
    locality: str | None = Field(description="A unit code: the classes held in it or below it; null: everywhere.")
    classes: int = Field(ge=1)
    students: int = Field(ge=0)


class FiguresQuotaLineOut(_Closed):
    locality: str
    locality_name: str
    program: str
    funding: Literal[tuple(Funding.values)]
    planned: int = Field(ge=0, description="Planned students.")
    achieved: int = Field(ge=0, description="Students enrolled, as the quota table counts them.")


class FiguresQuotaOut(_Closed):
    year: int
    planned: int = Field(ge=0)
    achieved: int = Field(ge=0)
    lines: list[FiguresQuotaLineOut]


class FiguresBandOut(_Closed):
    band: str
    label: str
    count: int = Field(ge=1)


class FiguresGraduationOut(_Closed):
    program: str
    graduates: int = Field(ge=0)
    bands: list[FiguresBandOut]


class FiguresEvaluationOut(_Closed):
    year: int
    classes: int = Field(ge=0)
    evaluated: int = Field(ge=0, description="Classes evaluated on the programme, lecturers, facilities, organisation.")
    evaluated_learners: int = Field(ge=0)
    evaluated_after: int = Field(ge=0)


class FiguresCareersOut(_Closed):
    kind: Literal[tuple(CareerEventKind.values)]
    label: str
    count: int = Field(ge=0)


class FiguresPackageOut(_Closed):
    format: Literal[FORMAT]
    school: FiguresSchoolOut
    period: FiguresPeriodOut
    created_at: str = Field(description="When the package was made: ISO date-time in UTC.")
    programs: list[FiguresProgramOut]
    localities: list[FiguresLocalityOut]
    lines: list[FiguresLineOut]
    quota: list[FiguresQuotaOut]
    graduation: list[FiguresGraduationOut]
    evaluation: list[FiguresEvaluationOut]
    careers: list[FiguresCareersOut]


class FiguresSignatureOut(_Closed):
    algorithm: Literal["Ed25519"]
    key_id: str
    value: str = Field(description="Base64 of the 64-byte signature of the package's canonical JSON.")


class FiguresFileOut(_Closed):
    package: FiguresPackageOut
    signature: FiguresSignatureOut


@router.get(
    "",
    response={200: FiguresFileOut, **error_responses(400, 401, 403, 422, 503)},
    operation_id="figures",
    summary="The school's figures package",
    by_alias=True,
)
def figures(request, params: Query[PeriodQuery]):
    """The school's counted figures of the period for the national Academy, signed with the
    school's key (docs/figures-format.md): for the training office and the school board,
    who see every class."""
    if not is_school_wide(request.auth):
        raise HttpError(403, _("Only the training office and the school board may take the school's figures."))
    start, end = params.days()
    try:
        document = figures_file(start, end)
    except FiguresError:
        raise HttpError(
            503, _("The school's figures key is not set up: the administrator makes it with manage.py figures_key.")
        ) from None
    return HttpResponse(file_bytes(document), content_type="application/json; charset=utf-8")
