"""A student's own results page: their grades per module, attendance and essay, nobody
else's."""

import datetime as dt
from decimal import Decimal as D

from django.urls import reverse
from django.utils import timezone

from daotao.essays.models import Essay
from daotao.grading.models import Grade
from daotao.teaching.models import Attendance, Lesson
from daotao.testing import TeachingWorldTestCase


class MyResultsTests(TeachingWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.first, cls.second = cls.enrollments[:2]
        test, exam = cls.m1.assessments.order_by("order")
        Grade.objects.create(enrollment=cls.first, assessment=test, score=D("6.5"))
        Grade.objects.create(enrollment=cls.first, assessment=exam, absent=True)
        Grade.objects.create(enrollment=cls.first, assessment=exam, attempt=2, score=D("8"))
        Grade.objects.create(enrollment=cls.second, assessment=test, score=D("9.5"))
        lessons = [
            Lesson.objects.create(
                cohort=cls.cohort, module=cls.m1, lecturer=cls.lecturer, date=dt.date(2026, 4, day),
                session="morning", periods=5, attendance_taken_at=timezone.now(),
            )
            for day in range(1, 7)
        ]  # fmt: skip
        lesson = lessons[0]
        Attendance.objects.create(lesson=lesson, enrollment=cls.first, status="excused")
        cls.url = reverse("grading:my")

    def page(self, user):
        self.client.force_login(user)
        return self.client.get(self.url)

    def test_own_grades_attendance_and_result(self):
        response = self.page(self.student_user)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, f"<p>{self.first.student.full_name} ·")
        self.assertContains(response, "<strong>6,5</strong>")
        self.assertContains(response, "<strong>8,0</strong>")  # the retake
        self.assertContains(response, "7,6*")  # 0,3 x 6,5 + 0,7 x 8 after a retake
        self.assertContains(response, "5/30")  # missed 5 of the 30 periods held
        self.assertNotContains(response, "9,5")
        self.assertNotContains(response, self.second.student.full_name + " ·")
        self.assertNotContains(response, self.first.student.national_id)

    def test_essay_when_there_is_one(self):
        self.assertNotContains(self.page(self.student_user), "Bài tiểu luận đề tài")
        Essay.objects.create(enrollment=self.first, title="Bài tiểu luận đề tài nông thôn mới", score=D("8.5"))
        response = self.page(self.student_user)
        self.assertContains(response, "Bài tiểu luận đề tài nông thôn mới")
        self.assertContains(response, "8,5")

    def test_only_students(self):
        for user in (self.lecturer_user, self.office, self.nobody):
            with self.subTest(user=user.username):
                self.assertEqual(self.page(user).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(self.url).status_code, 302)

    def test_the_other_student_sees_their_class_only(self):
        response = self.page(self.other_student_user)
        self.assertContains(response, self.other_cohort.code)
        self.assertNotContains(response, "6,5")

    def test_queries_are_bounded(self):
        self.client.force_login(self.student_user)
        self.client.get(self.url)
        with self.assertNumQueries(14):
            self.client.get(self.url)
