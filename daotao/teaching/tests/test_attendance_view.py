"""The attendance page: the class list in Vietnamese class order with everyone present;
the lecturer marks only the exceptions and one submit saves them."""

from django.urls import reverse

from daotao.cohorts.models import Enrollment
from daotao.people.models import Student
from daotao.teaching.models import Attendance
from daotao.teaching.tests.base import TeachingTestCase
from daotao.testing import load_testdata, make_student


class AttendanceViewTests(TeachingTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.lesson = cls.schedule()
        cls.url = reverse("teaching:attendance", args=[cls.lesson.pk])

    def test_everyone_present_by_default_in_class_order(self):
        names = load_testdata("names-order.json")
        for name in names["input"][:8]:
            Enrollment.objects.create(cohort=self.cohort, student=make_student(name))
        cancelled = Enrollment.objects.create(
            cohort=self.cohort, student=make_student("Hồ Văn Hủy"), status="cancelled"
        )
        self.login(self.lecturer_user)
        response = self.client.get(self.url)
        rows = response.context["rows"]
        shown = [enrollment.student.full_name for enrollment, _status in rows]
        expected = [name for name in names["expected"] if name in names["input"][:8]]
        self.assertEqual([name for name in shown if name in expected], expected)
        self.assertNotIn(cancelled.pk, [enrollment.pk for enrollment, _status in rows])
        self.assertEqual({status for _enrollment, status in rows}, {"present"})
        self.assertContains(response, 'value="present" aria-label', count=len(rows))
        self.assertContains(response, " checked", count=len(rows))

    def test_one_submit_saves_the_exceptions(self):
        first, second = self.enrollments[:2]
        self.login(self.lecturer_user)
        data = {f"status-{e.pk}": "present" for e in self.enrollments}
        data[f"status-{first.pk}"] = "excused"
        data[f"status-{second.pk}"] = "late"
        response = self.client.post(self.url, data)
        self.assertRedirects(response, reverse("teaching:my"))
        self.assertEqual(
            dict(Attendance.objects.values_list("enrollment_id", "status")), {first.pk: "excused", second.pk: "late"}
        )
        self.lesson.refresh_from_db()
        self.assertIsNotNone(self.lesson.attendance_taken_at)
        # Shown again as recorded; a second save replaces the exceptions.
        rows = dict(self.client.get(self.url).context["rows"])
        self.assertEqual(rows[first], "excused")
        self.client.post(self.url, {f"status-{second.pk}": "unexcused"})
        self.assertEqual(dict(Attendance.objects.values_list("enrollment_id", "status")), {second.pk: "unexcused"})

    def test_a_bad_status_changes_nothing(self):
        self.login(self.office)
        response = self.client.post(self.url, {f"status-{self.enrollments[0].pk}": "asleep"})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Attendance.objects.exists())
        self.assertContains(response, "asleep")

    def test_who_may_take_it(self):
        self.login(self.office)
        self.assertEqual(self.client.get(self.url).status_code, 200)
        self.login(self.other_lecturer_user)  # teaches another module of this class
        self.assertEqual(self.client.get(self.url).status_code, 403)
        other = self.schedule(cohort=self.other_cohort, lecturer=self.other_lecturer)
        self.login(self.lecturer_user)  # not a lecturer of the other class
        self.assertEqual(self.client.get(reverse("teaching:attendance", args=[other.pk])).status_code, 404)
        self.login(self.coordinator)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.assertEqual(self.client.post(self.url, {}).status_code, 403)
        for user in (self.student_user, self.other_coordinator):
            self.login(user)
            self.assertIn(self.client.get(self.url).status_code, (403, 404))
        self.assertFalse(Attendance.objects.exists())

    def test_queries_do_not_grow_with_the_class(self):
        self.login(self.lecturer_user)
        self.client.get(self.url)
        # 9: the class's header asks once whether the lecturer sees the class whole.
        with self.assertNumQueries(9) as first:
            self.client.get(self.url)
        students = [make_student(f"Học Viên Thêm {i}") for i in range(10)]
        Enrollment.objects.bulk_create([Enrollment(cohort=self.cohort, student=s) for s in students])
        self.assertEqual(Student.objects.count(), 19)
        with self.assertNumQueries(len(first.captured_queries)):
            self.client.get(self.url)
