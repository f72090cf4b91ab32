"""The peer observation form: any lecturer of the school observes a colleague's lesson;
the training office records anyone's observation."""

from django.urls import reverse

from daotao.teaching.models import PeerObservation
from daotao.teaching.tests.base import TeachingTestCase
from daotao.testing import make_lecturer


class ObservationViewTests(TeachingTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.lesson = cls.schedule()
        cls.url = reverse("teaching:observe", args=[cls.lesson.pk])
        cls.visitor = make_lecturer("Phạm Thị Khách", cls.other_faculty, "gv9")  # teaches no class

    def test_any_lecturer_observes(self):
        self.login(self.visitor.user)
        response = self.client.get(self.url)
        self.assertNotIn("observer", response.context["form"].fields)
        response = self.client.post(self.url, {"rating": "good", "notes": "Sinh động"})
        self.assertRedirects(response, self.url)
        observation = PeerObservation.objects.get()
        self.assertEqual((observation.observer, observation.rating), (self.visitor, "good"))
        response = self.client.get(self.url)
        self.assertEqual(response.context["form"].initial["rating"], "good")
        self.assertContains(response, "Sinh động")

    def test_the_office_chooses_the_observer(self):
        self.login(self.office)
        response = self.client.get(self.url)
        self.assertNotIn(self.lecturer, response.context["form"].fields["observer"].queryset)
        response = self.client.post(self.url, {"observer": self.other_lecturer.pk, "rating": "excellent"})
        self.assertRedirects(response, self.url)
        self.assertEqual(PeerObservation.objects.get().observer, self.other_lecturer)
        response = self.client.post(self.url, {"observer": self.lecturer.pk, "rating": "excellent"})
        self.assertTrue(response.context["form"].errors["observer"])

    def test_who_sees_the_observations(self):
        PeerObservation.objects.create(lesson=self.lesson, observer=self.visitor, rating="good", notes="Ghi chú riêng")
        self.login(self.other_lecturer_user)  # another observer sees only the lesson's visible ones
        response = self.client.get(self.url)
        self.assertContains(response, "Ghi chú riêng")  # gv2 is a lecturer of this class

    def test_refused(self):
        self.login(self.lecturer_user)  # own lesson
        self.assertEqual(self.client.get(self.url).status_code, 403)
        for user in (self.coordinator, self.student_user, self.nobody):
            self.login(user)
            self.assertEqual(self.client.post(self.url, {"rating": "good"}).status_code, 403)
        self.login(self.visitor.user)
        self.assertEqual(self.client.get(reverse("teaching:observe", args=[999999])).status_code, 404)
        self.assertFalse(PeerObservation.objects.exists())
