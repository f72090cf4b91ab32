"""Schemathesis fuzzes the whole API, as /api/v1/openapi.json of a live server describes it.

Every operation is called over real HTTP (pytest-django's ``live_server``, on whichever
database the suite runs) with inputs drawn from its documented parameters: the document's
examples, the coverage phase's boundary values and wrong methods, and random inputs, valid
and invalid. Four callers take turns: the training office (sees everything), a locality
coordinator, a student, and nobody (no credentials; the fuzzer also makes some up).
Whatever the input and whoever asks, the answer is never a server error, has a status code
the document lists for the operation, and is JSON of the documented shape; every 4xx, even
one the document cannot list (405), is the ``Error`` shape with a Vietnamese sentence.

The world is small but real and matches the document's examples (the year 2020 and the 2026
plan, the unit H01, the programs BD-CV and BD-CVC, the student Trần Thị Ngọc Diệp), so the
examples return rows; path parameters are drawn from existing classes as well as at random.

The run is reproducible (a fixed seed) and bounded: ``MAX_EXAMPLES`` random inputs per
operation beside the examples and the coverage phase (see ``callers`` for who gets which).
Where a caller is refused at the door (a student on the staff operations, nobody anywhere)
the parameters never reach the view, so ``AT_THE_DOOR_EXAMPLES`` inputs suffice there. The
API has no links between operations (GET only): there is nothing for a stateful phase to
chain.

The runs go through schemathesis' engine (what ``schemathesis run`` drives) rather than its
pytest plugin, whose ``from_fixture`` loader breaks on pytest 9.2 (``Function._nodeid``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import schemathesis
from django.core.cache import cache
from hypothesis import strategies as st
from schemathesis.engine import Status, events

from daotao.accounts.models import ApiToken
from daotao.admissions.tests.world import AdmissionsTestCase, make_application
from daotao.cohorts.models import Cohort
from daotao.grading.models import Grade
from daotao.planning.models import AnnualPlan, Quota
from daotao.testing import TeachingWorldTestCase, enroll, make_cohort, make_student

MAX_EXAMPLES = 30
AT_THE_DOOR_EXAMPLES = 10
STAFF_TAGS = ["reports", "classes", "students", "admissions", "figures"]
EVERY_TAG = [*STAFF_TAGS, "grading"]
D = dt.date.fromisoformat


@schemathesis.check
def error_in_vietnamese_json(ctx, response, case):
    """Every 4xx answer is the ``Error`` shape with a Vietnamese sentence (one with a letter
    that English does not have): never Django's or ninja's bare English."""
    if not 400 <= response.status_code < 500 or case.method.upper() == "HEAD":
        return None
    content_type = response.headers.get("content-type", [""])[0]
    if not content_type.startswith("application/json"):
        raise AssertionError(f"A {response.status_code} answer that is not JSON: {response.text[:200]!r}")
    body = response.json()
    shaped = isinstance(body, dict) and isinstance(body.get("detail"), str) and isinstance(body.get("errors"), list)
    if not shaped:
        raise AssertionError(f"A {response.status_code} answer not in the Error shape: {body!r}")
    if body["detail"].isascii():
        raise AssertionError(f"A {response.status_code} answer not in Vietnamese: {body['detail']!r}")
    return None


CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
    "error_in_vietnamese_json",
]


def config(headers: dict[str, str], *, coverage: bool, refused_tags: list[str]) -> schemathesis.Config:
    at_the_door = {
        "include-tag": refused_tags,
        "phases": {"coverage": {"enabled": False}},
        "generation": {"max-examples": AT_THE_DOOR_EXAMPLES},
    }
    return schemathesis.Config.from_dict(
        {
            "seed": 20260307,
            # Django's test server answers a kept-alive connection after a delayed ACK
            # (40 ms a request): one connection per request is several times faster.
            "headers": headers | {"Connection": "close"},
            "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "database": "none"},
            "phases": {"coverage": {"enabled": coverage}, "stateful": {"enabled": False}},
            "checks": {"enabled": False} | {name: {"enabled": True} for name in CHECKS},
            "operations": [at_the_door] if refused_tags else [],
        }
    )


class FuzzWorld(TeachingWorldTestCase, AdmissionsTestCase):
    """The teaching world (TC01 and TC02 with modules, lecturers and the students ``hv1``
    and ``hv2``) and the admissions world (the 2026 plan with its quotas), plus grades,
    applications, and a year 2020 of fostering classes with its plan."""

    __test__ = False

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        test, exam = cls.m1.assessments.order_by("order")
        for enrollment, scores in zip(cls.enrollments, [("6", "9"), ("4", "2.5"), ("10", "8")], strict=False):
            for assessment, score in zip((test, exam), scores, strict=True):
                Grade.objects.create(enrollment=enrollment, assessment=assessment, score=Decimal(score))
        make_application(cls.tc, cls.h01)
        make_application(cls.tc, cls.h02, gender="female")
        cv, cvc = cls.programs["BD-CV"], cls.programs["BD-CVC"]
        plan = AnnualPlan.objects.create(year=2020, status="approved", decision_number="12-QĐ/TCT")
        Quota.objects.create(plan=plan, program=cv, locality=cls.h01, funding="supported", classes=2, students=90)
        Quota.objects.create(plan=plan, program=cvc, locality=cls.h02, funding="supported", classes=1, students=40)
        enroll(make_cohort("CV20-01", cv, cls.h01, D("2020-03-02"), D("2020-04-30")), 12)
        enroll(make_cohort("CV20-02", cv, cls.x01, D("2020-09-07")), 8)
        enroll(make_cohort("CVC19-01", cvc, cls.h02, D("2019-10-01"), D("2020-01-15"), plan_year=2019), 6)
        concentrated = make_cohort("CVC20-01", cvc, cls.school, D("2020-06-01"), D("2020-07-10"), mode="concentrated")
        enroll(concentrated, 5, locality=cls.h03)
        enroll(concentrated, 1, status="cancelled")
        diep = make_student("Trần Thị Ngọc Diệp", cls.h01, gender="female", date_of_birth=D("1987-11-02"))
        concentrated.enrollments.create(student=diep, status="completed")


@pytest.fixture
def world(transactional_db):
    # The report templates a migration installs: an earlier transactional test's flush
    # removed them (serialized_rollback would restore them, but clashes with content types
    # recreated after such a flush).
    from daotao.reports import builtin
    from daotao.reports.models import ReportLine, ReportTemplate

    if not ReportTemplate.objects.exists():
        builtin.install(ReportTemplate, ReportLine)
    FuzzWorld.setUpTestData()
    return FuzzWorld


def callers(world) -> dict[str, schemathesis.Config]:
    """Each caller's run. The coverage phase's boundary values and wrong methods go to the
    training office, whose view is widest; any staff member's malformed input is refused
    the same way before their scope applies, so the coordinator gets the examples and the
    random inputs, which are mostly well-formed and so reach the scoped queries."""

    def bearer(user):
        return {"Authorization": f"Bearer {ApiToken.issue(user, 'schemathesis')[1]}"}

    return {
        "training office": config(bearer(world.office), coverage=True, refused_tags=[]),
        "locality coordinator": config(bearer(world.coordinator), coverage=False, refused_tags=[]),
        "student": config(bearer(world.student_user), coverage=True, refused_tags=STAFF_TAGS),
        "nobody": config({}, coverage=False, refused_tags=EVERY_TAG),
    }


def load_schema(url: str, schema_config: schemathesis.Config):
    schema = schemathesis.openapi.from_url(url, config=schema_config)
    classes = Cohort.objects.order_by("code")
    existing = {
        "cohort_enrollments": {"code": list(classes.values_list("code", flat=True))},
        "cohort_results": {"cohort_id": list(classes.values_list("pk", flat=True))},
    }

    @schema.hook
    def before_generate_path_parameters(context, strategy):
        # Random codes and ids find no class: draw existing ones too.
        values = existing.get(context.operation.definition.raw.get("operationId"))
        if values is None:
            return strategy
        return st.one_of(strategy, st.fixed_dictionaries({name: st.sampled_from(v) for name, v in values.items()}))

    return schema


def problems(schema) -> list[str]:
    """What the engine found: each failed check with the request that reproduces it."""
    found = []
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished) and event.status in (Status.FAILURE, Status.ERROR):
            for checks in event.recorder.checks.values():
                for check in checks:
                    if check.failure_info is not None:
                        failure = check.failure_info.failure
                        found.append(f"{failure.title}: {failure.message}\n{check.failure_info.code_sample}")
        elif isinstance(event, events.NonFatalError):
            found.append(event.info.format())
        elif isinstance(event, events.FatalError):
            found.append(repr(event.exception))
    return found


@pytest.mark.django_db(transaction=True)
def test_every_operation_as_every_caller(live_server, world):
    # The public look-ups it sends are counted in the cache, which the live server commits
    # and no flush empties: the next test from this address would start past the limit.
    try:
        found = _every_operation(live_server, world)
    finally:
        cache.clear()
    if found:
        pytest.fail("\n\n".join(found), pytrace=False)


def _every_operation(live_server, world) -> list[str]:
    found = []
    for caller, caller_config in callers(world).items():
        schema = load_schema(f"{live_server.url}/api/v1/openapi.json", caller_config)
        found += [f"As {caller}: {problem}" for problem in problems(schema)]
    return found
