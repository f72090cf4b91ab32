"""What changes a cohort's teaching records: assignments, the timetable, attendance, the
lecture log, peer observation and the class's organisation. Each is one transaction and
raises ``ValidationError`` with a Vietnamese message naming what is wrong."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from daotao.accounts.access import is_training_office
from daotao.cohorts.models import Mode
from daotao.lib.vietnamese import format_date
from daotao.teaching.access import may_record
from daotao.teaching.models import (
    ActiveMethod,
    Attendance,
    AttendanceStatus,
    ClassOfficer,
    FieldTrip,
    LectureLog,
    Lesson,
    PeerObservation,
    Place,
    Session,
    SteeringCommitteeMember,
    TeachingAssignment,
)


def _office_only(user) -> None:
    if not is_training_office(user):
        raise PermissionDenied(_("Only the training office may change the timetable and the class's organisation."))


def assignment_add(*, user, cohort, module, lecturer) -> TeachingAssignment:
    _office_only(user)
    assignment = TeachingAssignment.objects.filter(cohort=cohort, module=module, lecturer=lecturer).first()
    if assignment:
        return assignment
    assignment = TeachingAssignment(cohort=cohort, module=module, lecturer=lecturer)
    assignment.full_clean()
    assignment.save()
    return assignment


def default_place(cohort) -> str:
    return Place.SCHOOL if cohort.mode == Mode.CONCENTRATED else Place.LOCALITY


def _conflicts(lesson: Lesson) -> list[str]:
    """Why the lesson's half day is taken: the lecturer or the class already has a lesson."""
    others = Lesson.objects.filter(date=lesson.date, session=lesson.session).exclude(pk=lesson.pk)
    problems = []
    when = f"{Session(lesson.session).label.lower()} {format_date(lesson.date)}"
    taken = others.filter(lecturer=lesson.lecturer).select_related("cohort").first()
    if taken:
        problems.append(
            _("Lecturer %(lecturer)s already teaches class %(cohort)s on the %(when)s.")
            % {"lecturer": lesson.lecturer.full_name, "cohort": taken.cohort.code, "when": when}
        )
    taken = others.filter(cohort=lesson.cohort).select_related("lecturer", "module").first()
    if taken:
        problems.append(
            _("Class %(cohort)s already has a lesson (%(module)s, %(lecturer)s) on the %(when)s.")
            % {
                "cohort": lesson.cohort.code,
                "module": taken.module.code,
                "lecturer": taken.lecturer.full_name,
                "when": when,
            }
        )
    return problems


def lesson_schedule(
    *, user, cohort, module, lecturer, date, session, periods, venue="", place=None, topic="", lesson=None
) -> Lesson:
    """Create or change a lesson. Refused when the lecturer or the class is already booked
    that half day (also when two people save at once: the database's unique constraints
    decide, and the loser gets the same message), when the module is not the class's, the
    lecturer is not assigned to it, or the date is outside the class's dates."""
    _office_only(user)
    lesson = lesson or Lesson()
    lesson.cohort, lesson.module, lesson.lecturer = cohort, module, lecturer
    lesson.date, lesson.session, lesson.periods = date, session, periods
    lesson.venue = venue or lesson.venue or cohort.venue
    lesson.place = place or lesson.place if lesson.pk else place or default_place(cohort)
    lesson.topic = topic
    errors = {}
    if module.program_id != cohort.program_id:
        errors["module"] = _("This module is not part of the class's program.")
    elif not TeachingAssignment.objects.filter(cohort=cohort, module=module, lecturer=lecturer).exists():
        errors["lecturer"] = _("%(lecturer)s is not assigned to teach %(module)s in this class.") % {
            "lecturer": lecturer.full_name,
            "module": module.name,
        }
    if date < cohort.opening_date or (cohort.closing_date and date > cohort.closing_date):
        errors["date"] = _("The date is outside the class's dates (%(start)s – %(end)s).") % {
            "start": format_date(cohort.opening_date),
            "end": format_date(cohort.closing_date) if cohort.closing_date else "…",
        }
    if errors:
        raise ValidationError(errors)
    problems = _conflicts(lesson)
    if problems:
        raise ValidationError(problems)
    lesson.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            lesson.save()
    except IntegrityError:
        raise ValidationError(_conflicts(lesson) or [_("This half day was just booked by someone else.")]) from None
    return lesson


def attendance_record(*, user, lesson, exceptions: dict[int, str]) -> None:
    """Take a lesson's attendance: everyone present except ``exceptions`` (enrollment id ->
    status), which replace any recorded before."""
    if not may_record(user, lesson.cohort_id, lesson.module_id):
        raise PermissionDenied(_("You may take attendance only for the modules assigned to you."))
    enrolled = set(lesson.cohort.enrollments.values_list("pk", flat=True))
    unknown = [pk for pk in exceptions if pk not in enrolled]
    if unknown:
        raise ValidationError(_("A student marked is not in this class."))
    valid = set(AttendanceStatus.values) - {AttendanceStatus.PRESENT}
    rows = []
    for enrollment_id, status in exceptions.items():
        if status == AttendanceStatus.PRESENT:
            continue
        if status not in valid:
            raise ValidationError(_("“%(status)s” is not an attendance status.") % {"status": status})
        rows.append(Attendance(lesson=lesson, enrollment_id=enrollment_id, status=status))
    with transaction.atomic():
        lesson.attendance.all().delete()
        Attendance.objects.bulk_create(rows)
        lesson.attendance_taken_at = timezone.now()
        lesson.save(update_fields=["attendance_taken_at"])


def lecture_log_record(*, user, lesson, methods, content="") -> LectureLog:
    if not may_record(user, lesson.cohort_id, lesson.module_id):
        raise PermissionDenied(_("You may keep the lecture log only for the modules assigned to you."))
    unknown = [m for m in methods if m not in ActiveMethod.values]
    if unknown:
        raise ValidationError(_("Unknown teaching method: %(method)s.") % {"method": unknown[0]})
    log, _created = LectureLog.objects.get_or_create(lesson=lesson)
    log.methods = sorted(set(methods), key=ActiveMethod.values.index)
    log.content = content
    log.recorded_by = user if getattr(user, "pk", None) else None
    log.save()
    return log


def observation_record(*, user, lesson, observer, rating, notes="") -> PeerObservation:
    """A colleague's observation of a lesson: the observer themself or the training office."""
    own = getattr(getattr(user, "lecturer", None), "pk", None) == observer.pk
    if not (own or is_training_office(user)):
        raise PermissionDenied(_("Only the observer or the training office records an observation."))
    if observer.pk == lesson.lecturer_id:
        raise ValidationError({"observer": _("A lecturer cannot observe their own lesson.")})
    observation = PeerObservation.objects.filter(lesson=lesson, observer=observer).first() or PeerObservation(
        lesson=lesson, observer=observer
    )
    observation.rating, observation.notes = rating, notes
    observation.full_clean(validate_constraints=False)
    observation.save()
    return observation


def officer_set(*, user, enrollment, role) -> ClassOfficer:
    _office_only(user)
    officer, _created = ClassOfficer.objects.get_or_create(enrollment=enrollment, role=role)
    return officer


def committee_member_add(*, user, cohort, full_name, position="", side, role="member", lecturer=None):
    _office_only(user)
    member = SteeringCommitteeMember(
        cohort=cohort, full_name=full_name, position=position, side=side, role=role, lecturer=lecturer
    )
    member.full_clean()
    member.save()
    return member


def field_trip_record(*, user, cohort, locality, start_date, end_date, place="", topics=(), report=None, notes=""):
    _office_only(user)
    trip = FieldTrip(
        cohort=cohort, locality=locality, place=place, start_date=start_date, end_date=end_date, notes=notes
    )
    if report is not None:
        trip.report = report
    trip.full_clean(exclude=["report"])
    with transaction.atomic():
        trip.save()
        trip.topics.set(topics)
    return trip
