"""Career outcomes of graduates: recording a cadre's later appointments, rotations,
promotions, rewards and disciplines, and the report of how many graduates of a program and
year were appointed, promoted or rewarded within 12 and within 24 months.

Who may record: the training office for anyone, a sending agency for its own staff, a
locality coordinator for the students of its locality (and the units below it). The school
board reads only. Every event created or deleted is audited.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Min, Q
from django.utils.translation import gettext as _

from daotao.accounts.scope import scope_of
from daotao.audit.models import record, snapshot
from daotao.cohorts.access import recordable_students
from daotao.grading.models import Credential, CredentialKind, CredentialStatus, GraduationEntry
from daotao.lib.dates import add_months
from daotao.people.models import Student
from daotao.programs.models import Program, ProgramKind
from daotao.surveys.models import ADVANCEMENT_KINDS, CareerEvent

EVENT_FIELDS = ["student", "kind", "date", "decision_number", "description"]
WINDOWS = (12, 24)  # months after graduating that the report looks at


# --- who may record (the office, a coordinator or an agency: ``cohorts.access``) ----------


def _check_may_record(user, student_id: int) -> None:
    if not recordable_students(user).filter(pk=student_id).exists():
        raise PermissionDenied(_("You may not record career events of this student."))


# --- services ---------------------------------------------------------------------------


def career_event_record(*, user, student, kind, date, decision_number, description="") -> CareerEvent:
    """Record one career event of ``student``; PermissionDenied outside the user's scope,
    ValidationError on bad values or when the same decision is already on record."""
    _check_may_record(user, student.pk)
    event = CareerEvent(
        student=student,
        kind=kind,
        date=date,
        decision_number=" ".join(str(decision_number or "").split()),
        description=" ".join(str(description or "").split()),
        recorded_by=user if getattr(user, "pk", None) else None,
    )
    event.full_clean(validate_constraints=False)
    with transaction.atomic():
        # The same decision entered twice at once: the student's row is locked, so the
        # second entry finds the first on record (a ValidationError) instead of both inserting.
        list(Student.objects.select_for_update().filter(pk=student.pk).values_list("pk", flat=True))
        event.validate_constraints()
        event.save()
        record(user, event, "career_event", {}, snapshot(event, EVENT_FIELDS))
    return event


def career_event_delete(*, user, event: CareerEvent) -> None:
    """Delete a career event recorded by mistake; PermissionDenied outside the user's scope."""
    _check_may_record(user, event.student_id)
    with transaction.atomic():
        record(user, event, "career_event.delete", snapshot(event, EVENT_FIELDS), {})
        event.delete()


# --- the report -------------------------------------------------------------------------


def graduates_of_year(*, year: int, program: Program | None = None, user=None) -> dict[tuple[int, int], dt.date]:
    """The graduates of ``year``: (program id, student id) -> graduation date.

    A student graduates from a training program on the date of the graduation decision
    that lists them (``GraduationEntry``); from a fostering program on the date of its
    completion decision if there is one, else on the day their first certificate was
    issued (a voided certificate does not count). The graduates of a year are those whose
    graduation date falls in it; a student who graduates twice from one program in a year
    counts once, from the earlier date. With ``user``, only the students they may see.
    Two queries.
    """
    entries = GraduationEntry.objects.filter(decision__date__year=year)
    certificates = Credential.objects.filter(
        kind=CredentialKind.CERTIFICATE,
        enrollment__cohort__program__kind=ProgramKind.FOSTERING,
        enrollment__graduation__isnull=True,
    ).exclude(status=CredentialStatus.VOIDED)
    if program is not None:
        entries = entries.filter(enrollment__cohort__program=program)
        certificates = certificates.filter(enrollment__cohort__program=program)
    if user is not None and not scope_of(user).everything:
        visible = Student.objects.visible_to(user).values("pk")
        entries = entries.filter(enrollment__student__in=visible)
        certificates = certificates.filter(enrollment__student__in=visible)
    found = list(
        entries.order_by().values_list("enrollment__cohort__program_id", "enrollment__student_id", "decision__date")
    )
    found += (
        certificates.order_by()
        .values("enrollment_id", "enrollment__cohort__program_id", "enrollment__student_id")
        .annotate(first=Min("issued_on"))
        .filter(first__year=year)
        .values_list("enrollment__cohort__program_id", "enrollment__student_id", "first")
    )
    graduates: dict[tuple[int, int], dt.date] = {}
    for program_id, student_id, day in found:
        key = (program_id, student_id)
        if key not in graduates or day < graduates[key]:
            graduates[key] = day
    return graduates


@dataclass(frozen=True)
class OutcomeRow:
    """One program's graduates of a year and how many advanced within 12 and 24 months;
    a share is a ratio (0.25), None without graduates."""

    program: Program | None  # None for the total
    graduates: int
    within_12: int
    within_24: int

    @property
    def share_12(self) -> Decimal | None:
        return Decimal(self.within_12) / self.graduates if self.graduates else None

    @property
    def share_24(self) -> Decimal | None:
        return Decimal(self.within_24) / self.graduates if self.graduates else None


def outcome_report(*, year: int, program: Program | None = None, user) -> list[OutcomeRow]:
    """Per program, the graduates of ``year`` (``graduates_of_year``) and how many of them
    have an appointment, promotion or reward (``ADVANCEMENT_KINDS``) dated from the
    graduation date up to 12 months after it (the day 12 months later included), and up to
    24 months. Events before graduating do not count. Only the students the user may see;
    PermissionDenied for users without a staff scope. Four queries, in program code order.
    """
    if not scope_of(user).staff:
        raise PermissionDenied
    graduates = graduates_of_year(year=year, program=program, user=user)
    if not graduates:
        return []
    student_ids = {student_id for _program, student_id in graduates}
    events: dict[int, list[dt.date]] = defaultdict(list)
    first, last = dt.date(year, 1, 1), add_months(dt.date(year, 12, 31), max(WINDOWS))
    graduated = Q(student__in=GraduationEntry.objects.filter(decision__date__year=year).values("enrollment__student"))
    certified = Q(
        student__in=Credential.objects.filter(kind=CredentialKind.CERTIFICATE, issued_on__year=year).values(
            "enrollment__student"
        )
    )
    # The graduates' ids are matched in Python: the subqueries keep the IN list short
    # whatever the number of graduates.
    advancing = CareerEvent.objects.filter(graduated | certified, kind__in=ADVANCEMENT_KINDS, date__range=(first, last))
    for student_id, day in advancing.order_by().values_list("student_id", "date"):
        if student_id in student_ids:
            events[student_id].append(day)
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for (program_id, student_id), graduated_on in graduates.items():
        tally = counts[program_id]
        tally[0] += 1
        days = events.get(student_id)
        if not days:  # most graduates: no window to compute (a year may have tens of thousands)
            continue
        for index, months in enumerate(WINDOWS, start=1):
            until = add_months(graduated_on, months)
            if any(graduated_on <= day <= until for day in days):
                tally[index] += 1
    programs = Program.objects.filter(pk__in=counts).order_by("code")
    return [OutcomeRow(p, *counts[p.pk]) for p in programs]


def outcome_total(rows: list[OutcomeRow]) -> OutcomeRow:
    """The sum of the program rows (a student graduating from two programs counts twice)."""
    return OutcomeRow(
        None,
        sum(r.graduates for r in rows),
        sum(r.within_12 for r in rows),
        sum(r.within_24 for r in rows),
    )
