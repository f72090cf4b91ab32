"""A survey world on top of the teaching world: a questionnaire with one question of each
kind, and rounds of the class ``cohort`` (6 students) built through the services."""

from __future__ import annotations

import datetime as dt

from daotao.surveys import pool, services
from daotao.surveys.models import Invitation, Question, QuestionKind, Questionnaire, Section
from daotao.testing import TeachingWorldTestCase

TODAY = dt.date(2026, 6, 1)
# A day when every round of these tests has closed.
AFTER = dt.date(2027, 2, 1)


def make_questionnaire(title="Phiếu đánh giá khóa học", ratings=3, optional_ratings=0):
    """A questionnaire whose first version holds ``ratings`` required 1-10 ratings (and
    ``optional_ratings`` optional ones), one single choice, one multiple choice, one number
    and one free text (all optional)."""
    questionnaire = Questionnaire.objects.create(title=title)
    version = services.version_draft(questionnaire=questionnaire)
    section = Section.objects.create(version=version, title="Chương trình", order=1)
    order = 0
    questions = []

    def add(**fields):
        nonlocal order
        order += 1
        question = Question(version=version, section=section, order=order, **fields)
        question.full_clean()
        question.save()
        questions.append(question)
        return question

    for number in range(ratings):
        add(text=f"Nội dung {number + 1}", kind=QuestionKind.RATING, required=True, scale_min=1, scale_max=10)
    for number in range(optional_ratings):
        add(text=f"Nội dung thêm {number + 1}", kind=QuestionKind.RATING, scale_min=1, scale_max=10)
    add(text="Hình thức học", kind=QuestionKind.SINGLE, choices=["Tập trung", "Không tập trung"])
    add(text="Nội dung muốn học thêm", kind=QuestionKind.MULTIPLE, choices=["Lý luận", "Kỹ năng", "Pháp luật"])
    add(text="Số năm công tác", kind=QuestionKind.NUMBER)
    add(text="Góp ý", kind=QuestionKind.TEXT)
    return version, questions


class SurveyWorldTestCase(TeachingWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.version, cls.questions = make_questionnaire()
        cls.students = [enrollment.student for enrollment in cls.enrollments]
        for index, student in enumerate(cls.students):
            student.email = f"hv{index}@example.test"
            student.save()

    def make_round(self, **fields) -> object:
        defaults = {
            "title": "Đánh giá khóa học",
            "version": self.version,
            "cohort": self.cohort,
            "phase": "end",
            "subject": "course",
            "audience": "students",
            "anonymous": True,
            "opens_on": dt.date(2026, 5, 25),
            "closes_on": dt.date(2026, 6, 15),
        }
        defaults.update(fields)
        survey_round = services.round_create(user=self.office, **defaults)
        services.invitations_create(survey_round=survey_round)
        return survey_round

    def close(self) -> None:
        """What the daily step does once the rounds have closed: the anonymous forms written
        out of the pool."""
        pool.flush_due(today=AFTER)

    def invitations(self, survey_round) -> list[Invitation]:
        return list(Invitation.objects.filter(round=survey_round).select_related("round").order_by("id"))

    def full_values(self, score=8, text="Rất bổ ích") -> dict:
        """An answer to every question."""
        values = {}
        for question in self.questions:
            values[question.pk] = {
                QuestionKind.RATING: score,
                QuestionKind.SINGLE: 0,
                QuestionKind.MULTIPLE: [0, 2],
                QuestionKind.NUMBER: 12,
                QuestionKind.TEXT: text,
            }[question.kind]
        return values
