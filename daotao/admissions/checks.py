"""The checks of an application: its dossier against the program's checklist, the
candidate against the program's eligibility rules, and whether they already hold or are
studying the program. Each rule gives an outcome and its reason in words.

``refresh(applications)`` evaluates any number of applications in a fixed number of
queries and stores the outcome on each (``status``, ``checks``, ``missing_documents``,
``flags``); lists and the quota page count those stored columns.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from daotao.admissions.models import (
    PARTY_RANK,
    Application,
    ApplicationDocument,
    CivilServiceGrade,
    Decision,
    EducationLevel,
    EligibilityRule,
    PartyStatus,
    PositionCategory,
    ProgramDocument,
    Rating,
    RuleException,
    RuleKind,
    Status,
)
from daotao.cohorts.models import COUNTED_COHORT_STATUSES, Enrollment, EnrollmentStatus
from daotao.lib.batches import BATCH, chunks
from daotao.lib.vietnamese import format_date
from daotao.planning.models import AnnualPlan

PASSED, FAILED, MISSING, WAIVED, NOT_APPLICABLE = "passed", "failed", "missing", "waived", "not_applicable"
# Outcomes that stand in the way of admission.
BLOCKING = (FAILED, MISSING)

UPDATE_FIELDS = ["status", "checks", "missing_documents", "flags"]


class RuleResult:
    """A rule's outcome for one application, and its reason in words. The reason is put in
    words only when it is read: storing the outcomes of thousands of applications (an
    import, ``refresh``) needs the outcome alone."""

    __slots__ = ("_reason", "outcome", "rule")

    def __init__(self, rule: EligibilityRule, outcome: str, reason: str | Callable[[], str]):
        self.rule, self.outcome, self._reason = rule, outcome, reason

    @property
    def reason(self) -> str:
        if callable(self._reason):
            self._reason = self._reason()
        return self._reason

    @property
    def blocking(self) -> bool:
        return self.outcome in BLOCKING

    def __repr__(self) -> str:
        return f"RuleResult({self.rule!r}, {self.outcome!r}, {self.reason!r})"


# A rule's check gives its outcome and a function that puts the reason in words.
Check = tuple[str, Callable[[], str]]


def _label(choices, value) -> str:
    return str(dict(choices.choices).get(value, value))


def _age(application: Application, rule: EligibilityRule) -> Check:
    if application.date_of_birth is None or not application.gender:
        return MISSING, lambda: _("The date of birth or gender is missing.")
    day = rule.reference_date or dt.date(application.plan.year, 1, 1)
    age = application.age_on(day)
    female = application.gender == "female"
    low = rule.min_age_female if female else rule.min_age_male
    high = rule.max_age_female if female else rule.max_age_male

    def reason(message: Callable[[], str]) -> Callable[[], str]:
        def words() -> str:
            who = _("women") if female else _("men")
            return message() % {"age": age, "date": format_date(day), "who": who, "low": low, "high": high}

        return words

    if low is not None and age < low:
        return FAILED, reason(lambda: _("Aged %(age)s on %(date)s; %(who)s must be at least %(low)s."))
    if high is not None and age > high:
        return FAILED, reason(lambda: _("Aged %(age)s on %(date)s; %(who)s may be at most %(high)s."))
    return PASSED, reason(lambda: _("Aged %(age)s on %(date)s."))


def _party(application: Application, rule: EligibilityRule) -> Check:
    def required() -> str:
        return _label(PartyStatus, rule.party_status).lower()

    if application.party_status == PartyStatus.NONE:
        return (
            FAILED,
            lambda: _("Not a Party member; the program requires at least: %(required)s.") % {"required": required()},
        )

    def held() -> str:
        joined = (
            _(" since %(date)s") % {"date": format_date(application.party_joined_on)}
            if application.party_joined_on
            else ""
        )
        return _label(PartyStatus, application.party_status) + joined

    if PARTY_RANK[application.party_status] < PARTY_RANK[rule.party_status]:
        return (
            FAILED,
            lambda: (
                _("%(held)s; the program requires at least: %(required)s.") % {"held": held(), "required": required()}
            ),
        )
    return PASSED, lambda: held() + "."


def _education(application: Application, rule: EligibilityRule) -> Check:
    if application.education_level is None:
        return MISSING, lambda: _("The education level is missing.")
    minimum = rule.education_min
    minority = application.is_ethnic_minority and rule.minority_education_min is not None
    if minority:
        minimum = rule.minority_education_min

    def reason(message: Callable[[], str]) -> Callable[[], str]:
        def words() -> str:
            return message() % {
                "held": _label(EducationLevel, application.education_level),
                "minimum": _label(EducationLevel, minimum).lower(),
                "exception": _(" (the minimum for ethnic-minority cadres)") if minority else "",
            }

        return words

    if application.education_level < minimum:
        return FAILED, reason(lambda: _("%(held)s; at least %(minimum)s is required%(exception)s."))
    return PASSED, reason(lambda: _("%(held)s; at least %(minimum)s%(exception)s."))


def _performance(application: Application, rule: EligibilityRule) -> Check:
    year = application.plan.year
    ratings = [(year - 1, application.rating_last_year), (year - 2, application.rating_year_before)][
        : rule.rating_years
    ]
    missing = [str(y) for y, rating in ratings if rating is None]
    if missing:
        return MISSING, lambda: _("The rating for %(years)s is missing.") % {"years": ", ".join(missing)}

    def shown() -> str:
        return "; ".join(f"{y}: {_label(Rating, rating).lower()}" for y, rating in ratings)

    if any(rating < rule.rating_min for _y, rating in ratings):
        return (
            FAILED,
            lambda: (
                _("%(ratings)s; each year must be at least: %(minimum)s.")
                % {"ratings": shown(), "minimum": _label(Rating, rule.rating_min).lower()}
            ),
        )
    return PASSED, lambda: shown() + "."


def _position(application: Application, rule: EligibilityRule, positions: set[int]) -> Check:
    if application.position_category_id in positions:
        return PASSED, lambda: _("Holds the position: %(position)s.") % {"position": application.position_category}
    if rule.accept_planning_pool and application.in_planning_pool and application.planned_position_id in positions:
        return PASSED, lambda: _("In the planning pool for: %(position)s.") % {"position": application.planned_position}
    if application.position_category_id is None and not application.in_planning_pool:
        return MISSING, lambda: _("The position category is missing.")
    if rule.accept_planning_pool:
        return FAILED, lambda: _("Neither holds nor is in the planning pool for a position the program lists.")
    return FAILED, lambda: _("Does not hold a position the program lists.")


def _planning_pool(application: Application, rule: EligibilityRule) -> Check:
    if application.in_planning_pool:
        if application.planned_position_id:
            return (
                PASSED,
                lambda: _("In the planning pool for: %(position)s.") % {"position": application.planned_position},
            )
        return PASSED, lambda: _("In the cadre planning pool.")
    return FAILED, lambda: _("Not in the cadre planning pool.")


def _grade(application: Application, rule: EligibilityRule) -> Check:
    def accepted() -> str:
        return ", ".join(_label(CivilServiceGrade, code) for code in rule.grades)

    if application.grade in rule.grades:
        return PASSED, lambda: _label(CivilServiceGrade, application.grade) + "."
    if not application.grade:
        return FAILED, lambda: _("Holds no civil-service grade; required: %(accepted)s.") % {"accepted": accepted()}
    return (
        FAILED,
        lambda: (
            _("Holds %(grade)s; required: %(accepted)s.")
            % {"grade": _label(CivilServiceGrade, application.grade), "accepted": accepted()}
        ),
    )


_CHECKS = {
    RuleKind.AGE: _age,
    RuleKind.PARTY: _party,
    RuleKind.EDUCATION: _education,
    RuleKind.PERFORMANCE: _performance,
    RuleKind.PLANNING_POOL: _planning_pool,
    RuleKind.GRADE: _grade,
}


def evaluate_rule(
    application: Application, rule: EligibilityRule, positions: set[int], exception: RuleException | None = None
) -> RuleResult:
    if rule.mode and application.mode != rule.mode:
        return RuleResult(
            rule, NOT_APPLICABLE, lambda: _("Applies only to: %(mode)s.") % {"mode": rule.get_mode_display()}
        )
    if rule.kind == RuleKind.POSITION:
        outcome, reason = _position(application, rule, positions)
    else:
        outcome, reason = _CHECKS[rule.kind](application, rule)
    if outcome in BLOCKING and exception is not None:
        waiver = _("Exception allowed by %(who)s on %(date)s") % {
            "who": exception.decided_by,
            "date": format_date(exception.decided_on),
        }
        if exception.decision_number:
            waiver += _(" (decision %(number)s)") % {"number": exception.decision_number}
        return RuleResult(rule, WAIVED, f"{reason()} {waiver}.")
    return RuleResult(rule, outcome, reason)


@dataclass
class Context:
    """What the checks of a batch of applications read, loaded once."""

    rules: dict[int, list[EligibilityRule]]  # program id -> active rules
    positions: dict[int, set[int]]  # rule id -> position category ids
    documents: dict[int, list[ProgramDocument]]  # program id -> checklist
    received: dict[int, set[int]]  # application id -> document type ids received
    exceptions: dict[tuple[int, int], RuleException]  # (application id, rule id)
    # (national ID, program id) -> [(enrollment status, class code, id of the application placed from)]
    holds: dict[tuple[str, int], list[tuple[str, str, int | None]]]

    @classmethod
    def load(cls, applications: list[Application]) -> Context:
        programs = {a.program_id for a in applications}
        saved = [a.pk for a in applications if a.pk]
        _attach(applications, "plan", AnnualPlan)
        _attach(applications, "position_category", PositionCategory)
        _attach(applications, "planned_position", PositionCategory)
        rules: dict[int, list[EligibilityRule]] = defaultdict(list)
        for rule in EligibilityRule.objects.filter(program_id__in=programs, is_active=True).order_by("order", "id"):
            rules[rule.program_id].append(rule)
        positions: dict[int, set[int]] = defaultdict(set)
        through = EligibilityRule.positions.through.objects.filter(eligibilityrule__program_id__in=programs)
        for rule_id, category_id in through.values_list("eligibilityrule_id", "positioncategory_id"):
            positions[rule_id].add(category_id)
        documents: dict[int, list[ProgramDocument]] = defaultdict(list)
        for item in ProgramDocument.objects.filter(program_id__in=programs).select_related("document_type"):
            documents[item.program_id].append(item)
        received: dict[int, set[int]] = defaultdict(set)
        exceptions: dict[tuple[int, int], RuleException] = {}
        for chunk in chunks(saved):
            docs = ApplicationDocument.objects.filter(application_id__in=chunk, received=True)
            for application_id, type_id in docs.values_list("application_id", "document_type_id"):
                received[application_id].add(type_id)
            for exception in RuleException.objects.filter(application_id__in=chunk):
                exceptions[exception.application_id, exception.rule_id] = exception
        holds: dict[tuple[str, int], list[tuple[str, str, int | None]]] = defaultdict(list)
        national_ids = sorted({a.national_id for a in applications})
        for chunk in chunks(national_ids):
            enrollments = Enrollment.objects.filter(
                student__national_id__in=chunk,
                cohort__program_id__in=programs,
                cohort__status__in=COUNTED_COHORT_STATUSES,
                status__in=(EnrollmentStatus.STUDYING, EnrollmentStatus.COMPLETED),
            ).values_list("student__national_id", "cohort__program_id", "status", "cohort__code", "application")
            for national_id, program_id, status, code, from_application in enrollments:
                holds[national_id, program_id].append((status, code, from_application))
        return cls(rules, positions, documents, received, exceptions, holds)

    def results(self, application: Application) -> list[RuleResult]:
        return [
            evaluate_rule(
                application,
                rule,
                self.positions.get(rule.pk, set()),
                self.exceptions.get((application.pk, rule.pk)),
            )
            for rule in self.rules.get(application.program_id, [])
        ]

    def missing(self, application: Application) -> list[ProgramDocument]:
        got = self.received.get(application.pk, set())
        return [
            d for d in self.documents.get(application.program_id, []) if d.required and d.document_type_id not in got
        ]

    def flags(self, application: Application) -> list[dict]:
        """Enrollments in the same program: studying it now, or already completed it
        (placements made from this very application do not count)."""
        return [
            {"status": status, "cohort": code}
            for status, code, from_application in self.holds.get((application.national_id, application.program_id), [])
            if not application.pk or from_application != application.pk
        ]


def _attach(applications: list[Application], name: str, model) -> None:
    """Load the ``name`` foreign key of every application that has not loaded it yet, in
    one query, so that the reasons of the rules do not query once per application."""
    descriptor = getattr(Application, name)
    attname = descriptor.field.attname
    wanted = {getattr(a, attname) for a in applications if not descriptor.is_cached(a)} - {None}
    loaded = model.objects.in_bulk(list(wanted)) if wanted else {}
    for application in applications:
        key = getattr(application, attname)
        if key in loaded:
            setattr(application, name, loaded[key])


def status_of(application: Application, results: list[RuleResult], missing: list) -> str:
    if application.decision == Decision.ADMITTED:
        return Status.ADMITTED
    if application.decision == Decision.REJECTED:
        return Status.REJECTED
    if any(r.outcome == FAILED for r in results):
        return Status.INELIGIBLE
    if missing or any(r.outcome == MISSING for r in results):
        return Status.INCOMPLETE
    return Status.ELIGIBLE


def apply(application: Application, context: Context) -> None:
    """Store the outcome of the checks on ``application`` (not saved)."""
    results = context.results(application)
    missing = context.missing(application)
    application.checks = [{"rule": r.rule.pk, "outcome": r.outcome} for r in results]
    application.missing_documents = [d.document_type.code for d in missing]
    application.flags = context.flags(application)
    application.status = status_of(application, results, missing)


def refresh(applications: Iterable[Application]) -> None:
    """Check and save the stored outcome of saved applications, in bulk."""
    applications = list(applications)
    if not applications:
        return
    context = Context.load(applications)
    for application in applications:
        apply(application, context)
    Application.objects.bulk_update(applications, UPDATE_FIELDS, batch_size=BATCH)


def refresh_program(program_id: int) -> None:
    """After the rules or the checklist of a program changed: re-check its open applications."""
    pending = Application.objects.filter(program_id=program_id, decision=Decision.PENDING).select_related("plan")
    refresh(pending)
