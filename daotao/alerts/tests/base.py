"""The teaching world with a timetable to miss: lessons of a module in a class, absences,
and addresses for the students and their units."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from daotao.org.models import Unit, UnitKind
from daotao.people.models import Student
from daotao.teaching.models import Attendance, Lesson
from daotao.testing import TeachingWorldTestCase, make_unit
from daotao.testing_smtp import SmtpTestMixin, _Collector


class RefusingCollector(_Collector):
    """Refuses (554) any message to an address that starts with "refuse"; set as the test
    server's handler: ``cls.smtp.handler.__class__ = RefusingCollector``."""

    async def handle_DATA(self, server, session, envelope):
        if any(address.startswith("refuse") for address in envelope.rcpt_tos):
            return "554 5.7.1 Message refused"
        return await super().handle_DATA(server, session, envelope)


H01_EMAIL = "h01@binhan.test"
AGENCY_EMAIL = "snv@binhan.test"
FIRST_DAY = dt.date(2026, 3, 2)


def schedule(cohort, module, lecturer, periods: list[int], start: dt.date = FIRST_DAY, held: int | None = None):
    """Lessons of ``module`` on the days from ``start``, one per entry of ``periods`` (its
    periods); the first ``held`` (all by default) with their attendance taken."""
    held = len(periods) if held is None else held
    lessons = []
    for index, count in enumerate(periods):
        day = start + dt.timedelta(days=index)
        taken = timezone.make_aware(dt.datetime.combine(day, dt.time(11, 0))) if index < held else None
        lessons.append(
            Lesson.objects.create(
                cohort=cohort,
                module=module,
                lecturer=lecturer,
                date=day,
                session="morning" if module.code != "HP2" else "afternoon",
                periods=count,
                attendance_taken_at=taken,
            )
        )
    return lessons


def absent(enrollment, lessons, status: str = "unexcused"):
    for lesson in lessons:
        Attendance.objects.update_or_create(lesson=lesson, enrollment=enrollment, defaults={"status": status})


def build_alerts_world(target) -> None:
    """Addresses: H01 (the class's locality) and the agency have one, H02 none; every
    student of ``cohort`` has one, the third was also sent by the agency (Sở Nội vụ)."""
    Unit.objects.filter(pk=target.h01.pk).update(email=H01_EMAIL)
    target.agency = make_unit("SNV", "Sở Nội vụ", UnitKind.AGENCY, target.province, email=AGENCY_EMAIL)
    for index, enrollment in enumerate(target.enrollments):
        Student.objects.filter(pk=enrollment.student_id).update(email=f"hv{index}@binhan.test")
    Student.objects.filter(pk=target.enrollments[2].student_id).update(agency=target.agency)


class AlertsWorldTestCase(TeachingWorldTestCase):
    """``TeachingWorldTestCase`` with the addresses of ``build_alerts_world``; no lesson yet."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_alerts_world(cls)


class SmtpAlertsTestCase(SmtpTestMixin, AlertsWorldTestCase):
    """The alerts world with the loopback SMTP server (``RefusingCollector``: it refuses the
    addresses a test names) and HP1's ten lessons of 5 periods in TC01, attendance taken
    (50 periods: a limit of 10 at the default 20%)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.smtp.handler.__class__ = RefusingCollector

    def setUp(self):
        super().setUp()
        self.lessons = schedule(self.cohort, self.m1, self.lecturer, [5] * 10)
