"""The teaching admin: every list and form opens, lists are scoped and cost the same
number of queries whatever their length."""

import datetime as dt

from django.contrib.auth.models import Permission
from django.urls import reverse

from daotao.teaching.models import Attendance, ClassOfficer, FieldTrip, PeerObservation, SteeringCommitteeMember
from daotao.teaching.tests.base import DAY, TeachingTestCase

MODELS = ["teachingassignment", "lesson", "peerobservation", "classofficer", "steeringcommitteemember", "fieldtrip"]


class TeachingAdminTests(TeachingTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.lesson = cls.schedule()
        cls.elsewhere = cls.schedule(cohort=cls.other_cohort, lecturer=cls.other_lecturer)
        Attendance.objects.create(lesson=cls.lesson, enrollment=cls.enrollments[0], status="late")
        PeerObservation.objects.create(lesson=cls.lesson, observer=cls.other_lecturer, rating="good")
        ClassOfficer.objects.create(enrollment=cls.enrollments[0], role="monitor")
        SteeringCommitteeMember.objects.create(cohort=cls.cohort, full_name="Ủy viên", side="locality")
        FieldTrip.objects.create(cohort=cls.cohort, locality=cls.x01, start_date=DAY, end_date=DAY)

    def test_every_list_and_form_opens(self):
        self.client.force_login(self.superuser)
        for model in MODELS:
            for suffix, args in (("changelist", []), ("add", [])):
                url = reverse(f"admin:teaching_{model}_{suffix}", args=args)
                self.assertEqual(self.client.get(url).status_code, 200, url)
        response = self.client.get(reverse("admin:teaching_lesson_change", args=[self.lesson.pk]))
        self.assertEqual(response.status_code, 200)
        response = self.client.get(reverse("admin:teaching_lesson_changelist"), {"q": "TC01"})
        self.assertEqual(list(response.context["cl"].result_list), [self.lesson])

    def test_lists_are_scoped(self):
        self.coordinator.is_staff = True
        self.coordinator.save()
        self.coordinator.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
        self.client.force_login(self.coordinator)
        response = self.client.get(reverse("admin:teaching_lesson_changelist"))
        self.assertEqual(list(response.context["cl"].result_list), [self.lesson])
        response = self.client.get(reverse("admin:teaching_teachingassignment_changelist"))
        self.assertEqual({a.cohort_id for a in response.context["cl"].result_list}, {self.cohort.pk})

    def test_lesson_list_queries_do_not_grow(self):
        self.client.force_login(self.superuser)
        url = reverse("admin:teaching_lesson_changelist")
        self.client.get(url)
        with self.assertNumQueries(10) as first:
            self.client.get(url)
        for day in range(11, 21):
            self.schedule(date=dt.date(2026, 3, day))
        with self.assertNumQueries(len(first.captured_queries)):
            self.client.get(url)

    def test_lesson_form_queries_do_not_grow_with_attendance(self):
        self.client.force_login(self.superuser)
        url = reverse("admin:teaching_lesson_change", args=[self.lesson.pk])
        self.client.get(url)
        with self.assertNumQueries(11) as first:
            self.client.get(url)
        for enrollment in self.enrollments[1:]:
            Attendance.objects.create(lesson=self.lesson, enrollment=enrollment, status="excused")
        with self.assertNumQueries(len(first.captured_queries)):
            self.client.get(url)
