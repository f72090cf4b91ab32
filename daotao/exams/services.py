"""The office's workflow of an exam session, and marking by code: each a keyword-only
function under one transaction that locks the session's row first, so that two requests at
once (two seals, two decodings) run one after the other and the second finds the work done.
Every step is audited (``audit.models.record``), never with a candidate's name before the
session is decoded."""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from daotao.accounts.access import is_training_office
from daotao.audit.models import record, snapshot
from daotao.exams.barring import exam_roll
from daotao.exams.models import Candidate, ExamRoom, ExamSession, ExamStatus, Script, ScriptLink
from daotao.grading import rules as grading_rules
from daotao.grading.services import grade_record
from daotao.lib.vietnamese import format_int
from daotao.programs.models import AssessmentKind
from daotao.teaching.access import may_record
from daotao.teaching.models import Lesson

EXAM_FIELDS = ["date", "session", "anonymised", "status"]
# Letters and digits no one misreads on a script (no 0/O, 1/I/L, 2/Z, 5/S, 8/B).
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6


def require_office(user) -> None:
    if not is_training_office(user):
        raise PermissionDenied(_("Only the training office prepares, seals and decodes exam sessions."))


def _locked(exam: ExamSession) -> ExamSession:
    """The session's row, locked for the rest of the transaction, read again."""
    return (
        ExamSession.objects.select_for_update(of=("self",))
        .select_related("cohort__program", "assessment__module")
        .get(pk=exam.pk)
    )


def _check_exam(exam: ExamSession) -> None:
    assessment = exam.assessment
    if not assessment.is_exam:
        raise ValidationError({"assessment": _("Only a module's final exam has exam sessions.")})
    if assessment.module.program_id != exam.cohort.program_id:
        raise ValidationError({"assessment": _("This exam is not part of the class's program.")})
    if exam.anonymised and assessment.kind != AssessmentKind.WRITTEN_EXAM:
        raise ValidationError({"anonymised": _("Only a written exam is marked anonymously.")})
    if exam.date and exam.date < exam.cohort.opening_date:
        raise ValidationError({"date": _("The exam cannot be before the class opens.")})
    rules = grading_rules.rules_for(exam.cohort.program)
    if exam.attempt > 1 + rules.max_retakes:
        raise ValidationError(
            {
                "attempt": _("The rules of this program allow %(count)s retake(s) of an exam.")
                % {"count": rules.max_retakes}
            }
        )


def _room_problem(exam: ExamSession, room, exclude_exam: bool = True) -> str | None:
    """Why ``room`` cannot hold ``exam`` on its half day, or None."""
    if not room.is_active:
        return _("%(room)s is not in use.") % {"room": room}
    others = ExamRoom.objects.filter(room=room, date=exam.date, session=exam.session)
    if exclude_exam:
        others = others.exclude(exam=exam)
    taken = others.select_related("exam__cohort").first()
    if taken is not None:
        return _("%(room)s is taken by the exam of %(class)s in that half day.") % {
            "room": room,
            "class": taken.exam.cohort.code,
        }
    lesson = Lesson.objects.filter(room=room, date=exam.date, session=exam.session).select_related("cohort").first()
    if lesson is not None:
        return _("%(room)s has a lesson of %(class)s in that half day.") % {"room": room, "class": lesson.cohort.code}
    return None


def exam_create(*, user, cohort, assessment, attempt: int = 1, date, session, anonymised: bool = True) -> ExamSession:
    require_office(user)
    exam = ExamSession(
        cohort=cohort,
        assessment=assessment,
        attempt=attempt,
        date=date,
        session=session,
        anonymised=anonymised,
        created_by=user if getattr(user, "pk", None) else None,
    )
    _check_exam(exam)
    taken = ExamSession.objects.filter(cohort=cohort, assessment=assessment, attempt=attempt).exists()
    if taken:
        raise ValidationError(_("This exam already has a session for that attempt."))
    exam.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            exam.save()
    except IntegrityError:
        raise ValidationError(_("This exam already has a session for that attempt.")) from None
    record(user, exam, "exam.create", {}, snapshot(exam, EXAM_FIELDS))
    return exam


def exam_change(*, user, exam: ExamSession, date, session, anonymised: bool) -> ExamSession:
    """A new date, half day or way of marking, while the session is being prepared; the
    rooms must be free in the new half day."""
    require_office(user)
    with transaction.atomic():
        exam = _locked(exam)
        if not exam.is_draft:
            raise ValidationError(_("The scripts are sealed: the session can no longer be changed."))
        before = snapshot(exam, EXAM_FIELDS)
        exam.date, exam.session, exam.anonymised = date, session, anonymised
        _check_exam(exam)
        rooms = list(exam.rooms.select_related("room__centre"))
        problems = [problem for room in rooms if (problem := _room_problem(exam, room.room))]
        if problems:
            raise ValidationError(problems)
        exam.full_clean()
        exam.save()
        ExamRoom.objects.filter(exam=exam).update(date=date, session=session)
        record(user, exam, "exam.change", before, snapshot(exam, EXAM_FIELDS))
    return exam


def exam_room_add(*, user, exam: ExamSession, room) -> ExamRoom:
    require_office(user)
    with transaction.atomic():
        exam = _locked(exam)
        if not exam.is_draft:
            raise ValidationError(_("The scripts are sealed: the session can no longer be changed."))
        if exam.rooms.filter(room=room).exists():
            raise ValidationError({"room": _("The session uses this room already.")})
        problem = _room_problem(exam, room)
        if problem:
            raise ValidationError({"room": problem})
        try:
            with transaction.atomic():
                exam_room = ExamRoom.objects.create(exam=exam, room=room, date=exam.date, session=exam.session)
        except IntegrityError:
            raise ValidationError({"room": _("%(room)s was just taken for that half day.") % {"room": room}}) from None
        record(user, exam, "exam.room_add", {}, {"room": room.pk}, note=str(room))
    return exam_room


def exam_room_remove(*, user, exam: ExamSession, exam_room: ExamRoom) -> None:
    """Takes the room out of the session; its seating is cleared, to be done again."""
    require_office(user)
    with transaction.atomic():
        exam = _locked(exam)
        if not exam.is_draft:
            raise ValidationError(_("The scripts are sealed: the session can no longer be changed."))
        if exam_room.exam_id != exam.pk:
            raise ValidationError(_("This room is not one of the session's."))
        Candidate.objects.filter(exam=exam).delete()
        record(user, exam, "exam.room_remove", {"room": exam_room.room_id}, {}, note=str(exam_room.room))
        exam_room.delete()


def exam_seat(*, user, exam: ExamSession) -> list[Candidate]:
    """Seat the session's candidates (``barring.exam_roll``) in class-list order: the first
    room's seats 1 to its capacity, then the next room's from 1; refused when the rooms do
    not seat them all. Seating again replaces the seating before."""
    require_office(user)
    with transaction.atomic():
        exam = _locked(exam)
        if not exam.is_draft:
            raise ValidationError(_("The scripts are sealed: the candidates can no longer be seated again."))
        rooms = list(exam.rooms.select_related("room__centre").order_by("pk"))
        if not rooms:
            raise ValidationError(_("Add the session's rooms first."))
        roll = exam_roll(exam)
        seats = sum(room.room.capacity for room in rooms)
        if len(roll.candidates) > seats:
            raise ValidationError(
                _("The rooms seat %(seats)s candidates, the session has %(count)s: add a room.")
                % {"seats": format_int(seats), "count": format_int(len(roll.candidates))}
            )
        Candidate.objects.filter(exam=exam).delete()
        placed, waiting = [], iter(roll.candidates)
        for room in rooms:
            for seat in range(1, room.room.capacity + 1):
                enrollment = next(waiting, None)
                if enrollment is None:
                    break
                placed.append(Candidate(exam=exam, enrollment=enrollment, exam_room=room, seat=seat))
        Candidate.objects.bulk_create(placed)
        record(user, exam, "exam.seat", {}, {"candidates": len(placed), "barred": len(roll.barred)})
    return placed


def _codes(count: int) -> list[str]:
    """``count`` different random codes (``secrets``)."""
    codes: set[str] = set()
    while len(codes) < count:
        codes.add("".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)))
    return list(codes)


def _shuffled(items: list) -> list:
    items = list(items)
    secrets.SystemRandom().shuffle(items)
    return items


def exam_seal(*, user, exam: ExamSession, absent_ids=()) -> list[Script]:
    """Seal the scripts of an anonymised session: the candidates in ``absent_ids`` (candidate
    ids) were absent; every other candidate's script gets a random code. The scripts are
    written in a random order, and the links to their candidates in another, so that neither
    their ids nor their order follow the seats or the class list."""
    require_office(user)
    with transaction.atomic():
        exam = _locked(exam)
        if not exam.anonymised:
            raise ValidationError(_("This session is not marked anonymously: its grades go in the grade sheet."))
        if not exam.is_draft:
            raise ValidationError(_("The scripts of this session are sealed already."))
        candidates = list(Candidate.objects.filter(exam=exam))
        if not candidates:
            raise ValidationError(_("Seat the candidates first."))
        absent = {int(pk) for pk in absent_ids}
        if absent - {candidate.pk for candidate in candidates}:
            raise ValidationError(_("Only the session's candidates can be marked absent."))
        Candidate.objects.filter(exam=exam, pk__in=absent).update(absent=True)
        present = _shuffled([candidate for candidate in candidates if candidate.pk not in absent])
        scripts = Script.objects.bulk_create([Script(exam=exam, code=code) for code in _codes(len(present))])
        if any(script.pk is None for script in scripts):  # a backend that returns no ids
            scripts = list(Script.objects.filter(exam=exam).order_by("pk"))
        pairs = _shuffled(list(zip(scripts, present, strict=True)))
        ScriptLink.objects.bulk_create([ScriptLink(script=script, candidate=candidate) for script, candidate in pairs])
        before = snapshot(exam, EXAM_FIELDS)
        exam.status, exam.sealed_at = ExamStatus.SEALED, timezone.now()
        exam.save(update_fields=["status", "sealed_at"])
        record(
            user,
            exam,
            "exam.seal",
            {**before, "scripts": None, "absent": None},
            {**snapshot(exam, EXAM_FIELDS), "scripts": len(scripts), "absent": len(absent)},
        )
    return scripts


def may_mark(user, exam: ExamSession) -> bool:
    """Graders: the office and the lecturers assigned to the module in the class."""
    return may_record(user, exam.cohort_id, exam.assessment.module_id)


def check_may_mark(user, exam: ExamSession) -> None:
    if not may_mark(user, exam):
        raise PermissionDenied(_("Only the lecturers assigned to the module and the training office mark its scripts."))
    if exam.cohort.is_closed and not is_training_office(user):
        raise PermissionDenied(_("The class is closed: only the training office may change its grades."))


def mark_record(*, user, exam: ExamSession, code: str, value) -> Script:
    """The mark typed for the script ``code`` ("7,5"; empty clears it), checked by the
    program's rules; refused once the session is decoded. Audited when it changes."""
    check_may_mark(user, exam)
    rules = grading_rules.rules_for(exam.cohort.program)
    try:
        score = grading_rules.parse_score(value, rules)
    except grading_rules.ScoreError as error:
        raise ValidationError(str(error)) from None
    with transaction.atomic():
        exam = _locked(exam)
        if exam.is_decoded:
            raise ValidationError(_("The session is decoded: its marks by code are locked."))
        if not exam.is_sealed:
            raise ValidationError(_("The scripts are not sealed yet."))
        script = Script.objects.select_for_update().filter(exam=exam, code=str(code).strip().upper()).first()
        if script is None:
            raise ValidationError(_("No script of this session has the code “%(code)s”.") % {"code": str(code)[:12]})
        if script.score == score:
            return script
        before = snapshot(script, ["score"])
        script.score = score
        script.marked_by = user if getattr(user, "pk", None) else None
        script.marked_at = timezone.now()
        script.full_clean()
        script.save()
        record(user, script, "exam.mark", before, snapshot(script, ["score"]))
    return script


def exam_decode(*, user, exam: ExamSession) -> int:
    """Write every script's mark into its candidate's grade for the exam and attempt
    (``grading.services.grade_record``, which checks and audits it), and "absent" for those
    absent; all or nothing. Refused while a script has no mark. The marks by code are locked
    from then on. Returns the number of grades written."""
    require_office(user)
    with transaction.atomic():
        exam = _locked(exam)
        if exam.is_decoded:
            raise ValidationError(_("This session is decoded already."))
        if not exam.is_sealed:
            raise ValidationError(_("The scripts are not sealed yet."))
        scripts = list(Script.objects.filter(exam=exam))
        unmarked = sorted(script.code for script in scripts if script.score is None)
        if unmarked:
            raise ValidationError(
                _("%(count)s script(s) have no mark yet: %(codes)s.")
                % {"count": format_int(len(unmarked)), "codes": ", ".join(unmarked[:10])}
            )
        links = ScriptLink.objects.filter(script__exam=exam).select_related(
            "script", "candidate__enrollment__cohort__program", "candidate__enrollment__student"
        )
        rows = [(link.candidate.enrollment, str(link.script.score)) for link in links]
        absent = Candidate.objects.filter(exam=exam, absent=True).select_related(
            "enrollment__cohort__program", "enrollment__student"
        )
        rows += [(candidate.enrollment, "v") for candidate in absent]
        for enrollment, value in rows:
            try:
                grade_record(
                    user=user, enrollment=enrollment, assessment=exam.assessment, attempt=exam.attempt, value=value
                )
            except ValidationError as error:
                raise ValidationError(
                    _("%(student)s: %(reason)s")
                    % {"student": enrollment.student.full_name, "reason": " ".join(error.messages)}
                ) from None
        before = snapshot(exam, EXAM_FIELDS)
        exam.status, exam.decoded_at = ExamStatus.DECODED, timezone.now()
        exam.save(update_fields=["status", "decoded_at"])
        record(
            user, exam, "exam.decode", {**before, "grades": None}, {**snapshot(exam, EXAM_FIELDS), "grades": len(rows)}
        )
    return len(rows)
