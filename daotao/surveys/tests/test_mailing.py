"""Invitations and reminders by email, through a real SMTP server on loopback."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO
from zoneinfo import ZoneInfo

import time_machine
from django.core.management import CommandError, call_command
from django.test import override_settings

from daotao.grading.models import GraduationDecision, GraduationEntry
from daotao.people.models import Student
from daotao.surveys import mailing, services
from daotao.surveys.models import Invitation
from daotao.surveys.results import round_results
from daotao.surveys.tests.base import TODAY, SurveyWorldTestCase
from daotao.testing_smtp import SmtpTestMixin, body

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: dt.date, hour=8) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=ZONE)


@override_settings(DAOTAO_SITE_URL="https://daotao.truong.test")
class InvitationMailTests(SmtpTestMixin, SurveyWorldTestCase):
    def setUp(self):
        super().setUp()
        self.round = self.make_round(title="Đánh giá khóa học TC01")

    def test_each_student_gets_a_working_link_by_smtp(self):
        report = mailing.round_send(self.round, now=at(TODAY))
        self.assertEqual((report.invited, report.reminded, report.without_email), (6, 0, 0))
        messages = self.smtp.messages
        self.assertEqual(sorted(m["To"] for m in messages), sorted(s.email for s in self.students))
        message = next(m for m in messages if m["To"] == self.students[0].email)
        self.assertIn("Đánh giá khóa học TC01", message["Subject"])
        text = body(message)
        self.assertIn(self.students[0].full_name, text)
        self.assertIn("15/06/2026", text)
        link = re.search(r"https://daotao\.truong\.test/surveys/s/(\S+)/", text)
        invitation = Invitation.from_token(link.group(1))
        self.assertEqual(invitation.student, self.students[0])
        self.assertIsNotNone(invitation.first_sent_at)
        # The link in the mail opens the form.
        with time_machine.travel(at(TODAY), tick=False):
            page = self.client.get(f"/surveys/s/{link.group(1)}/")
        self.assertEqual(page.status_code, 200)

    def test_reminders_go_to_those_who_have_not_answered_when_due_and_at_most_twice(self):
        mailing.round_send(self.round, now=at(TODAY))
        answered = self.invitations(self.round)[0]
        services.response_submit(invitation=answered, values=self.full_values(), today=TODAY)
        self.smtp.clear()

        # Two days later: not yet due (every 3 days).
        report = mailing.round_send(self.round, now=at(TODAY + dt.timedelta(days=2)))
        self.assertEqual((report.invited, report.reminded), (0, 0))
        self.assertEqual(self.smtp.messages, [])

        first, reminders = mailing.invitations_due(self.round, at(TODAY + dt.timedelta(days=3)))
        self.assertEqual(first.count(), 0)
        self.assertEqual(sorted(i.student_id for i in reminders), sorted(s.pk for s in self.students[1:]))

        report = mailing.round_send(self.round, now=at(TODAY + dt.timedelta(days=3)))
        self.assertEqual(report.reminded, 5)
        self.assertNotIn(self.students[0].email, [m["To"] for m in self.smtp.messages])
        self.assertTrue(
            all("Nhắc" in m["Subject"] for m in self.smtp.messages), [m["Subject"] for m in self.smtp.messages]
        )
        mailing.round_send(self.round, now=at(TODAY + dt.timedelta(days=6)))
        self.smtp.clear()
        report = mailing.round_send(self.round, now=at(TODAY + dt.timedelta(days=9)))
        self.assertEqual(report.reminded, 0)  # max_reminders = 2
        self.assertEqual(
            sorted(Invitation.objects.filter(round=self.round).values_list("reminders_sent", flat=True)),
            [0, 2, 2, 2, 2, 2],
        )

    def test_reminders_are_due_by_the_day_not_the_hour(self):
        mailing.round_send(self.round, now=at(TODAY, hour=9))
        # Three days later the daily job starts earlier (7:00): the reminder still goes.
        report = mailing.round_send(self.round, now=at(TODAY + dt.timedelta(days=3), hour=7))
        self.assertEqual(report.reminded, 6)

    def test_a_student_who_left_the_class_is_neither_reminded_nor_counted(self):
        mailing.round_send(self.round, now=at(TODAY))
        self.enrollments[1].status = "withdrawn"
        self.enrollments[1].save()
        report = mailing.round_send(self.round, now=at(TODAY + dt.timedelta(days=3)))
        self.assertEqual(report.reminded, 5)
        self.assertNotIn(self.students[1].email, [m["To"] for m in self.smtp.messages[-5:]])
        self.assertEqual(round_results(self.round, show_text=False).invited, 5)

    def test_people_without_an_address_are_counted_not_mailed(self):
        Student.objects.filter(pk__in=[s.pk for s in self.students[:2]]).update(email="")
        other = self.make_round(title="Đánh giá giảng viên", subject="lecturer", lecturer=self.lecturer)
        report = mailing.round_send(other, now=at(TODAY))
        self.assertEqual((report.invited, report.without_email), (4, 2))
        self.assertEqual(len(self.smtp.messages), 4)

    def test_a_refused_address_is_retried_next_time(self):
        Student.objects.filter(pk=self.students[0].pk).update(email="khong-hop-le@")
        Invitation.objects.filter(round=self.round, student=self.students[0]).update(email="khong-hop-le@")
        report = mailing.round_send(self.round, now=at(TODAY))
        self.assertEqual(report.invited, 5)
        self.assertEqual(len(report.failed), 1)
        self.assertTrue(
            Invitation.objects.filter(round=self.round, student=self.students[0], first_sent_at__isnull=True).exists()
        )

    def test_a_failed_reminder_of_an_anonymous_round_does_not_name_who_has_not_answered(self):
        mailing.round_send(self.round, now=at(TODAY))
        Invitation.objects.filter(round=self.round, student=self.students[1]).update(email="khong-hop-le@")
        report = mailing.round_send(self.round, now=at(TODAY + dt.timedelta(days=3)))
        self.assertEqual(len(report.failed), 1)
        self.assertNotIn("khong-hop-le", report.failed[0])
        self.assertIn("thư nhắc", report.failed[0])


class CommandTests(SmtpTestMixin, SurveyWorldTestCase):
    def test_the_daily_command_sends_open_rounds_only(self):
        open_round = self.make_round(title="Đang mở")
        self.make_round(title="Chưa mở", opens_on=dt.date(2026, 6, 10), closes_on=dt.date(2026, 6, 30))
        self.make_round(title="Đã đóng", opens_on=dt.date(2026, 5, 1), closes_on=dt.date(2026, 5, 20))
        out = StringIO()
        with time_machine.travel(at(TODAY), tick=False):
            call_command("send_survey_invitations", stdout=out)
        self.assertEqual({m["Subject"].split(": ", 1)[1] for m in self.smtp.messages}, {open_round.title})
        self.assertIn("6", out.getvalue())
        self.smtp.clear()
        with time_machine.travel(at(TODAY), tick=False):
            call_command("send_survey_invitations", stdout=StringIO())
        self.assertEqual(self.smtp.messages, [])  # nothing twice

    def test_after_course_rounds_wait_for_their_months(self):
        self.cohort.closing_date = dt.date(2026, 3, 20)
        self.cohort.save()
        decision = GraduationDecision.objects.create(cohort=self.cohort, number="9-QĐ", date=dt.date(2026, 3, 20))
        for enrollment in self.enrollments:
            GraduationEntry.objects.create(decision=decision, enrollment=enrollment, classification="fair")
        self.make_round(
            title="Sau khóa học", phase="after", audience="graduates", subject="effect", anonymous=False,
            months_after=3, opens_on=None, closes_on=dt.date(2026, 7, 31),
        )  # fmt: skip
        with time_machine.travel(at(dt.date(2026, 6, 19)), tick=False):
            call_command("send_survey_invitations", stdout=StringIO())
        self.assertEqual(self.smtp.messages, [])
        with time_machine.travel(at(dt.date(2026, 6, 20)), tick=False):
            call_command("send_survey_invitations", stdout=StringIO())
        self.assertEqual(len(self.smtp.messages), 6)

    def test_a_bad_date_is_refused_with_a_message(self):
        with self.assertRaisesMessage(CommandError, "31/02/2026"):
            call_command("send_survey_invitations", "--today", "31/02/2026", stdout=StringIO())
