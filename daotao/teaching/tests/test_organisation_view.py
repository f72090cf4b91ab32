"""The class's organisation page: everyone in scope reads it, the training office edits
it; the field trip report is served only through the scoped download."""

import datetime as dt
import tempfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from daotao.cohorts.models import Cohort
from daotao.essays.models import LocalIssue
from daotao.teaching.models import ClassOfficer, FieldTrip, SteeringCommitteeMember, TeachingAssignment
from daotao.teaching.tests.base import TeachingTestCase

MEDIA = tempfile.mkdtemp(prefix="daotao-test-media-")


@override_settings(MEDIA_ROOT=MEDIA)
class OrganisationViewTests(TeachingTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.url = reverse("teaching:organisation", args=[cls.cohort.pk])
        cls.issue = LocalIssue.objects.create(locality=cls.x01, title="Chuyển đổi số", year=2026, status="approved")

    def post(self, name, data, **kwargs):
        return self.client.post(reverse(f"teaching:{name}", args=[self.cohort.pk]), data, **kwargs)

    def test_office_edits_the_organisation(self):
        self.login(self.office)
        self.assertIsNotNone(self.client.get(self.url).context["forms"])
        self.assertRedirects(self.post("homeroom_set", {"lecturer": self.lecturer.pk}), self.url)
        self.assertEqual(Cohort.objects.get(pk=self.cohort.pk).homeroom_lecturer, self.lecturer)
        self.assertRedirects(
            self.post("assignment_add", {"module": self.m3.pk, "lecturer": self.lecturer.pk}), self.url
        )
        self.assertTrue(TeachingAssignment.objects.filter(cohort=self.cohort, module=self.m3, lecturer=self.lecturer))
        monitor = self.enrollments[2]
        self.assertRedirects(self.post("officer_add", {"enrollment": monitor.pk, "role": "monitor"}), self.url)
        self.assertEqual(ClassOfficer.objects.get().enrollment, monitor)
        member = {"side": "locality", "full_name": "Trần Thị Mai", "position": "Phó Bí thư", "role": "deputy"}
        self.assertRedirects(self.post("committee_add", member), self.url)
        report = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 test", content_type="application/pdf")
        trip = {
            "locality": self.x01.pk,
            "place": "UBND phường",
            "start_date": "11/05/2026",
            "end_date": "13/05/2026",
            "topics": [self.issue.pk],
            "report": report,
        }
        self.assertRedirects(self.post("field_trip_add", trip), self.url)
        trip = FieldTrip.objects.get()
        self.assertEqual((trip.start_date, list(trip.topics.all())), (dt.date(2026, 5, 11), [self.issue]))
        response = self.client.get(self.url)
        for text in ("Trần Văn Giảng", "Trần Thị Mai", "Chuyển đổi số", "11/05/2026", monitor.student.full_name):
            self.assertContains(response, text)

    def test_errors_redisplay_the_page(self):
        self.login(self.office)
        response = self.post("committee_add", {"side": "school", "role": "member"})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["forms"]["committee"].errors["full_name"])
        response = self.post(
            "field_trip_add", {"locality": self.x01.pk, "start_date": "11/05/2026", "end_date": "01/05/2026"}
        )
        self.assertTrue(response.context["forms"]["trip"].errors["end_date"])
        response = self.post("officer_add", {"enrollment": self.other_enrollments[0].pk, "role": "monitor"})
        self.assertTrue(response.context["forms"]["officer"].errors["enrollment"])  # not of this class
        self.assertFalse(SteeringCommitteeMember.objects.exists() or FieldTrip.objects.exists())
        self.assertFalse(ClassOfficer.objects.exists())

    def test_removals(self):
        self.login(self.office)
        officer = ClassOfficer.objects.create(enrollment=self.enrollments[0], role="monitor")
        member = SteeringCommitteeMember.objects.create(cohort=self.cohort, full_name="A", side="school")
        assignment = TeachingAssignment.objects.get(cohort=self.cohort, module=self.m3)
        self.schedule(module=self.m3, lecturer=self.other_lecturer)
        url = reverse("teaching:officer_remove", args=[self.cohort.pk, officer.pk])
        self.assertEqual(self.client.get(url).status_code, 405)
        self.assertRedirects(self.client.post(url), self.url)
        self.client.post(reverse("teaching:committee_remove", args=[self.cohort.pk, member.pk]))
        self.client.post(reverse("teaching:assignment_remove", args=[self.cohort.pk, assignment.pk]))  # has a lesson
        self.assertFalse(ClassOfficer.objects.exists() or SteeringCommitteeMember.objects.exists())
        self.assertTrue(TeachingAssignment.objects.filter(pk=assignment.pk).exists())
        wrong_class = reverse("teaching:assignment_remove", args=[self.other_cohort.pk, assignment.pk])
        self.assertEqual(self.client.post(wrong_class).status_code, 404)

    def test_field_trip_edit_keeps_the_report(self):
        trip = FieldTrip.objects.create(
            cohort=self.cohort, locality=self.x01, start_date=dt.date(2026, 5, 11), end_date=dt.date(2026, 5, 13)
        )
        trip.report.save("cu.pdf", SimpleUploadedFile("cu.pdf", b"%PDF old"))
        name = trip.report.name
        self.login(self.office)
        url = reverse("teaching:field_trip_edit", args=[trip.pk])
        self.assertContains(self.client.get(url), 'value="11/05/2026"')
        data = {"locality": self.x01.pk, "place": "Mới", "start_date": "12/05/2026", "end_date": "13/05/2026"}
        self.assertRedirects(self.client.post(url, data), self.url)
        trip.refresh_from_db()
        self.assertEqual((trip.place, trip.start_date, trip.report.name), ("Mới", dt.date(2026, 5, 12), name))
        self.login(self.coordinator)
        self.assertEqual(self.client.get(url).status_code, 403)

    def test_readers_and_the_scoped_report(self):
        trip = FieldTrip.objects.create(
            cohort=self.cohort, locality=self.x01, start_date=dt.date(2026, 5, 11), end_date=dt.date(2026, 5, 13)
        )
        trip.report.save("bao-cao.pdf", SimpleUploadedFile("bao-cao.pdf", b"%PDF report"))
        download = reverse("teaching:field_trip_report", args=[trip.pk])
        for user in (self.coordinator, self.lecturer_user):
            self.login(user)
            response = self.client.get(self.url)
            self.assertIsNone(response.context["forms"])
            self.assertContains(response, download)
            self.assertNotContains(response, "/media/")
            response = self.client.get(download)
            self.assertEqual(b"".join(response.streaming_content), b"%PDF report")
            self.assertIn("attachment", response["Content-Disposition"])
            self.assertEqual(self.post("homeroom_set", {"lecturer": self.lecturer.pk}).status_code, 403)
        for user in (self.other_coordinator,):
            self.login(user)
            self.assertEqual(self.client.get(self.url).status_code, 404)
            self.assertEqual(self.client.get(download).status_code, 404)
        self.login(self.student_user)
        self.assertEqual(self.client.get(download).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(download).status_code, 302)

    def test_queries_do_not_grow_with_records(self):
        def add(index, enrollment):
            ClassOfficer.objects.create(enrollment=enrollment, role="group_leader")
            SteeringCommitteeMember.objects.create(cohort=self.cohort, full_name=f"Ủy viên {index}", side="school")
            trip = FieldTrip.objects.create(
                cohort=self.cohort, locality=self.x01, start_date=dt.date(2026, 5, 11), end_date=dt.date(2026, 5, 13)
            )
            trip.topics.add(self.issue)

        add(0, self.enrollments[0])
        self.login(self.office)
        self.client.get(self.url)
        with self.assertNumQueries(17) as first:
            self.client.get(self.url)
        for index, enrollment in enumerate(self.enrollments[1:], start=1):
            add(index, enrollment)
        with self.assertNumQueries(len(first.captured_queries)):
            self.client.get(self.url)
