"""``records.record.training_record``: what each viewer's record of a cadre holds, and its
fixed number of queries."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from daotao.accounts.scope import scope_of
from daotao.cohorts.models import Enrollment
from daotao.demo import teaching_data as td
from daotao.grading.models import Credential
from daotao.records.record import RoundInvited, training_record
from daotao.records.tests.world import RecordWorld
from daotao.surveys.models import Invitation
from daotao.testing import make_cohort


class OfficeRecordTests(RecordWorld):
    def test_every_class_with_its_result_credential_and_essay(self):
        record = training_record(self.student, self.office)
        self.assertEqual([item.cohort.code for item in record.classes], [td.TC_CODE, td.CV_CODE])
        graduated, running = record.classes
        self.assertEqual(graduated.enrollment.status, "completed")
        self.assertEqual(graduated.graduation.average, Decimal("8.54"))
        self.assertEqual(graduated.graduation.classification, "good")
        self.assertEqual(graduated.graduation.decision.number, td.TC_GRADUATION[0])
        self.assertEqual(
            [(c.kind, c.serial_number) for c in graduated.credentials],
            list(Credential.objects.filter(enrollment__student=self.student).values_list("kind", "serial_number")),
        )
        self.assertEqual([c.serial_number for c in graduated.credentials], ["TC 000028"])
        self.assertEqual(graduated.essay.score, Decimal("7.8"))
        self.assertEqual(record.essays, [graduated.essay])
        # The class still to come has no result and nothing issued yet.
        self.assertIsNone(running.graduation)
        self.assertEqual(running.credentials, [])
        self.assertIsNone(running.essay)
        self.assertEqual(record.credentials, graduated.credentials)

    def test_nominations_by_national_id_and_career_events(self):
        record = training_record(self.student, self.office)
        self.assertEqual(record.applications, [self.application])
        self.assertEqual(record.career_events, [self.event])
        self.assertTrue(record.records_career)
        self.assertTrue(record.personal.full)
        self.assertEqual(record.personal.national_id, self.student.national_id)

    def test_evaluation_rounds_without_answers(self):
        record = training_record(self.student, self.office)
        # The rounds she was asked to answer; not her manager's round about her (its
        # invitation names her, but her manager answers it).
        invitations = Invitation.objects.filter(student=self.student)
        invited = invitations.exclude(round__audience="managers").values_list("round__title", flat=True)
        self.assertEqual(sorted(r.survey_round.title for r in record.rounds), sorted(invited))
        self.assertEqual(len(record.rounds), 5)
        self.assertTrue(invitations.filter(round__audience="managers").exists())
        # What the record carries of a round: the round and whether it has closed, nothing
        # of the invitation (answered or not), nor any response.
        self.assertEqual([f.name for f in dataclasses.fields(RoundInvited)], ["survey_round", "closed"])
        self.assertFalse(any(hasattr(r, "answered") for r in record.rounds))
        self.assertEqual(
            {r.survey_round.title: r.closed for r in record.rounds},
            {r.survey_round.title: r.survey_round.is_closed() for r in record.rounds},
        )

    def test_a_cancelled_enrollment_is_no_class_taken(self):
        Enrollment.objects.filter(student=self.student, cohort=self.second_cohort).update(status="cancelled")
        record = training_record(self.student, self.office)
        self.assertEqual([item.cohort.code for item in record.classes], [td.TC_CODE])


class ScopedRecordTests(RecordWorld):
    def test_the_lecturer_sees_only_the_class_she_teaches_and_nothing_of_graduation(self):
        record = training_record(self.student, self.lecturer)
        self.assertEqual([item.cohort.code for item in record.classes], [td.TC_CODE])
        self.assertIsNone(record.classes[0].graduation)
        self.assertEqual(record.credentials, [])
        self.assertEqual(record.applications, [])
        self.assertEqual(record.rounds, [])
        self.assertEqual(record.career_events, [])
        self.assertFalse(record.personal.full)
        self.assertFalse(record.records_career)
        self.assertTrue(record.opens_classes)  # the hub of the class she teaches
        self.assertFalse(record.opens_credentials or record.opens_applications)

    def test_the_board_reads_everything_masked_and_records_nothing(self):
        record = training_record(self.student, self.board)
        self.assertEqual(len(record.classes), 2)
        self.assertEqual(record.applications, [self.application])
        self.assertEqual(record.career_events, [self.event])
        self.assertFalse(record.personal.full)
        self.assertTrue(record.personal.national_id.endswith(self.student.national_id[-4:]))
        self.assertNotEqual(record.personal.national_id, self.student.national_id)
        self.assertFalse(record.records_career)

    def test_her_coordinator_records_her_career(self):
        record = training_record(self.student, self.coordinator)
        self.assertEqual(len(record.classes), 2)
        self.assertEqual(record.applications, [self.application])
        self.assertTrue(record.personal.full)
        self.assertTrue(record.records_career)
        self.assertTrue(record.opens_classes)

    def test_the_student_sees_her_own_without_the_staff_links(self):
        record = training_record(self.student, self.student_user)
        self.assertEqual(len(record.classes), 2)
        self.assertEqual(len(record.rounds), 5)  # not her manager's round about her
        self.assertEqual([c.serial_number for c in record.credentials], ["TC 000028"])
        self.assertEqual(record.applications, [])  # nominations are the units' and the office's
        self.assertTrue(record.personal.full)
        self.assertTrue(record.opens_credentials)
        self.assertFalse(record.opens_classes or record.opens_applications or record.records_career)

    def test_a_coordinator_sees_only_her_own_cadres_classes_held_elsewhere(self):
        # A class held in another locality, with the student and with a cadre of that locality.
        other = self.other_coordinator.unit
        elsewhere = make_cohort("HOSO-X01", self.cohort.program, other, self.cohort.opening_date)
        Enrollment.objects.create(cohort=elsewhere, student=self.student)
        # That locality's coordinator now sees her (``Student.visible_to``), and in her record
        # only the class held there ...
        record = training_record(self.student, self.other_coordinator)
        self.assertEqual([item.cohort.code for item in record.classes], ["HOSO-X01"])
        self.assertFalse(record.personal.full)
        self.assertEqual(record.applications, [])
        # ... and her own coordinator sees it, as her cadre's.
        codes = [item.cohort.code for item in training_record(self.student, self.coordinator).classes]
        self.assertIn("HOSO-X01", codes)


class QueryCountTests(RecordWorld):
    def test_a_fixed_number_of_queries_whatever_the_number_of_classes(self):
        one = self.classmate  # one class
        self.assertEqual(one.enrollments.count(), 1)
        scope_of(self.office)  # the user's roles, read once per request
        with self.assertNumQueries(8) as few:
            training_record(one, self.office)
        for index in range(3):
            cohort = make_cohort(
                f"HOSO-{index}", self.cohort.program, self.cohort.host_locality, self.cohort.opening_date
            )
            Enrollment.objects.create(cohort=cohort, student=self.student)
        self.assertEqual(self.student.enrollments.count(), 5)
        with self.assertNumQueries(len(few.captured_queries)):
            record = training_record(self.student, self.office)
        self.assertEqual(len(record.classes), 5)
