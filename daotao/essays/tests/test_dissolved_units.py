"""The topic bank refuses a topic for a locality that existed on no day of the topic's year
(``org/validity.py``): the service, the bank's page (which no longer offers it) and the
admin. A topic of an earlier year stays editable."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse

from daotao.essays import services
from daotao.essays.models import LocalIssue
from daotao.org.tests.dissolved import dissolved_district
from daotao.org.validity import unit_problem
from daotao.testing import WorldTestCase

URL = reverse("essays:issues")


class DissolvedTopicTestCase(WorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.district, cls.commune = dissolved_district(cls.province)
        cls.old_topic = LocalIssue.objects.create(
            locality=cls.district, title="Sáp nhập thôn ở Huyện Cũ", year=2024, status="approved"
        )


class ServiceTests(DissolvedTopicTestCase):
    def test_a_2026_topic_for_a_dissolved_district_is_refused(self):
        count = LocalIssue.objects.count()
        with self.assertRaises(ValidationError) as caught:
            services.local_issue_propose(user=self.office, locality=self.district, title="Đề tài 2026", year=2026)
        self.assertEqual(caught.exception.message_dict, {"locality": [unit_problem(self.district, 2026)]})
        self.assertEqual(LocalIssue.objects.count(), count)

    def test_its_year_of_dissolution_and_its_successor_are_accepted(self):
        services.local_issue_propose(user=self.office, locality=self.district, title="Đề tài 2025", year=2025)
        services.local_issue_propose(user=self.office, locality=self.commune, title="Đề tài 2026", year=2026)
        self.assertEqual(LocalIssue.objects.filter(title__startswith="Đề tài").count(), 2)


class BankPageTests(DissolvedTopicTestCase):
    def test_the_form_does_not_offer_it_and_names_the_reason_when_posted(self):
        self.client.force_login(self.office)
        response = self.client.get(URL)
        offered = [str(value) for value, _label in response.context["form"].fields["locality"].widget.choices]
        self.assertIn(str(self.commune.pk), offered)
        self.assertNotIn(str(self.district.pk), offered)
        response = self.client.post(URL, {"locality": self.district.pk, "title": "Đề tài", "year": 2026})
        self.assertEqual(response.status_code, 200)
        message = unit_problem(self.district, 2026)
        self.assertEqual(response.context["form"].errors["locality"], [message])
        self.assertContains(response, "30/06/2025")
        self.assertFalse(LocalIssue.objects.filter(title="Đề tài").exists())


class AdminTests(DissolvedTopicTestCase):
    def setUp(self):
        self.client.force_login(self.superuser)

    def data(self, **changes):
        return {"locality": self.district.pk, "title": "Đề tài", "description": "", "year": 2026} | changes

    def test_a_new_topic_is_refused_with_the_reason(self):
        response = self.client.post(reverse("admin:essays_localissue_add"), self.data())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["adminform"].form.errors["locality"], [unit_problem(self.district, 2026)])
        self.assertFalse(LocalIssue.objects.filter(title="Đề tài").exists())

    def test_an_old_topic_is_still_edited_but_not_moved_past_the_end(self):
        url = reverse("admin:essays_localissue_change", args=[self.old_topic.pk])
        response = self.client.post(url, self.data(title="Sáp nhập thôn, tổ dân phố", year=2024))
        self.assertEqual(response.status_code, 302)
        self.old_topic.refresh_from_db()
        self.assertEqual(self.old_topic.title, "Sáp nhập thôn, tổ dân phố")
        response = self.client.post(url, self.data(year=2026))
        self.assertEqual(response.status_code, 200)
        self.assertIn("locality", response.context["adminform"].form.errors)
