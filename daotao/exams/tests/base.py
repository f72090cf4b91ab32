"""The teaching world with an exam of module m1 of class TC01 and rooms to hold it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import translation

from daotao.exams import services
from daotao.teaching import services as teaching
from daotao.teaching.models import Room

EXAM_DAY = dt.date(2026, 6, 6)


def make_rooms(target) -> None:
    target.room_a = Room.objects.create(name="Phòng thi 301", capacity=4)
    target.room_b = Room.objects.create(name="Phòng thi 302", capacity=4)
    target.small_room = Room.objects.create(name="Phòng nhỏ", capacity=2, centre=target.h01)


def make_exam(target, module=None, **extra):
    module = module or target.m1
    values = {"date": EXAM_DAY, "session": "morning", "anonymised": True, **extra}
    return services.exam_create(
        user=target.office, cohort=target.cohort, assessment=module.assessments.get(is_exam=True), **values
    )


def held_lessons(target, module, count, missed_by=(), start=dt.date(2026, 3, 2)):
    """``count`` lessons of 5 periods of ``module`` in TC01, attendance taken, missed by the
    enrollments ``missed_by``."""
    lecturer = target.lecturer if module in (target.m1, target.m2) else target.other_lecturer
    lessons = []
    for number in range(count):
        lesson = teaching.lesson_schedule(
            user=target.office,
            cohort=target.cohort,
            module=module,
            lecturer=lecturer,
            date=start + dt.timedelta(days=number),
            session="morning",
            periods=5,
        )
        teaching.attendance_record(user=target.office, lesson=lesson, exceptions={e.pk: "unexcused" for e in missed_by})
        lessons.append(lesson)
    return lessons


def sealed_exam(target, absent=()):
    """m1's exam in room A and B, seated and sealed (``absent``: enrollments absent)."""
    exam = make_exam(target)
    services.exam_room_add(user=target.office, exam=exam, room=target.room_a)
    services.exam_room_add(user=target.office, exam=exam, room=target.room_b)
    candidates = services.exam_seat(user=target.office, exam=exam)
    absent_ids = [c.pk for c in candidates if c.enrollment in absent]
    services.exam_seal(user=target.office, exam=exam, absent_ids=absent_ids)
    exam.refresh_from_db()
    return exam


class EnglishMessages:
    """Messages compared in English (the msgids), whatever the catalogue holds."""

    def setUp(self):
        super().setUp()
        self.enterContext(translation.override("en"))
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the pages too
