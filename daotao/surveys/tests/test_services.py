"""Versions, rounds, invitations and answering through a single-use link."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from daotao.grading.models import GraduationDecision, GraduationEntry
from daotao.org.models import UnitKind
from daotao.people.models import Student
from daotao.surveys import services
from daotao.surveys.models import Answer, Invitation, Question, QuestionKind, Response, SealedResponse
from daotao.surveys.tests.base import TODAY, SurveyWorldTestCase, make_questionnaire
from daotao.testing import make_module, make_unit


class VersionTests(SurveyWorldTestCase):
    def test_a_used_version_is_frozen_and_editing_makes_a_copy(self):
        self.make_round()
        self.version.refresh_from_db()
        self.assertTrue(self.version.frozen)
        with self.assertRaisesMessage(ValidationError, "Phiên bản 1"):
            services.version_check_editable(self.version)
        draft = services.version_draft(questionnaire=self.version.questionnaire)
        self.assertEqual(draft.number, 2)
        self.assertFalse(draft.frozen)
        self.assertEqual(
            [(q.text, q.kind, q.choices, q.section.title) for q in draft.questions.select_related("section")],
            [(q.text, q.kind, q.choices, q.section.title) for q in self.questions],
        )
        # Changing the copy leaves the wording of the answered version as it was.
        draft.questions.filter(order=1).update(text="Nội dung đã sửa")
        self.assertEqual(Question.objects.get(pk=self.questions[0].pk).text, "Nội dung 1")
        # An unused draft is edited in place, not copied again.
        self.assertEqual(services.version_draft(questionnaire=self.version.questionnaire), draft)

    def test_a_choice_question_needs_two_distinct_choices(self):
        question = Question(version=self.version, text="?", kind=QuestionKind.SINGLE, choices=["Có"])
        with self.assertRaisesMessage(ValidationError, "ít nhất hai"):
            question.full_clean()
        question.choices = ["Có", "Có"]
        with self.assertRaisesMessage(ValidationError, "khác nhau"):
            question.full_clean()


class RoundTests(SurveyWorldTestCase):
    def test_only_the_training_office_creates_rounds(self):
        for user in (self.board, self.coordinator, self.lecturer_user, self.student_user):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                services.round_create(
                    user=user, title="x", version=self.version, cohort=self.cohort, phase="end",
                    closes_on=TODAY,
                )  # fmt: skip

    def test_rules_of_a_round(self):
        cases = [
            ({"subject": "lecturer"}, "lecturer"),
            ({"subject": "module"}, "module"),
            ({"module": make_module(self.programs["BD-CV"], "CV1", 8), "subject": "module"}, "module"),
            ({"phase": "after"}, "months_after"),
            ({"phase": "after", "months_after": 6, "audience": "students"}, "audience"),
            ({"phase": "end", "audience": "managers"}, "audience"),
            ({"anonymous": False}, "anonymous"),
            ({"opens_on": dt.date(2026, 7, 1)}, "closes_on"),
            ({"min_answers": 2}, "min_answers"),  # too few to keep answers anonymous
        ]
        for fields, field in cases:
            with self.subTest(fields=fields), self.assertRaises(ValidationError) as caught:
                self.make_round(**fields)
            if field:
                self.assertIn(field, caught.exception.message_dict)

    def test_invitations_once_per_student_and_only_for_those_still_in_the_class(self):
        Student.objects.filter(pk=self.students[5].pk).update(email="")
        self.enrollments[4].status = "withdrawn"
        self.enrollments[4].save()
        survey_round = self.make_round()
        invitations = self.invitations(survey_round)
        self.assertEqual(len(invitations), 5)
        self.assertNotIn(self.students[4].pk, [i.student_id for i in invitations])
        self.assertEqual(services.invitations_create(survey_round=survey_round), 0)

    def test_managers_are_asked_about_graduates_at_their_agency_or_the_nearest_address(self):
        agency = make_unit("SNV", "Sở Nội vụ", UnitKind.AGENCY, self.province, email="snv@example.test")
        self.h01.email = "h01@example.test"
        self.h01.save()
        Student.objects.filter(pk=self.students[0].pk).update(agency=agency)
        Student.objects.filter(pk=self.students[1].pk).update(locality=self.x01)  # the commune has no address
        decision = GraduationDecision.objects.create(cohort=self.cohort, number="1-QĐ", date=dt.date(2026, 3, 20))
        for enrollment in self.enrollments[:3]:
            GraduationEntry.objects.create(decision=decision, enrollment=enrollment, classification="good")
        self.cohort.closing_date = dt.date(2026, 3, 20)
        self.cohort.save()
        survey_round = self.make_round(
            phase="after", audience="managers", subject="effect", anonymous=False, months_after=2,
            opens_on=None, closes_on=dt.date(2026, 6, 30),
        )  # fmt: skip
        invitations = {i.student_id: i for i in self.invitations(survey_round)}
        self.assertEqual(set(invitations), {s.pk for s in self.students[:3]})  # graduates only
        self.assertEqual(invitations[self.students[0].pk].email, "snv@example.test")
        self.assertEqual(invitations[self.students[1].pk].email, "h01@example.test")
        self.assertIn(self.students[0].full_name, invitations[self.students[0].pk].name)
        self.assertEqual(survey_round.sends_on(), dt.date(2026, 5, 20))


class AnswerTests(SurveyWorldTestCase):
    def setUp(self):
        self.round = self.make_round()
        self.invitation = self.invitations(self.round)[0]

    def test_a_link_is_used_once(self):
        submission = services.response_submit(invitation=self.invitation, values=self.full_values(), today=TODAY)
        self.assertTrue(submission.valid)
        self.close()
        self.assertEqual(Response.objects.get().answers.count(), len(self.questions))
        again = Invitation.from_token(self.invitation.token)
        with self.assertRaises(services.LinkRefused) as caught:
            services.response_submit(invitation=again, values=self.full_values(), today=TODAY)
        self.assertEqual(caught.exception.status, 410)
        self.assertIn("đã được sử dụng", caught.exception.message)
        self.close()
        self.assertEqual(Response.objects.filter(round=self.round).count(), 1)

    def test_two_submissions_with_the_same_stale_link_store_one_form(self):
        # Both were loaded before either was sent (two tabs): the conditional update lets one in.
        first, second = Invitation.from_token(self.invitation.token), Invitation.from_token(self.invitation.token)
        services.response_submit(invitation=first, values=self.full_values(), today=TODAY)
        with self.assertRaises(services.LinkRefused):
            services.response_submit(invitation=second, values=self.full_values(), today=TODAY)
        self.assertEqual(SealedResponse.objects.count(), 1)

    def test_the_link_expires_after_the_closing_day_and_waits_for_the_opening(self):
        services.invitation_check(self.invitation, today=self.round.closes_on)
        with self.assertRaises(services.LinkRefused) as caught:
            services.invitation_check(self.invitation, today=self.round.closes_on + dt.timedelta(days=1))
        self.assertEqual(caught.exception.status, 410)
        self.assertIn("15/06/2026", caught.exception.message)
        with self.assertRaises(services.LinkRefused) as caught:
            services.invitation_check(self.invitation, today=dt.date(2026, 5, 24))
        self.assertIn("25/05/2026", caught.exception.message)

    def test_tokens_cannot_be_guessed_or_altered(self):
        token = self.invitation.token
        self.assertEqual(Invitation.from_token(token), self.invitation)
        ident, mac = token.split("-")
        other = self.invitations(self.round)[1]
        altered = mac[:-1] + ("1" if mac[-1] == "0" else "0")  # one character changed
        for forged in [f"{other.pk}-{mac}", f"{ident}-{altered}", ident, "", "abc-def", "9" * 40 + "-x", "-"]:
            with self.subTest(token=forged):
                self.assertIsNone(Invitation.from_token(forged))
        self.assertNotIn(mac, str(Invitation.objects.filter(pk=self.invitation.pk).values().get()))

    def test_required_questions_and_values_are_checked_and_nothing_is_stored(self):
        values = self.full_values()
        del values[self.questions[0].pk]
        with self.assertRaisesMessage(ValidationError, "Nội dung 1"):
            services.response_submit(invitation=self.invitation, values=values, today=TODAY)
        for question, bad in [
            (self.questions[0], 11),
            (self.questions[0], 0),
            (self.questions[3], 5),
            (self.questions[4], [0, 9]),
            (self.questions[5], "mười"),
        ]:
            with self.subTest(question=question.text, value=bad), self.assertRaises(ValidationError):
                services.response_submit(
                    invitation=self.invitation, values={**self.full_values(), question.pk: bad}, today=TODAY
                )
        self.assertFalse(Response.objects.exists() or SealedResponse.objects.exists())
        self.invitation.refresh_from_db()
        self.assertFalse(self.invitation.answered)


class AnonymityTests(SurveyWorldTestCase):
    def test_an_anonymous_answer_holds_nothing_that_leads_to_a_person(self):
        survey_round = self.make_round()
        invitation = self.invitations(survey_round)[2]
        services.response_submit(invitation=invitation, values=self.full_values(), today=TODAY)
        self.close()
        response = Response.objects.get()
        self.assertIsNone(response.invitation_id)
        self.assertIsNone(response.submitted_at)
        # No relation from an answer or a response reaches an invitation, a student or a user...
        for model in (Response, Answer, SealedResponse):
            targets = {f.related_model for f in model._meta.get_fields() if f.is_relation and f.concrete}
            self.assertEqual(
                targets & {Invitation, Student, type(self.office)},
                {Invitation} if model is Response else set(),
                model,
            )
        self.assertFalse(Response.objects.filter(invitation__isnull=False).exists())
        # ...and the invitation keeps only that an answer was given: no time to match against.
        invitation.refresh_from_db()
        self.assertTrue(invitation.answered)
        times = [f.name for f in Invitation._meta.get_fields() if isinstance(f, models.DateTimeField)]
        self.assertEqual(sorted(times), ["created_at", "first_sent_at", "last_sent_at"])
        self.assertFalse(Invitation.objects.filter(pk=invitation.pk, first_sent_at__isnull=False).exists())

    def test_a_named_round_keeps_who_answered_and_when(self):
        version, _questions = make_questionnaire("Phiếu cơ quan")
        self.cohort.closing_date = dt.date(2026, 3, 20)
        self.cohort.save()
        decision = GraduationDecision.objects.create(cohort=self.cohort, number="2-QĐ", date=dt.date(2026, 3, 20))
        GraduationEntry.objects.create(decision=decision, enrollment=self.enrollments[0], classification="good")
        survey_round = self.make_round(
            version=version, phase="after", audience="graduates", subject="effect", anonymous=False, months_after=2,
            opens_on=None,
        )  # fmt: skip
        invitation = self.invitations(survey_round)[0]
        values = {q.pk: 7 for q in version.questions.filter(kind="rating")}
        response = services.response_submit(invitation=invitation, values=values, today=TODAY).response
        self.assertEqual(response.invitation, invitation)
        self.assertIsNotNone(response.submitted_at)
        self.assertFalse(SealedResponse.objects.exists())  # a named round's form needs no pool


class ValidityTests(SurveyWorldTestCase):
    """Thông tư 10/2017/TT-BNV: a form with more than 5% of its items blank is invalid."""

    def test_five_percent_blank_is_valid_and_more_is_not(self):
        version, questions = make_questionnaire("Phiếu 20 nội dung", ratings=0, optional_ratings=16)
        items = [q for q in questions if q.kind != QuestionKind.TEXT]
        self.assertEqual(len(items), 19)  # 16 ratings, single, multiple, number
        extra = Question.objects.create(version=version, text="Nội dung 20", kind="rating", scale_min=1, scale_max=10)
        items.append(extra)
        full = {q.pk: (0 if q.kind == "single" else [1] if q.kind == "multiple" else 5) for q in items}
        one_blank = dict(full)
        del one_blank[items[0].pk]
        two_blank = dict(one_blank)
        del two_blank[items[1].pk]
        all_questions = [*questions, extra]
        self.assertEqual(services.form_validity(all_questions, full), services.Validity(20, 0, True))
        self.assertEqual(services.form_validity(all_questions, one_blank), services.Validity(20, 1, True))
        self.assertEqual(services.form_validity(all_questions, two_blank), services.Validity(20, 2, False))
        # Free text never counts as an item, answered or not.
        self.assertEqual(services.form_validity(all_questions, {**full, questions[-1].pk: ""}).items, 20)

    def test_an_invalid_form_is_stored_as_invalid(self):
        version, questions = make_questionnaire("Phiếu ngắn", ratings=0, optional_ratings=4)
        survey_round = self.make_round(version=version)
        invitation = self.invitations(survey_round)[0]
        submission = services.response_submit(invitation=invitation, values={questions[0].pk: 9}, today=TODAY)
        self.assertFalse(submission.valid)
        self.close()
        response = Response.objects.get()
        self.assertFalse(response.valid)
        self.assertEqual((response.items, response.blank_items), (7, 6))
        self.assertEqual(Answer.objects.get(response=response).number, Decimal("9"))
