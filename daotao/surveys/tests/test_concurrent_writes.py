"""Writes that may run twice at once (real threads, each with its own database connection,
on SQLite and PostgreSQL): the same career event entered by two people, and a round's
invitations made by the daily command and the office at the same moment. Each row is
written once; no database error."""

import datetime as dt

from django.core.exceptions import ValidationError

from daotao.surveys import outcomes, services
from daotao.surveys.models import CareerEvent, Invitation
from daotao.surveys.tests.base import make_questionnaire
from daotao.testing import TransactionalTeachingWorld, overlapping, run_at_once


class ConcurrentSurveyWriteTests(TransactionalTeachingWorld):
    def test_the_same_career_event_entered_twice_at_once(self):
        student = self.enrollments[0].student

        def enter(_batch):
            return outcomes.career_event_record(
                user=self.office, student=student, kind="appointment", date=dt.date(2026, 9, 1), decision_number="12/QĐ"
            )

        with overlapping(CareerEvent, "save"):
            results, errors = run_at_once(enter, [1, 2])
        self.assertEqual(len(results), 1)
        self.assertEqual(len(errors), 1)
        self.assertIsInstance(errors[0], ValidationError)  # the form says "already on record"
        self.assertEqual(CareerEvent.objects.count(), 1)

    def test_invitations_made_twice_at_once(self):
        version, _questions = make_questionnaire()
        survey_round = services.round_create(
            user=self.office,
            title="Đánh giá khóa học",
            version=version,
            cohort=self.cohort,
            phase="end",
            subject="course",
            audience="students",
            anonymous=True,
            opens_on=dt.date(2026, 5, 25),
            closes_on=dt.date(2026, 6, 15),
        )

        def make(_batch):
            return services.invitations_create(survey_round=survey_round)

        with overlapping(Invitation, "save"):
            results, errors = run_at_once(make, [1, 2])
        self.assertEqual(errors, [])
        self.assertEqual(sorted(results), [0, len(self.enrollments)])
        self.assertEqual(Invitation.objects.filter(round=survey_round).count(), len(self.enrollments))
