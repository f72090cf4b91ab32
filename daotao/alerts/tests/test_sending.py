"""Absence warnings sent through a real SMTP server on loopback: who gets them, what they
say, once per threshold, several thresholds at once, missing addresses, a refused email,
a corrected attendance, the day counted up to, a dry run."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from daotao.alerts.models import AbsenceThreshold, AbsenceWarning, Party, WarningStatus
from daotao.alerts.sending import warnings_send
from daotao.alerts.tests.base import (
    AGENCY_EMAIL,
    FIRST_DAY,
    H01_EMAIL,
    SmtpAlertsTestCase,
    absent,
    schedule,
)
from daotao.cohorts.models import Cohort, Enrollment
from daotao.people.models import Student
from daotao.teaching.models import Attendance
from daotao.testing_smtp import body

DAY = FIRST_DAY + dt.timedelta(days=20)  # after every lesson of the tests
NOW = timezone.make_aware(dt.datetime(2026, 3, 22, 18, 0))


class SendingTestCase(SmtpAlertsTestCase):
    def send(self, **kwargs):
        kwargs.setdefault("today", DAY)
        kwargs.setdefault("now", NOW)
        return warnings_send(**kwargs)

    def warnings(self, enrollment):
        return list(AbsenceWarning.objects.filter(enrollment=enrollment).order_by("threshold", "pk"))


class FirstCrossingTests(SendingTestCase):
    def test_the_student_the_locality_and_the_agency_get_one_email(self):
        enrollment = self.enrollments[2]  # sent by the agency too
        absent(enrollment, self.lessons[:1])
        report = self.send()
        [message] = self.smtp.messages
        student = Student.objects.get(pk=enrollment.student_id)
        self.assertEqual(
            sorted(address.strip() for address in message["To"].split(",")),
            sorted(["hv2@binhan.test", H01_EMAIL, AGENCY_EMAIL]),
        )
        self.assertIn("TC01", message["Subject"])
        self.assertIn("HP1", message["Subject"])
        self.assertIn(student.full_name, message["Subject"])
        text = body(message)
        values = {
            "date": "22/03/2026",
            "student": student.full_name,
            "cohort": "TC01",
            "cohort_name": self.cohort.name,
            "missed": "5",
            "periods": "50",
            "module": f"HP1 {self.m1.name}",
            "limit": "10",
            "percent": "20",
            "share": "50%",
            "threshold": "50",
        }
        for line in (
            _(
                "As of %(date)s, %(student)s, a student of class %(cohort)s (%(cohort_name)s), has missed "
                "%(missed)s of the %(periods)s periods of module %(module)s."
            ),
            _(
                "The absence limit of the module is %(limit)s periods (%(percent)s%% of its periods): "
                "a student who misses more may not sit its exam."
            ),
            _("The absences are %(share)s of the limit (warning at %(threshold)s%%)."),
            _("Please attend the remaining lessons of the module so as not to pass the limit."),
        ):
            self.assertIn(line % values, text)
        self.assertIn("Sở Nội vụ", text)
        self.assertIn("Thành phố Bình An", text)
        [warning] = self.warnings(enrollment)
        self.assertEqual(
            (warning.threshold, warning.status, warning.absences, warning.module_periods, warning.limit_percent),
            (50, WarningStatus.SENT, 5, 50, 20),
        )
        self.assertEqual(warning.limit, 10)
        self.assertEqual(warning.sent_at, NOW)
        self.assertEqual(warning.as_of, DAY)
        self.assertEqual(warning.mail_threshold, 50)
        self.assertEqual(sorted(warning.recipient_list), sorted(["hv2@binhan.test", H01_EMAIL, AGENCY_EMAIL]))
        self.assertEqual(warning.unreachable, [])
        self.assertEqual((report.crossings, report.emails, report.failed, report.unreachable), (1, 1, [], 0))

    def test_running_again_sends_nothing_more(self):
        absent(self.enrollments[0], self.lessons[:1])
        self.send()
        self.smtp.clear()
        report = self.send()
        report_later = self.send(today=DAY + dt.timedelta(days=1))
        self.assertEqual(self.smtp.messages, [])
        self.assertEqual((report.crossings, report.emails), (0, 0))
        self.assertEqual((report_later.crossings, report_later.emails), (0, 0))
        self.assertEqual(AbsenceWarning.objects.count(), 1)

    def test_the_next_threshold_is_a_new_email(self):
        absent(self.enrollments[0], self.lessons[:1])
        self.send()
        absent(self.enrollments[0], self.lessons[1:2])  # 10 periods: the limit reached, not passed
        self.smtp.clear()
        self.send()
        [message] = self.smtp.messages
        self.assertIn(
            _("The limit is reached: one more absence bars the student from the exam of this module."), body(message)
        )
        self.assertEqual(
            [(w.threshold, w.mail_threshold) for w in self.warnings(self.enrollments[0])],
            [(50, 50), (80, 100), (100, 100)],
        )

    def test_several_thresholds_crossed_at_once_make_one_email_of_the_highest(self):
        absent(self.enrollments[0], self.lessons[:3])  # 15 of a limit of 10
        report = self.send()
        [message] = self.smtp.messages
        text = body(message)
        self.assertIn(
            _("The absences are %(share)s of the limit (warning at %(threshold)s%%).")
            % {"share": "150%", "threshold": "100"},
            text,
        )
        self.assertIn(_("The absences are over the limit: the student may not sit the exam of this module."), text)
        warnings = self.warnings(self.enrollments[0])
        self.assertEqual([w.threshold for w in warnings], [50, 80, 100])
        self.assertTrue(all(w.status == WarningStatus.SENT and w.mail_threshold == 100 for w in warnings))
        self.assertEqual((report.crossings, report.emails), (3, 1))

    def test_exactly_at_and_just_below_a_threshold(self):
        # HP2: 51 periods, a limit of 10,2. 5 missed is 49,0% of it: no warning; in HP1 (50
        # periods, limit 10) the same 5 are exactly 50%: warned.
        lessons = schedule(self.cohort, self.m2, self.lecturer, [5] * 10 + [1])
        absent(self.enrollments[1], lessons[:1])
        absent(self.enrollments[0], self.lessons[:1])
        self.send()
        self.assertEqual(len(self.smtp.messages), 1)
        self.assertEqual(
            [(w.enrollment_id, w.module_id) for w in AbsenceWarning.objects.all()],
            [(self.enrollments[0].pk, self.m1.pk)],
        )
        absent(self.enrollments[1], lessons[1:2])  # 10 of 10,2: 98,0%, so 50% and 80%
        self.smtp.clear()
        self.send()
        [message] = self.smtp.messages
        self.assertIn("10,2", body(message))
        self.assertIn("98%", body(message))
        self.assertEqual([w.threshold for w in self.warnings(self.enrollments[1])], [50, 80])

    def test_the_programs_own_thresholds(self):
        AbsenceThreshold.objects.filter(percent=50).update(is_active=False)
        AbsenceThreshold.objects.create(percent=30)
        absent(self.enrollments[0], self.lessons[:1])  # 50%: now only the 30% threshold
        self.send()
        self.assertEqual([w.threshold for w in self.warnings(self.enrollments[0])], [30])


class AddressTests(SendingTestCase):
    def test_a_party_without_address_is_recorded_and_the_others_mailed(self):
        Student.objects.filter(pk=self.enrollments[3].student_id).update(email="")
        absent(self.enrollments[3], self.lessons[:1])
        self.send()
        [message] = self.smtp.messages
        self.assertEqual(message["To"], H01_EMAIL)
        [warning] = self.warnings(self.enrollments[3])
        self.assertEqual(warning.status, WarningStatus.SENT)
        self.assertEqual(warning.unreachable, [Party.STUDENT])

    def test_nobody_to_email_is_recorded_not_sent_and_not_tried_again(self):
        # TC02 is held in H02, which has no address; its students have none.
        lessons = schedule(self.other_cohort, self.m1, self.other_lecturer, [5] * 10, start=dt.date(2026, 3, 3))
        absent(self.other_enrollments[0], lessons[:1])
        report = self.send()
        self.assertEqual(self.smtp.messages, [])
        [warning] = self.warnings(self.other_enrollments[0])
        self.assertEqual(warning.status, WarningStatus.UNREACHABLE)
        self.assertIsNone(warning.sent_at)
        self.assertEqual(warning.unreachable, [Party.STUDENT, Party.LOCALITY])
        self.assertEqual(report.unreachable, 1)
        again = self.send()
        self.assertEqual((again.unreachable, again.crossings), (0, 0))
        self.assertEqual(AbsenceWarning.objects.count(), 1)


class FailureTests(SendingTestCase):
    def test_a_refused_email_is_not_marked_sent_and_the_others_go_on(self):
        Student.objects.filter(pk=self.enrollments[4].student_id).update(email="refuse@binhan.test")
        for enrollment in (self.enrollments[0], self.enrollments[4], self.enrollments[5]):
            absent(enrollment, self.lessons[:1])
        report = self.send()
        self.assertEqual(len(self.smtp.messages), 2)
        self.assertEqual(len(report.failed), 1)
        self.assertIn("refuse@binhan.test", report.failed[0])
        self.assertEqual(report.emails, 2)
        [failed] = self.warnings(self.enrollments[4])
        self.assertEqual(failed.status, WarningStatus.FAILED)
        self.assertIsNone(failed.sent_at)
        self.assertEqual(failed.attempts, 1)
        self.assertIn("554", failed.error)
        self.assertTrue(all(w.status == WarningStatus.SENT for e in (0, 5) for w in self.warnings(self.enrollments[e])))
        # Next run, the address fixed: that one is sent, nobody else mailed again.
        Student.objects.filter(pk=self.enrollments[4].student_id).update(email="hv4@binhan.test")
        self.smtp.clear()
        later = NOW + dt.timedelta(days=1)
        report = self.send(now=later)
        [message] = self.smtp.messages
        self.assertIn("hv4@binhan.test", message["To"])
        [sent] = self.warnings(self.enrollments[4])
        self.assertEqual((sent.status, sent.attempts, sent.error, sent.sent_at), (WarningStatus.SENT, 2, "", later))
        self.assertEqual((report.crossings, report.emails), (0, 1))

    def test_a_server_out_of_reach_fails_every_email(self):
        from django.test import override_settings

        absent(self.enrollments[0], self.lessons[:1])
        absent(self.enrollments[1], self.lessons[:1])
        with override_settings(EMAIL_PORT=1):
            report = self.send()
        self.assertEqual(len(report.failed), 2)
        self.assertEqual(report.emails, 0)
        self.assertEqual(set(AbsenceWarning.objects.values_list("status", flat=True)), {WarningStatus.FAILED})


class CorrectionTests(SendingTestCase):
    def test_a_corrected_attendance_withdraws_the_warning_and_a_new_crossing_warns_again(self):
        enrollment = self.enrollments[0]
        absent(enrollment, self.lessons[:1])
        self.send()
        Attendance.objects.filter(enrollment=enrollment).delete()  # it was a mistake
        report = self.send(now=NOW + dt.timedelta(hours=1))
        self.assertEqual(report.withdrawn, 1)
        [withdrawn] = self.warnings(enrollment)
        self.assertIsNotNone(withdrawn.withdrawn_at)
        self.assertEqual(withdrawn.status, WarningStatus.SENT)  # what was sent stays on record
        absent(enrollment, self.lessons[5:6])  # a real absence later
        self.smtp.clear()
        self.send(now=NOW + dt.timedelta(hours=2))
        self.assertEqual(len(self.smtp.messages), 1)
        first, second = self.warnings(enrollment)
        self.assertEqual((first.threshold, second.threshold), (50, 50))
        self.assertIsNone(second.withdrawn_at)

    def test_an_earlier_day_does_not_withdraw_a_later_warning(self):
        absent(self.enrollments[0], self.lessons[5:6])
        self.send()
        report = self.send(today=FIRST_DAY)  # before that lesson
        self.assertEqual(report.withdrawn, 0)
        self.assertIsNone(AbsenceWarning.objects.get().withdrawn_at)


class ScopeOfTheRunTests(SendingTestCase):
    def test_lessons_after_the_day_are_not_counted(self):
        absent(self.enrollments[0], self.lessons[3:4])  # 5/3/2026
        self.send(today=FIRST_DAY + dt.timedelta(days=2))
        self.assertEqual(self.smtp.messages, [])
        self.send(today=FIRST_DAY + dt.timedelta(days=3))
        self.assertEqual(len(self.smtp.messages), 1)

    def test_only_studying_students_of_open_classes(self):
        absent(self.enrollments[0], self.lessons[:1])
        absent(self.enrollments[1], self.lessons[:1])
        Enrollment.objects.filter(pk=self.enrollments[1].pk).update(status="withdrawn")
        self.send()
        self.assertEqual([w.enrollment_id for w in AbsenceWarning.objects.all()], [self.enrollments[0].pk])
        Cohort.objects.filter(pk=self.cohort.pk).update(status="closed")
        absent(self.enrollments[2], self.lessons[:1])
        report = self.send()
        self.assertEqual((report.classes, report.crossings), (1, 0))  # TC02 only

    def test_a_dry_run_writes_and_sends_nothing(self):
        absent(self.enrollments[0], self.lessons[:2])
        report = self.send(dry_run=True)
        self.assertEqual(self.smtp.messages, [])
        self.assertFalse(AbsenceWarning.objects.exists())
        self.assertEqual(report.crossings, 3)  # 10 of 10: 50%, 80% and 100%
        [line] = report.lines
        self.assertIn("TC01", line)
        self.assertIn("hv0@binhan.test", line)
