"""The lecture log form with the six boxes of the "3 tăng, 3 giảm" checklist."""

from django.urls import reverse

from daotao.teaching.models import LectureLog
from daotao.teaching.tests.base import TeachingTestCase


class LectureLogViewTests(TeachingTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.lesson = cls.schedule()
        cls.url = reverse("teaching:log", args=[cls.lesson.pk])

    def test_six_boxes_saved_and_shown_again(self):
        self.login(self.lecturer_user)
        response = self.client.get(self.url)
        self.assertContains(response, 'type="checkbox" name="methods"', count=6)
        response = self.client.post(self.url, {"methods": ["dialogue", "less_monologue"], "content": "Bài 1"})
        self.assertRedirects(response, reverse("teaching:my"))
        log = LectureLog.objects.get()
        self.assertEqual(
            (log.methods, log.uses_active_methods, log.content), (["dialogue", "less_monologue"], True, "Bài 1")
        )
        response = self.client.get(self.url)
        self.assertEqual(response.context["form"].initial["methods"], ["dialogue", "less_monologue"])
        self.client.post(self.url, {"methods": ["less_theory"]})
        self.assertFalse(LectureLog.objects.get().uses_active_methods)

    def test_the_office_returns_to_the_timetable(self):
        self.login(self.office)
        response = self.client.post(self.url, {"methods": ["practice"]})
        self.assertRedirects(response, reverse("teaching:cohort", args=[self.cohort.pk]))

    def test_unknown_method_redisplays(self):
        self.login(self.lecturer_user)
        response = self.client.post(self.url, {"methods": ["shouting"]})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors["methods"])
        self.assertFalse(LectureLog.objects.exists())

    def test_who_may_keep_it(self):
        self.login(self.other_lecturer_user)
        self.assertEqual(self.client.post(self.url, {"methods": ["practice"]}).status_code, 403)
        self.login(self.coordinator)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.login(self.other_coordinator)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertFalse(LectureLog.objects.exists())
