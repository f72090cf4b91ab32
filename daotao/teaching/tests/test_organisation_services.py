"""The class's organisation: assignments, homeroom lecturer, officers, the steering
committee and field trips; only the training office changes them."""

import datetime as dt
import tempfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile

from daotao.audit.models import history
from daotao.cohorts.models import Cohort
from daotao.essays.models import LocalIssue
from daotao.teaching import services
from daotao.teaching.models import ClassOfficer, FieldTrip, SteeringCommitteeMember, TeachingAssignment
from daotao.teaching.tests.base import TeachingTestCase
from daotao.testing import make_module


class AssignmentTests(TeachingTestCase):
    def test_add_is_idempotent_and_checks_the_program(self):
        first = services.assignment_add(user=self.office, cohort=self.cohort, module=self.m3, lecturer=self.lecturer)
        again = services.assignment_add(user=self.office, cohort=self.cohort, module=self.m3, lecturer=self.lecturer)
        self.assertEqual(first, again)
        with self.assertRaises(ValidationError):
            services.assignment_add(
                user=self.office,
                cohort=self.cohort,
                module=make_module(self.programs["BD-CV"], "CV1", 8),
                lecturer=self.lecturer,
            )
        with self.assertRaises(PermissionDenied):
            services.assignment_add(user=self.lecturer_user, cohort=self.cohort, module=self.m3, lecturer=self.lecturer)

    def test_remove_refused_while_lessons_are_booked(self):
        assignment = TeachingAssignment.objects.get(cohort=self.cohort, module=self.m1, lecturer=self.lecturer)
        lesson = self.schedule()
        with self.assertRaises(ValidationError):
            services.assignment_remove(user=self.office, assignment=assignment)
        services.lesson_cancel(user=self.office, lesson=lesson)
        services.assignment_remove(user=self.office, assignment=assignment)
        self.assertFalse(TeachingAssignment.objects.filter(pk=assignment.pk).exists())


class HomeroomAndOfficerTests(TeachingTestCase):
    def test_homeroom_is_audited(self):
        services.homeroom_set(user=self.office, cohort=self.cohort, lecturer=self.lecturer)
        self.assertEqual(Cohort.objects.get(pk=self.cohort.pk).homeroom_lecturer, self.lecturer)
        self.assertEqual(history(self.cohort).get().changes, {"homeroom_lecturer": [None, self.lecturer.pk]})
        services.homeroom_set(user=self.office, cohort=self.cohort, lecturer=None)
        self.assertIsNone(Cohort.objects.get(pk=self.cohort.pk).homeroom_lecturer)
        with self.assertRaises(PermissionDenied):
            services.homeroom_set(user=self.coordinator, cohort=self.cohort, lecturer=self.lecturer)

    def test_one_monitor_many_group_leaders(self):
        first, second, third = self.enrollments[:3]
        services.officer_set(user=self.office, enrollment=first, role="monitor")
        services.officer_set(user=self.office, enrollment=second, role="monitor")
        services.officer_set(user=self.office, enrollment=first, role="group_leader")
        services.officer_set(user=self.office, enrollment=third, role="group_leader")
        services.officer_set(user=self.office, enrollment=third, role="group_leader")
        services.officer_set(user=self.office, enrollment=self.other_enrollments[0], role="monitor")
        rows = set(ClassOfficer.objects.filter(enrollment__cohort=self.cohort).values_list("enrollment_id", "role"))
        self.assertEqual(rows, {(second.pk, "monitor"), (first.pk, "group_leader"), (third.pk, "group_leader")})
        self.assertEqual(ClassOfficer.objects.filter(role="monitor").count(), 2)  # one per class
        with self.assertRaises(ValidationError):
            services.officer_set(user=self.office, enrollment=first, role="king")
        services.officer_remove(user=self.office, officer=ClassOfficer.objects.get(enrollment=third))
        self.assertEqual(ClassOfficer.objects.filter(enrollment__cohort=self.cohort).count(), 2)


class CommitteeTests(TeachingTestCase):
    def test_members_from_both_sides_and_one_head(self):
        services.committee_member_add(
            user=self.office, cohort=self.cohort, full_name="Nguyễn Văn Thành", side="school", role="head"
        )
        services.committee_member_add(
            user=self.office,
            cohort=self.cohort,
            full_name="Trần Thị Mai",
            position="Phó Bí thư Thường trực",
            side="locality",
            role="deputy",
        )
        member = services.committee_member_add(
            user=self.office, cohort=self.cohort, side="school", lecturer=self.lecturer
        )
        self.assertEqual(member.full_name, "Trần Văn Giảng")
        with self.assertRaises(ValidationError) as caught:
            services.committee_member_add(
                user=self.office, cohort=self.cohort, full_name="Ai Đó", side="school", role="head"
            )
        self.assertIn("Nguyễn Văn Thành", caught.exception.messages[0])
        with self.assertRaises(ValidationError):
            services.committee_member_add(
                user=self.office, cohort=self.cohort, side="locality", lecturer=self.other_lecturer
            )
        self.assertEqual(set(SteeringCommitteeMember.objects.values_list("side", flat=True)), {"school", "locality"})
        services.committee_member_remove(user=self.office, member=member)
        self.assertEqual(SteeringCommitteeMember.objects.count(), 2)


class FieldTripTests(TeachingTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.issue = LocalIssue.objects.create(locality=cls.x01, title="Chuyển đổi số cấp phường", year=2026)

    def record(self, **changes):
        values = {
            "user": self.office,
            "cohort": self.cohort,
            "locality": self.x01,
            "place": "UBND phường Nam Sơn",
            "start_date": dt.date(2026, 5, 11),
            "end_date": dt.date(2026, 5, 13),
            "topics": [self.issue],
        }
        values.update(changes)
        return services.field_trip_record(**values)

    def test_records_and_changes_a_trip(self):
        with tempfile.TemporaryDirectory() as media, self.settings(MEDIA_ROOT=media):
            trip = self.record(report=ContentFile(b"%PDF-1.4", name="../bao-cao.pdf"))
            self.assertEqual(list(trip.topics.all()), [self.issue])
            self.assertTrue(trip.report.name.startswith("field-trips/"))
            self.assertTrue(trip.report.name.endswith("/bao-cao.pdf"))
            name = trip.report.name
            self.record(trip=trip, topics=[], place="Xã khác")
            trip.refresh_from_db()
            self.assertEqual((trip.place, trip.report.name, trip.topics.count()), ("Xã khác", name, 0))
        self.assertEqual(FieldTrip.objects.count(), 1)

    def test_refusals(self):
        for changes, field in (
            ({"locality": self.faculty}, "locality"),
            ({"end_date": dt.date(2026, 5, 1)}, "end_date"),
            ({"start_date": dt.date(2026, 2, 1)}, "start_date"),
            ({"report": ContentFile(b"MZ", name="virus.exe")}, "report"),
        ):
            with self.assertRaises(ValidationError) as caught:
                self.record(**changes)
            self.assertIn(field, caught.exception.message_dict)
        with self.assertRaises(PermissionDenied):
            self.record(user=self.lecturer_user)
        self.assertFalse(FieldTrip.objects.exists())
