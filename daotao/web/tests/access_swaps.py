"""ID swaps: a persona who may post to an address sends the body its form sends, with one
record id changed to a record outside what that persona (or that page) may change: another
locality's candidate or student, another class's grade, enrollment or lesson, a rule of
another program, another user's token. The post must be refused (``refusal``), and no row
anywhere may change.

Each swap is sent after its control: the same body with the ids left alone, which must do
what the address does (the ``Post`` of ``access_posts``, or ``base`` where the persona's
allowed post is on another record, e.g. a lecturer's grade in her class still open), so
that the refusal is the id's doing and not a broken body's.

Ids in a body that a form ignores by design (an agency naming another agency, a lecturer
naming another observer, a student of another class in the attendance list, an answer to a
question of another round) are posted in the allowed bodies themselves, and their
``effect`` checks that they were ignored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from daotao.accounts.models import ApiToken
from daotao.essays.models import Essay
from daotao.surveys.models import CareerEvent
from daotao.teaching.models import ClassOfficer, SteeringCommitteeMember, TeachingAssignment
from daotao.web.tests import access_bodies as bodies
from daotao.web.tests.access_posts import Post, writes

NOT_FOUND, FORBIDDEN, BAD, FORM, MESSAGE, JOB = "404", "403", "400", "form", "message", "job"


@dataclass(frozen=True)
class Swap:
    name: str  # the address (URL name)
    personas: tuple[str, ...]  # who tries it; each may post there
    what: str  # the record pointed at instead, in words
    change: Callable[[Any, str, dict, dict], None]  # (t, persona, body, kwargs): point them at it
    # 404, 403, 400, "form" (the form again, with errors), "message" (a redirect with an error
    # message), "job" (an import's job rejected the file: all or nothing)
    refusal: str
    base: Post | None = None  # the allowed post this one varies, if not the address's own


def body(**fields) -> Callable:
    """A change of body fields, each a function of the test."""

    def change(t, persona, data, kwargs):
        data.update({name: value(t) for name, value in fields.items()})

    change.fields = set(fields)  # a form's refusal must name one of them (or the whole form)
    return change


def url(**arguments) -> Callable:
    def change(t, persona, data, kwargs):
        kwargs.update({name: value(t) for name, value in arguments.items()})

    return change


def pk(attribute: str) -> Callable:
    return lambda t: str(getattr(t, attribute).pk)


def _unit_of(other: str) -> Callable:
    return lambda t: str(t.users[other].unit_id)


# A lecturer's grade in the open class she teaches (TCX01-2026-01, module I.1): the finished
# class's grades are the office's to correct.
OPEN_CELL = Post(
    body=lambda t, persona: {
        "enrollment": str(t.open_enrollment.pk),
        "assessment": str(t.open_assessment.pk),
        "attempt": "1",
        "value": "7,5",
    },
    answer="200",
    prepare=lambda t: {"cohort_id": t.open_cohort.pk, "module_id": t.open_module.pk},
    writes=writes("grading.Grade", "audit.AuditEntry"),
)


# The lecturer's sheet of that module in that class, as its page exports it, one cell changed.
OPEN_SHEET = Post(
    body=lambda t, persona: bodies.grade_sheet(
        t,
        persona,
        t.open_cohort,
        t.open_module,
        {t.open_enrollment.pk: {3 + bodies.column_of(t.open_module, t.open_assessment): "7,5"}},
    ),
    prepare=lambda t: {"cohort_id": t.open_cohort.pk, "module_id": t.open_module.pk},
    writes=writes("grading.Grade", "audit.AuditEntry"),
)


def _sheet_row(enrollment_attribute: str) -> Callable:
    """A row added to the sheet for a student outside it, named as the student is."""

    def change(t, persona, data, kwargs):
        enrollment = getattr(t, enrollment_attribute)
        cohort, module = (t.open_cohort, t.open_module) if "cohort_id" in kwargs else (t.cohort, t.module)
        data.update(
            bodies.grade_sheet(t, persona, cohort, module, {enrollment.pk: [enrollment.student.full_name, "5"]})
        )

    return change


def _nomination(**cells) -> Callable:
    def change(t, persona, data, kwargs):
        data.update(bodies.nominations_workbook(t, persona, **{name: value(t) for name, value in cells.items()}))

    return change


def _event_of(student: Callable) -> Callable:
    def change(t, persona, data, kwargs):
        data.update(bodies.events_workbook(t, persona, student(t).national_id))

    return change


def _her_essay_to_mark(t) -> dict:
    """The lecturer made the first grader of the student's essay (it is graded: marks may
    still be entered); the other grader stays who it was."""
    Essay.objects.filter(pk=t.essay.pk).update(first_grader=t.lecturer)
    return {"essay_id": t.essay.pk}


# A grader's own mark on the essay she grades.
ESSAY_MARK = Post(
    body=lambda t, persona: {"action": "grade", "grade-grader": str(t.lecturer.pk), "grade-score": "8,5"},
    prepare=_her_essay_to_mark,
    writes=writes("essays.Essay", "audit.AuditEntry"),
)


def _foreign_officer(t, persona, data, kwargs):
    kwargs["record_id"] = ClassOfficer.objects.create(enrollment=t.foreign_enrollment, role="group_leader").pk


def _foreign_member(t, persona, data, kwargs):
    kwargs["record_id"] = SteeringCommitteeMember.objects.create(
        cohort=t.other_cohort, side="locality", full_name="Thành Viên Lớp Khác", role="member"
    ).pk


def _foreign_assignment(t, persona, data, kwargs):
    kwargs["record_id"] = TeachingAssignment.objects.filter(cohort=t.other_cohort).first().pk


def _foreign_event(t, persona, data, kwargs):
    student = t.recordable["other_coordinator"]
    kwargs["event_id"] = CareerEvent.objects.create(
        student=student, kind="reward", date=t.cohort.closing_date, decision_number="02/QĐ-MATRAN"
    ).pk


def _someone_elses_token(t, persona, data, kwargs):
    kwargs["token_id"] = ApiToken.objects.filter(user=t.users["coordinator"]).first().pk


OFFICE = ("superuser", "office")

SWAPS: list[Swap] = [
    # grades
    Swap("grading:cell", OFFICE, "a student of another class", body(enrollment=pk("foreign_enrollment")), NOT_FOUND),
    Swap(
        "grading:cell", OFFICE, "an assessment of another program", body(assessment=pk("foreign_assessment")), NOT_FOUND
    ),
    Swap(
        "grading:cell",
        ("lecturer",),
        "a student of her other class",
        body(enrollment=pk("enrollment")),
        NOT_FOUND,
        OPEN_CELL,
    ),
    Swap(
        "grading:cell",
        ("lecturer",),
        "a student of a class she does not teach",
        body(enrollment=pk("foreign_enrollment")),
        NOT_FOUND,
        OPEN_CELL,
    ),
    Swap(
        "grading:cell",
        ("lecturer",),
        "an assessment of a module not hers",
        body(assessment=pk("unassigned_assessment")),
        NOT_FOUND,
        OPEN_CELL,
    ),
    Swap(
        "grading:cell",
        ("lecturer",),
        "the sheet of a module not hers",
        url(module_id=lambda t: t.unassigned_module.pk),
        NOT_FOUND,
        OPEN_CELL,
    ),
    Swap(
        "grading:cell",
        ("lecturer",),
        "a retake of an assessment that has none",
        body(attempt=lambda t: "2", assessment=pk("open_coursework")),
        BAD,
        OPEN_CELL,
    ),
    Swap("grading:decisions", OFFICE, "a decision of another class", body(decision=pk("foreign_decision")), FORM),
    # exams
    Swap("exams:cohort", OFFICE, "an assessment of another program", body(assessment=pk("foreign_assessment")), FORM),
    # admissions
    Swap("admissions:new", ("coordinator",), "another locality", body(locality=_unit_of("other_coordinator")), FORM),
    Swap("admissions:new", ("other_coordinator",), "another locality", body(locality=_unit_of("coordinator")), FORM),
    Swap("admissions:edit", ("coordinator",), "another locality", body(locality=_unit_of("other_coordinator")), FORM),
    Swap("admissions:exception", OFFICE, "a rule of another program", body(rule=pk("foreign_rule")), FORM),
    Swap(
        "admissions:placement",
        OFFICE,
        "a candidate for another program",
        body(applications=pk("foreign_admitted")),
        FORM,
    ),
    Swap("admissions:placement", OFFICE, "a candidate not admitted", body(applications=pk("application")), FORM),
    Swap("admissions:placement", OFFICE, "a class of another program", body(cohort=pk("other_cohort")), FORM),
    Swap("admissions:placement", OFFICE, "a class that has closed", body(cohort=pk("cohort")), FORM),
    # teaching
    Swap("teaching:cohort", OFFICE, "a module of another program", body(module=pk("foreign_module")), FORM),
    Swap("teaching:cohort", OFFICE, "a lecturer not teaching the class", body(lecturer=pk("other_lecturer")), FORM),
    Swap("teaching:lesson_edit", OFFICE, "a module of another program", body(module=pk("foreign_module")), FORM),
    Swap("teaching:observe", OFFICE, "the lesson's own lecturer as observer", body(observer=pk("lecturer")), FORM),
    Swap(
        "teaching:attendance",
        ("lecturer",),
        "a lesson of a class she does not teach",
        url(lesson_id=lambda t: t.foreign_lesson.pk),
        NOT_FOUND,
    ),
    Swap(
        "teaching:log",
        ("lecturer",),
        "a lesson of a class she does not teach",
        url(lesson_id=lambda t: t.foreign_lesson.pk),
        NOT_FOUND,
    ),
    Swap(
        "teaching:attendance",
        ("lecturer",),
        "a colleague's lesson in her class",
        url(lesson_id=lambda t: t.colleague_lesson.pk),
        FORBIDDEN,
    ),
    Swap(
        "teaching:log",
        ("lecturer",),
        "a colleague's lesson in her class",
        url(lesson_id=lambda t: t.colleague_lesson.pk),
        FORBIDDEN,
    ),
    Swap("teaching:officer_add", OFFICE, "a student of another class", body(enrollment=pk("foreign_enrollment")), FORM),
    Swap("teaching:assignment_add", OFFICE, "a module of another program", body(module=pk("foreign_module")), FORM),
    Swap("teaching:assignment_remove", OFFICE, "an assignment of another class", _foreign_assignment, NOT_FOUND),
    Swap("teaching:officer_remove", OFFICE, "an officer of another class", _foreign_officer, NOT_FOUND),
    Swap("teaching:committee_remove", OFFICE, "a member of another class's committee", _foreign_member, NOT_FOUND),
    # essays, career events, results packs, tokens
    Swap(
        "essays:detail",
        ("lecturer",),
        "the other grader's mark",
        body(**{"grade-grader": pk("second_grader")}),
        FORM,
        ESSAY_MARK,
    ),
    Swap(
        "essays:detail",
        ("lecturer",),
        "an essay she does not grade",
        url(essay_id=lambda t: t.other_essay.pk),
        FORBIDDEN,
        ESSAY_MARK,
    ),
    Swap("essays:issues", ("coordinator",), "another locality", body(locality=_unit_of("other_coordinator")), FORM),
    Swap("essays:issues", ("other_coordinator",), "another locality", body(locality=_unit_of("coordinator")), FORM),
    Swap(
        "surveys:outcome_add",
        ("coordinator",),
        "a student of another locality",
        body(national_id=lambda t: t.recordable["other_coordinator"].national_id),
        FORM,
    ),
    Swap(
        "surveys:outcome_add",
        ("other_coordinator",),
        "a student of another locality",
        body(national_id=lambda t: t.student.national_id),
        FORM,
    ),
    Swap(
        "surveys:outcome_add",
        ("agency",),
        "a student the agency did not send",
        body(national_id=lambda t: t.student.national_id),
        FORM,
    ),
    Swap(
        "surveys:outcome_delete", ("coordinator",), "an event of another locality's student", _foreign_event, NOT_FOUND
    ),
    Swap(
        "twoway:cohort",
        OFFICE,
        "a unit with no student in the class",
        body(unit=_unit_of("other_coordinator")),
        MESSAGE,
    ),
    Swap("api_token_revoke", ("office",), "another user's token", _someone_elses_token, NOT_FOUND),
    # imports: one row outside the scope, and the whole file is refused
    Swap(
        "admissions:import",
        ("coordinator",),
        "a candidate of another locality",
        _nomination(**{"Mã địa phương": lambda t: t.users["other_coordinator"].unit.code}),
        JOB,
    ),
    Swap(
        "admissions:import",
        ("other_coordinator",),
        "a candidate of another locality",
        _nomination(**{"Mã địa phương": lambda t: t.locality.code}),
        JOB,
    ),
    Swap(
        "admissions:import",
        ("agency",),
        "another agency's staff",
        _nomination(**{"Mã cơ quan": lambda t: t.other_agency.code}),
        JOB,
    ),
    Swap(
        "admissions:import",
        ("coordinator",),
        "the national ID of another locality's candidate",
        _nomination(
            nid=lambda t: t.foreign_application.national_id,
            born=lambda t: t.foreign_application.date_of_birth,
            gender=lambda t: t.foreign_application.gender,
        ),
        JOB,
    ),
    Swap(
        "surveys:outcome_import",
        ("coordinator",),
        "a student of another locality",
        _event_of(lambda t: t.recordable["other_coordinator"]),
        JOB,
    ),
    Swap(
        "surveys:outcome_import",
        ("other_coordinator",),
        "a student of another locality",
        _event_of(lambda t: t.student),
        JOB,
    ),
    Swap(
        "surveys:outcome_import", ("agency",), "a student the agency did not send", _event_of(lambda t: t.student), JOB
    ),
    Swap("grading:sheet_import", OFFICE, "a student of another class", _sheet_row("foreign_enrollment"), JOB),
    Swap(
        "grading:sheet_import", ("lecturer",), "a student of her other class", _sheet_row("enrollment"), JOB, OPEN_SHEET
    ),
    Swap(
        "grading:sheet_import",
        ("lecturer",),
        "a student of a class she does not teach",
        _sheet_row("foreign_enrollment"),
        JOB,
        OPEN_SHEET,
    ),
    Swap(
        "grading:sheet_import",
        ("lecturer",),
        "the sheet of a module not hers",
        url(module_id=lambda t: t.unassigned_module.pk),
        NOT_FOUND,
        OPEN_SHEET,
    ),
]
