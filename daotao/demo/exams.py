"""The demo's exam with anonymised marking (đánh phách): the final exam of one module of
the finished Trung cấp class, in a room of the class's host centre and one at the school,
its candidates seated (the student barred by absences left out, with the reason), the
scripts sealed under codes, marked by code by the module's lecturer and decoded by the
office, so that the module's exam grades come from the decoded marks. Everything goes
through the exams app's own services."""

from __future__ import annotations

import datetime as dt

from daotao.exams import services as exams
from daotao.exams.models import ScriptLink
from daotao.teaching.models import Lesson, Room, TeachingAssignment

SCHOOL_ROOM = ("Phòng thi 301", 40)
CENTRE_ROOM = ("Phòng học tầng 2", 20)
SATURDAY = 5


def _rooms(cohort) -> list[Room]:
    """The host centre's room and the school's smallest (its exam room; both made when the demo has none)."""
    if not Room.objects.exists():
        Room.objects.create(name=CENTRE_ROOM[0], centre=cohort.host_locality, capacity=CENTRE_ROOM[1])
        Room.objects.create(name=SCHOOL_ROOM[0], centre=None, capacity=SCHOOL_ROOM[1])
    at_centre = Room.objects.active().filter(centre=cohort.host_locality).order_by("pk")
    at_school = Room.objects.active().filter(centre__isnull=True).order_by("capacity", "pk")
    return [room for room in (at_centre.first(), at_school.first()) if room is not None]


def _exam_day(cohort, module) -> dt.date:
    """The first Saturday after the module's last lesson (the class studies on weekdays)."""
    last = Lesson.objects.filter(cohort=cohort, module=module).order_by("-date").values_list("date", flat=True)[0]
    return last + dt.timedelta(days=(SATURDAY - last.weekday()) % 7 or 7)


def anonymised_exam(office, cohort, module, marks: dict[int, str]):
    """The exam of ``module`` marked by code: ``marks`` is each candidate's mark by
    enrollment id (what the lecturer writes on the script)."""
    assessment = module.assessments.get(is_exam=True)
    exam = exams.exam_create(
        user=office,
        cohort=cohort,
        assessment=assessment,
        date=_exam_day(cohort, module),
        session="morning",
        anonymised=True,
    )
    for room in _rooms(cohort):
        exams.exam_room_add(user=office, exam=exam, room=room)
    exams.exam_seat(user=office, exam=exam)
    exams.exam_seal(user=office, exam=exam)
    assignment = TeachingAssignment.objects.filter(cohort=cohort, module=module, lecturer__user__isnull=False).first()
    grader = assignment.lecturer.user if assignment else office
    # The lecturer marks the scripts she is handed, by code; the demo knows whose they are.
    for link in ScriptLink.objects.filter(script__exam=exam).select_related("script", "candidate"):
        exams.mark_record(user=grader, exam=exam, code=link.script.code, value=marks[link.candidate.enrollment_id])
    exams.exam_decode(user=office, exam=exam)
    return exam
