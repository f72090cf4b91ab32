"""What changes a cohort's teaching records: assignments, the timetable, attendance, the
lecture log and peer observation. Each is one transaction and raises ``ValidationError``
with a Vietnamese message naming what is wrong. The class's organisation (homeroom
lecturer, officers, steering committee, field trips) is in ``organisation``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from daotao.accounts.access import is_training_office
from daotao.cohorts.models import Cohort, Mode
from daotao.lib.vietnamese import format_date
from daotao.teaching.access import may_record, require_office
from daotao.teaching.models import (
    ActiveMethod,
    Attendance,
    AttendanceStatus,
    LectureLog,
    Lesson,
    LessonKind,
    PeerObservation,
    Place,
    Session,
    TeachingAssignment,
    Unavailability,
)


def _lock(queryset) -> None:
    """Lock the parent row of the records about to be written until the transaction ends,
    so that two writes at once run one after the other: a record that does not exist yet
    cannot be locked, and two "look, then insert" writes would both insert."""
    list(queryset.select_for_update().values_list("pk", flat=True))


@transaction.atomic
def assignment_add(*, user, cohort, module, lecturer) -> TeachingAssignment:
    """Assign a lecturer to teach (and grade) a module of the class; idempotent."""
    require_office(user)
    _lock(Cohort.objects.filter(pk=cohort.pk))
    assignment = TeachingAssignment.objects.filter(cohort=cohort, module=module, lecturer=lecturer).first()
    if assignment:
        return assignment
    assignment = TeachingAssignment(cohort=cohort, module=module, lecturer=lecturer)
    assignment.full_clean(validate_constraints=False)
    assignment.save()
    return assignment


@transaction.atomic
def assignment_remove(*, user, assignment) -> None:
    """Withdraw an assignment; refused while the lecturer has lessons of it in the timetable."""
    require_office(user)
    booked = Lesson.objects.filter(
        cohort_id=assignment.cohort_id, module_id=assignment.module_id, lecturer_id=assignment.lecturer_id
    ).count()
    if booked:
        raise ValidationError(
            _("%(lecturer)s still has lessons of this module in the timetable (%(count)s).")
            % {"lecturer": assignment.lecturer.full_name, "count": booked}
        )
    assignment.delete()


def default_place(cohort) -> str:
    """A concentrated class studies at the school; a non-concentrated one in its locality."""
    return Place.SCHOOL if cohort.mode == Mode.CONCENTRATED else Place.LOCALITY


def _conflicts(lesson: Lesson) -> list[str]:
    """Why the lesson's half day is taken: the lecturer, the class or the room already has a
    lesson then, or the lecturer is away that day."""
    others = Lesson.objects.filter(date=lesson.date, session=lesson.session).exclude(pk=lesson.pk)
    when = {"session": str(Session(lesson.session).label).lower(), "date": format_date(lesson.date)}
    problems = []
    taken = others.filter(lecturer=lesson.lecturer).select_related("cohort").first()
    if taken:
        problems.append(
            _("Lecturer %(lecturer)s already teaches class %(cohort)s on the %(session)s of %(date)s.")
            % {"lecturer": lesson.lecturer.full_name, "cohort": taken.cohort.code, **when}
        )
    taken = others.filter(cohort=lesson.cohort).select_related("lecturer", "module").first()
    if taken:
        problems.append(
            _("Class %(cohort)s already has a lesson on the %(session)s of %(date)s (%(module)s, %(lecturer)s).")
            % {"cohort": lesson.cohort.code, "module": taken.module.code, "lecturer": taken.lecturer.full_name, **when}
        )
    if lesson.room_id:
        taken = others.filter(room=lesson.room_id).select_related("cohort").first()
        if taken:
            problems.append(
                _("Room %(room)s is already booked by class %(cohort)s on the %(session)s of %(date)s.")
                % {"room": lesson.room.name, "cohort": taken.cohort.code, **when}
            )
        # An exam in the room then (the exams app's rooms, reached through the relation).
        exam_of = (
            lesson.room.exam_rooms.filter(date=lesson.date, session=lesson.session)
            .values_list("exam__cohort__code", flat=True)
            .first()
        )
        if exam_of:
            problems.append(
                _("Room %(room)s holds an exam of class %(cohort)s on the %(session)s of %(date)s.")
                % {"room": lesson.room.name, "cohort": exam_of, **when}
            )
    away = Unavailability.objects.overlapping(lesson.date, lesson.date).filter(lecturer=lesson.lecturer).first()
    if away:
        problems.append(
            _("Lecturer %(lecturer)s is unavailable from %(days)s%(reason)s.")
            % {
                "lecturer": lesson.lecturer.full_name,
                "days": away.days_text(),
                "reason": f" ({away.reason})" if away.reason else "",
            }
        )
    return problems


def room_problem(room, cohort) -> str | None:
    """Why the class cannot be taught in ``room``: out of use, or fewer seats than students."""
    if room is None:
        return None
    if not room.is_active:
        return _("Room %(room)s is no longer in use.") % {"room": room.name}
    students = cohort.enrollments.on_roll().count()
    if students > room.capacity:
        return _("Room %(room)s has %(capacity)s seats, fewer than the class's %(students)s students.") % {
            "room": room.name,
            "capacity": room.capacity,
            "students": students,
        }
    return None


def _schedule_errors(cohort, module, lecturer, date, periods) -> dict[str, str]:
    errors = {}
    if not 1 <= periods <= 10:
        errors["periods"] = _("A lesson has from 1 to 10 periods.")
    if module.program_id != cohort.program_id:
        errors["module"] = _("Module %(module)s is not part of the program of class %(cohort)s.") % {
            "module": module.code,
            "cohort": cohort.code,
        }
    elif not TeachingAssignment.objects.filter(cohort=cohort, module=module, lecturer=lecturer).exists():
        errors["lecturer"] = _("%(lecturer)s is not assigned to teach %(module)s in this class.") % {
            "lecturer": lecturer.full_name,
            "module": module.name,
        }
    if not cohort.covers(date):
        errors["date"] = _("The date is outside the class's dates (%(start)s – %(end)s).") % {
            "start": format_date(cohort.opening_date),
            "end": format_date(cohort.closing_date) if cohort.closing_date else "…",
        }
    return errors


@transaction.atomic
def lesson_schedule(
    *,
    user,
    cohort,
    module,
    lecturer,
    date,
    session,
    periods,
    venue="",
    place=None,
    topic="",
    room=None,
    kind=LessonKind.LECTURE,
    lesson=None,
) -> Lesson:
    """Create or change a lesson. Refused when the lecturer, the class or the room is
    already booked that half day (also when two people save at once: the database's unique
    constraints decide, and the loser gets the same message), when the lecturer is away
    that day, when the module is not the class's, the lecturer is not assigned to it, the
    date is outside the class's dates, or the room is out of use or too small."""
    require_office(user)
    if lesson is not None and lesson.cohort_id != cohort.pk:
        raise ValidationError(_("A lesson cannot be moved to another class."))
    errors = _schedule_errors(cohort, module, lecturer, date, periods)
    problem = room_problem(room, cohort)
    if problem:
        errors["room"] = problem
    if errors:
        raise ValidationError(errors)
    lesson = lesson or Lesson(cohort=cohort)
    lesson.module, lesson.lecturer = module, lecturer
    lesson.date, lesson.session, lesson.periods = date, session, periods
    lesson.venue = venue or (room.name if room else cohort.venue)
    lesson.place = place or (room.place if room else (lesson.place if lesson.pk else default_place(cohort)))
    lesson.room, lesson.kind = room, kind
    lesson.topic = topic
    problems = _conflicts(lesson)
    if problems:
        raise ValidationError(problems)
    lesson.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            lesson.save()
    except IntegrityError:
        # Someone booked the half day between our check and our save.
        raise ValidationError(_conflicts(lesson) or [_("This half day was just booked by someone else.")]) from None
    return lesson


@transaction.atomic
def lesson_cancel(*, user, lesson) -> None:
    """Take a lesson out of the timetable; refused once it was held (attendance or log)."""
    require_office(user)
    if lesson.attendance_taken_at or LectureLog.objects.filter(lesson=lesson).exists():
        raise ValidationError(_("This lesson was held: its attendance or lecture log is recorded."))
    lesson.delete()


def _check_started(lesson) -> None:
    """Attendance and the lecture log say what happened: refused before the lesson starts."""
    if not lesson.has_started():
        raise ValidationError(
            _(
                "This lesson has not started yet (%(session)s of %(date)s): its attendance and lecture log are "
                "recorded once it has."
            )
            % {"session": lesson.get_session_display().lower(), "date": format_date(lesson.date)}
        )


@transaction.atomic
def attendance_record(*, user, lesson, exceptions: dict[int, str]) -> None:
    """Take a lesson's attendance: everyone present except ``exceptions`` (enrollment id ->
    status), which replace any recorded before."""
    if not may_record(user, lesson.cohort_id, lesson.module_id):
        raise PermissionDenied(_("You may take attendance only for the modules assigned to you."))
    _check_started(lesson)
    enrolled = set(lesson.cohort.enrollments.on_roll().values_list("pk", flat=True))
    if any(pk not in enrolled for pk in exceptions):
        raise ValidationError(_("A student marked is not in this class."))
    valid = set(AttendanceStatus.values) - {AttendanceStatus.PRESENT}
    rows = []
    for enrollment_id, status in exceptions.items():
        if status == AttendanceStatus.PRESENT:
            continue
        if status not in valid:
            raise ValidationError(_("“%(status)s” is not an attendance status.") % {"status": status})
        rows.append(Attendance(lesson=lesson, enrollment_id=enrollment_id, status=status))
    _lock(Lesson.objects.filter(pk=lesson.pk))
    Attendance.objects.filter(lesson=lesson).delete()
    Attendance.objects.bulk_create(rows)
    lesson.attendance_taken_at = timezone.now()
    lesson.save(update_fields=["attendance_taken_at"])


@transaction.atomic
def lecture_log_record(*, user, lesson, methods, content="") -> LectureLog:
    """The methods of the "3 tăng, 3 giảm" checklist used in a lesson, and what was taught."""
    if not may_record(user, lesson.cohort_id, lesson.module_id):
        raise PermissionDenied(_("You may keep the lecture log only for the modules assigned to you."))
    _check_started(lesson)
    unknown = [m for m in methods if m not in ActiveMethod.values]
    if unknown:
        raise ValidationError(_("Unknown teaching method: %(method)s.") % {"method": unknown[0]})
    _lock(Lesson.objects.filter(pk=lesson.pk))
    log = LectureLog.objects.filter(lesson=lesson).first() or LectureLog(lesson=lesson)
    log.methods = sorted(set(methods), key=ActiveMethod.values.index)
    log.content = content
    log.recorded_by = user if getattr(user, "pk", None) else None
    log.full_clean(exclude=["lesson", "recorded_by"], validate_constraints=False)
    log.save()
    return log


@transaction.atomic
def observation_record(*, user, lesson, observer, rating, notes="") -> PeerObservation:
    """A colleague's observation of a lesson (dự giờ): any lecturer of the school records
    their own, the training office records anyone's; one per observer and lesson."""
    own = getattr(getattr(user, "lecturer", None), "pk", None) == observer.pk
    if not (own or is_training_office(user)):
        raise PermissionDenied(_("Only the observer or the training office records an observation."))
    if observer.pk == lesson.lecturer_id:
        raise ValidationError({"observer": _("A lecturer cannot observe their own lesson.")})
    _lock(Lesson.objects.filter(pk=lesson.pk))
    observation = PeerObservation.objects.filter(lesson=lesson, observer=observer).first() or PeerObservation(
        lesson=lesson, observer=observer
    )
    observation.rating, observation.notes = rating, notes
    observation.full_clean(validate_constraints=False)
    observation.save()
    return observation


# The organisation services live in their own module; imported here so that callers find
# every teaching service in one place.
from daotao.teaching.organisation import (  # noqa: E402
    committee_member_add,
    committee_member_remove,
    field_trip_record,
    homeroom_set,
    officer_remove,
    officer_set,
)

__all__ = [
    "assignment_add",
    "assignment_remove",
    "attendance_record",
    "committee_member_add",
    "committee_member_remove",
    "default_place",
    "field_trip_record",
    "homeroom_set",
    "lecture_log_record",
    "lesson_cancel",
    "lesson_schedule",
    "observation_record",
    "officer_remove",
    "officer_set",
    "room_problem",
]
