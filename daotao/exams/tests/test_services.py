from __future__ import annotations

import datetime as dt
from decimal import Decimal
from unittest import mock

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from daotao.audit.models import AuditEntry
from daotao.cohorts.models import Cohort, Funding
from daotao.exams import barring, documents, services
from daotao.exams.models import Candidate, ExamRoom, ExamStatus, Script, ScriptLink
from daotao.exams.tests.base import EXAM_DAY, EnglishMessages, held_lessons, make_exam, make_rooms, sealed_exam
from daotao.finance import services as finance
from daotao.grading.models import Grade
from daotao.grading.services import grade_record
from daotao.lib.vietnamese import format_date
from daotao.programs.models import Assessment
from daotao.teaching import services as teaching
from daotao.teaching import timetable
from daotao.teaching.models import Lesson
from daotao.testing import TeachingWorldTestCase, enroll


class SeatingTests(EnglishMessages, TeachingWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_rooms(cls)

    def test_candidates_in_name_order_numbered_from_one_in_each_room(self):
        exam = make_exam(self)
        services.exam_room_add(user=self.office, exam=exam, room=self.room_a)
        services.exam_room_add(user=self.office, exam=exam, room=self.room_b)
        services.exam_seat(user=self.office, exam=exam)
        seated = list(Candidate.objects.filter(exam=exam).order_by("exam_room__pk", "seat"))
        self.assertEqual([c.enrollment for c in seated], self.enrollments)  # class-list order
        self.assertEqual([(c.exam_room.room, c.seat) for c in seated][:4], [(self.room_a, n) for n in (1, 2, 3, 4)])
        self.assertEqual([(c.exam_room.room, c.seat) for c in seated][4:], [(self.room_b, 1), (self.room_b, 2)])
        self.assertEqual(AuditEntry.objects.filter(action="exam.seat").count(), 1)

    def test_seating_again_replaces_the_seating(self):
        exam = make_exam(self)
        services.exam_room_add(user=self.office, exam=exam, room=self.room_b)
        services.exam_room_add(user=self.office, exam=exam, room=self.room_a)
        services.exam_seat(user=self.office, exam=exam)
        services.exam_seat(user=self.office, exam=exam)
        self.assertEqual(Candidate.objects.filter(exam=exam).count(), 6)
        self.assertEqual(Candidate.objects.filter(exam=exam, exam_room__room=self.room_b).count(), 4)

    def test_rooms_too_small_are_refused(self):
        exam = make_exam(self)
        services.exam_room_add(user=self.office, exam=exam, room=self.room_a)
        with self.assertRaisesMessage(ValidationError, "seat 4 candidates, the session has 6"):
            services.exam_seat(user=self.office, exam=exam)
        self.assertFalse(Candidate.objects.filter(exam=exam).exists())

    def test_a_room_is_not_used_by_two_exams_in_one_half_day(self):
        first = make_exam(self)
        services.exam_room_add(user=self.office, exam=first, room=self.room_a)
        second = make_exam(self, module=self.m2)
        with self.assertRaisesMessage(ValidationError, "taken by the exam of TC01"):
            services.exam_room_add(user=self.office, exam=second, room=self.room_a)
        # Another half day is free; moving onto the taken half day is refused.
        third = make_exam(self, module=self.m3, session="afternoon")
        services.exam_room_add(user=self.office, exam=third, room=self.room_a)
        with self.assertRaisesMessage(ValidationError, "taken by the exam"):
            services.exam_change(user=self.office, exam=third, date=EXAM_DAY, session="morning", anonymised=True)
        self.assertEqual(ExamRoom.objects.get(exam=third).session, "afternoon")

    def test_the_database_refuses_a_room_twice_in_a_half_day(self):
        first, second = make_exam(self), make_exam(self, module=self.m2)
        ExamRoom.objects.create(exam=first, room=self.room_a, date=EXAM_DAY, session="morning")
        with self.assertRaises(IntegrityError), transaction.atomic():
            ExamRoom.objects.create(exam=second, room=self.room_a, date=EXAM_DAY, session="morning")

    def test_a_room_with_a_lesson_in_that_half_day_is_refused(self):
        Lesson.objects.create(
            cohort=self.other_cohort,
            module=self.m1,
            lecturer=self.other_lecturer,
            date=EXAM_DAY,
            session="morning",
            room=self.room_a,
        )
        exam = make_exam(self)
        with self.assertRaisesMessage(ValidationError, "has a lesson of TC02"):
            services.exam_room_add(user=self.office, exam=exam, room=self.room_a)

    def test_only_the_office_prepares(self):
        with self.assertRaises(PermissionDenied):
            services.exam_create(
                user=self.lecturer_user,
                cohort=self.cohort,
                assessment=self.m1.assessments.get(is_exam=True),
                date=EXAM_DAY,
                session="morning",
            )

    def test_only_a_final_exam_and_once_per_attempt(self):
        with self.assertRaisesMessage(ValidationError, "final exam"):
            services.exam_create(
                user=self.office,
                cohort=self.cohort,
                assessment=self.m1.assessments.get(is_exam=False),
                date=EXAM_DAY,
                session="morning",
            )
        make_exam(self)
        with self.assertRaisesMessage(ValidationError, "already has a session"):
            make_exam(self)

    def test_only_a_written_exam_is_marked_anonymously_and_not_before_the_class(self):
        Assessment.objects.filter(module=self.m2, is_exam=True).update(kind="oral_exam")
        with self.assertRaisesMessage(ValidationError, "Only a written exam"):
            make_exam(self, module=self.m2)
        make_exam(self, module=self.m2, anonymised=False)
        with self.assertRaisesMessage(ValidationError, "before the class opens"):
            make_exam(self, module=self.m3, date=self.cohort.opening_date - dt.timedelta(days=1))


class BarringTests(EnglishMessages, TeachingWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_rooms(cls)

    def test_the_absence_limit_bars_with_its_reason(self):
        # 5 lessons of 5 periods; missing 2 of them (40%) is over the 20% limit, 1 (20%) is not.
        barred, at_limit = self.enrollments[1], self.enrollments[2]
        lessons = held_lessons(self, self.m1, 5)
        teaching.attendance_record(
            user=self.office, lesson=lessons[0], exceptions={barred.pk: "unexcused", at_limit.pk: "unexcused"}
        )
        teaching.attendance_record(user=self.office, lesson=lessons[1], exceptions={barred.pk: "unexcused"})
        exam = make_exam(self)
        roll = barring.exam_roll(exam)
        self.assertEqual([(e, reasons) for e, reasons in roll.barred], [(barred, [mock.ANY])])
        self.assertIn("10 of 25 periods", roll.barred[0][1][0])
        self.assertIn(at_limit, roll.candidates)
        self.assertEqual(len(roll.candidates), 5)
        # Seating leaves the barred student out.
        services.exam_room_add(user=self.office, exam=exam, room=self.room_a)
        services.exam_room_add(user=self.office, exam=exam, room=self.room_b)
        services.exam_seat(user=self.office, exam=exam)
        self.assertFalse(Candidate.objects.filter(exam=exam, enrollment=barred).exists())

    def test_barring_is_a_list_of_checks_whose_reasons_add_up(self):
        exam = make_exam(self)
        unpaid = lambda exam, results: {self.enrollments[0].pk: "Chưa nộp học phí."}  # noqa: E731
        roll = barring.exam_roll(exam, checks=[*barring.BAR_CHECKS, unpaid])
        self.assertEqual(roll.barred, [(self.enrollments[0], ["Chưa nộp học phí."])])
        self.assertEqual(len(roll.candidates), 5)

    def test_an_unpaid_fee_bars_where_the_class_s_fee_says_so(self):
        Cohort.objects.filter(pk=self.cohort.pk).update(funding=Funding.SELF_FUNDED)
        self.cohort.refresh_from_db()
        fee = finance.fee_save(user=self.office, cohort=self.cohort, amount=2_000_000, bars_exam=True)
        paid, part_paid = self.enrollments[0], self.enrollments[1]
        finance.payment_record(user=self.office, enrollment=paid, amount=2_000_000, paid_on=dt.date(2026, 3, 5))
        finance.payment_record(user=self.office, enrollment=part_paid, amount=500_000, paid_on=dt.date(2026, 3, 5))
        exam = make_exam(self)
        roll = barring.exam_roll(exam)
        self.assertEqual({e for e, _ in roll.barred}, set(self.enrollments[1:]))
        self.assertIn(paid, roll.candidates)
        self.assertIn("fee", roll.barred[0][1][0])
        # A fee that does not bar the exam bars nobody.
        finance.fee_save(user=self.office, cohort=self.cohort, amount=fee.amount, bars_exam=False)
        self.assertEqual(barring.exam_roll(exam).barred, [])
        self.assertEqual(len(barring.exam_roll(exam).candidates), 6)

    def test_students_who_left_do_not_sit_and_a_retake_is_for_those_who_failed(self):
        left = enroll(self.cohort, 1, status="withdrawn")[0]
        exam = make_exam(self)
        self.assertNotIn(left.pk, [e.pk for e in barring.exam_roll(exam).candidates])
        test, final = self.m1.assessments.order_by("order")
        for enrollment in self.enrollments:
            grade_record(user=self.office, enrollment=enrollment, assessment=test, value="6")
            grade_record(
                user=self.office,
                enrollment=enrollment,
                assessment=final,
                value="2" if enrollment == self.enrollments[3] else "7",
            )
        retake = make_exam(self, attempt=2, session="afternoon")
        self.assertEqual(barring.exam_roll(retake).candidates, [self.enrollments[3]])


class SealingTests(EnglishMessages, TeachingWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_rooms(cls)

    def test_every_present_candidate_gets_a_unique_random_code(self):
        exam = sealed_exam(self, absent=[self.enrollments[5]])
        self.assertEqual(exam.status, ExamStatus.SEALED)
        codes = list(Script.objects.filter(exam=exam).values_list("code", flat=True))
        self.assertEqual(len(codes), 5)
        self.assertEqual(len(set(codes)), 5)
        self.assertTrue(all(len(code) == 6 and set(code) <= set(services.CODE_ALPHABET) for code in codes))
        linked = set(ScriptLink.objects.filter(script__exam=exam).values_list("candidate__enrollment", flat=True))
        self.assertEqual(linked, {e.pk for e in self.enrollments[:5]})
        self.assertTrue(Candidate.objects.get(exam=exam, enrollment=self.enrollments[5]).absent)
        entry = AuditEntry.objects.get(action="exam.seal")
        self.assertEqual(entry.changes["scripts"], [None, 5])
        self.assertEqual(entry.changes["absent"], [None, 1])

    def test_codes_come_from_secrets_and_collisions_are_drawn_again(self):
        letters = iter("AAAAAA" + "AAAAAA" + "CCCCCC" + "DDDDDD" + "EEEEEE" + "FFFFFF" + "GGGGGG")
        with mock.patch.object(services.secrets, "choice", side_effect=lambda alphabet: next(letters)):
            self.assertEqual(sorted(services._codes(6)), ["AAAAAA", "CCCCCC", "DDDDDD", "EEEEEE", "FFFFFF", "GGGGGG"])

    def test_neither_row_order_nor_ids_follow_the_seats(self):
        # The shuffle decides the order the scripts and links are written in: reversed
        # here, the first script written is the last seat's.
        with mock.patch.object(services.secrets.SystemRandom, "shuffle", lambda self, items: items.reverse()):
            exam = sealed_exam(self)
        seats = list(Candidate.objects.filter(exam=exam).order_by("exam_room__pk", "seat"))
        by_script = list(ScriptLink.objects.filter(script__exam=exam).order_by("script__pk"))
        by_link = list(ScriptLink.objects.filter(script__exam=exam).order_by("pk"))
        self.assertEqual([link.candidate for link in by_script], seats[::-1])
        # The links, shuffled again after pairing, are written in yet another order.
        self.assertEqual([link.candidate for link in by_link], seats)

    def test_real_shuffles_differ_between_seals(self):
        orders = set()
        for _attempt in range(6):
            exam = sealed_exam(self)
            links = ScriptLink.objects.filter(script__exam=exam).order_by("script__pk")
            orders.add(tuple(links.values_list("candidate__seat", "candidate__exam_room__room")))
            exam.delete()
        # Six seals of six scripts all in one order: one chance in 720**5.
        self.assertGreater(len(orders), 1)

    def test_sealing_twice_or_a_session_marked_by_name_is_refused(self):
        exam = sealed_exam(self)
        with self.assertRaisesMessage(ValidationError, "sealed already"):
            services.exam_seal(user=self.office, exam=exam)
        self.assertEqual(Script.objects.filter(exam=exam).count(), 6)
        by_name = make_exam(self, module=self.m2, anonymised=False)
        with self.assertRaisesMessage(ValidationError, "not marked anonymously"):
            services.exam_seal(user=self.office, exam=by_name)

    def test_a_sealed_session_cannot_be_changed(self):
        exam = sealed_exam(self)
        with self.assertRaisesMessage(ValidationError, "sealed"):
            services.exam_seat(user=self.office, exam=exam)
        with self.assertRaisesMessage(ValidationError, "sealed"):
            services.exam_room_add(user=self.office, exam=exam, room=self.small_room)


class MarkingAndDecodingTests(EnglishMessages, TeachingWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_rooms(cls)

    def setUp(self):
        super().setUp()
        self.exam = sealed_exam(self, absent=[self.enrollments[5]])
        self.scripts = list(Script.objects.filter(exam=self.exam))

    def test_marks_by_code_are_parsed_by_the_rules_and_audited(self):
        code = self.scripts[0].code
        services.mark_record(user=self.lecturer_user, exam=self.exam, code=code, value="7,25")
        self.assertEqual(Script.objects.get(exam=self.exam, code=code).score, Decimal("7.3"))  # half up
        services.mark_record(user=self.lecturer_user, exam=self.exam, code=code.lower(), value="8")
        entries = AuditEntry.objects.filter(action="exam.mark").order_by("pk")
        self.assertEqual([e.changes["score"] for e in entries], [[None, "7.3"], ["7.3", "8.0"]])
        self.assertEqual(entries[0].username, "gv1")
        for entry in entries:  # the entry names the code, never the candidate
            self.assertNotIn("Học Viên", entry.object_repr)
        for bad, message in (("11", "from 0 to 10"), ("abc", "is not a score")):
            with self.assertRaisesMessage(ValidationError, message):
                services.mark_record(user=self.lecturer_user, exam=self.exam, code=code, value=bad)
        with self.assertRaisesMessage(ValidationError, "No script"):
            services.mark_record(user=self.lecturer_user, exam=self.exam, code="ZZZZZZ", value="5")

    def test_only_the_assigned_lecturers_and_the_office_mark(self):
        code = self.scripts[0].code
        with self.assertRaises(PermissionDenied):
            services.mark_record(user=self.other_lecturer_user, exam=self.exam, code=code, value="5")
        with self.assertRaises(PermissionDenied):
            services.mark_record(user=self.board, exam=self.exam, code=code, value="5")
        services.mark_record(user=self.office, exam=self.exam, code=code, value="5")

    def test_decoding_writes_the_grades_through_grade_record(self):
        marks = {}
        for number, script in enumerate(self.scripts):
            marks[script.code] = Decimal(5 + number)
            services.mark_record(user=self.lecturer_user, exam=self.exam, code=script.code, value=str(5 + number))
        written = services.exam_decode(user=self.office, exam=self.exam)
        self.assertEqual(written, 6)
        final = self.m1.assessments.get(is_exam=True)
        for link in ScriptLink.objects.filter(script__exam=self.exam).select_related("script", "candidate"):
            grade = Grade.objects.get(enrollment=link.candidate.enrollment_id, assessment=final, attempt=1)
            self.assertEqual(grade.score, marks[link.script.code])
        absent = Grade.objects.get(enrollment=self.enrollments[5], assessment=final)
        self.assertTrue(absent.absent)
        self.assertEqual(AuditEntry.objects.filter(action="grade").count(), 6)
        self.assertEqual(AuditEntry.objects.filter(action="exam.decode").count(), 1)
        self.exam.refresh_from_db()
        self.assertEqual(self.exam.status, ExamStatus.DECODED)
        # Locked from now on, and decoding twice writes nothing.
        with self.assertRaisesMessage(ValidationError, "locked"):
            services.mark_record(user=self.office, exam=self.exam, code=self.scripts[0].code, value="9")
        with self.assertRaisesMessage(ValidationError, "decoded already"):
            services.exam_decode(user=self.office, exam=self.exam)
        self.assertEqual(AuditEntry.objects.filter(action="grade").count(), 6)

    def test_decoding_waits_for_every_mark(self):
        services.mark_record(user=self.office, exam=self.exam, code=self.scripts[0].code, value="6")
        with self.assertRaisesMessage(ValidationError, "4 script(s) have no mark yet"):
            services.exam_decode(user=self.office, exam=self.exam)
        self.assertFalse(Grade.objects.filter(assessment__is_exam=True).exists())
        with self.assertRaises(PermissionDenied):
            services.exam_decode(user=self.lecturer_user, exam=self.exam)


class PrintedDatesOfBirthTests(EnglishMessages, TeachingWorldTestCase):
    """The candidate list and the slips show a date of birth as the printing user may see it:
    in full for the office, the year only for the board (``people/privacy.py``)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_rooms(cls)
        cls.exam = make_exam(cls)
        services.exam_room_add(user=cls.office, exam=cls.exam, room=cls.room_a)
        services.exam_room_add(user=cls.office, exam=cls.exam, room=cls.room_b)
        services.exam_seat(user=cls.office, exam=cls.exam)

    def test_the_board_sees_the_year_only(self):
        office = {c.enrollment_id: c.born for c in documents._candidates(self.exam, self.office)}
        board = {c.enrollment_id: c.born for c in documents._candidates(self.exam, self.board)}
        student = self.enrollments[0].student
        self.assertEqual(office[self.enrollments[0].pk], format_date(student.date_of_birth))
        self.assertEqual(board[self.enrollments[0].pk], f"••/••/{student.date_of_birth.year}")
        self.assertTrue(all(text.startswith("••/••/") for text in board.values()))


class ExamAgainstOtherRecordsTests(EnglishMessages, TeachingWorldTestCase):
    """An anonymised exam's grades come only from decoding; an exam's room is not given to a
    lesson in its half day (nor laid out for one)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_rooms(cls)

    def test_a_lecturer_cannot_type_an_anonymised_exam_s_grades_by_name(self):
        exam = sealed_exam(self)
        student = self.enrollments[1]
        with self.assertRaisesMessage(PermissionDenied, "anonymously"):
            grade_record(user=self.lecturer_user, enrollment=student, assessment=exam.assessment, value="9")
        self.assertFalse(Grade.objects.filter(enrollment=student, assessment=exam.assessment).exists())
        # The test of the module, not the exam, is still the lecturer's to grade.
        test = self.m1.assessments.get(is_exam=False)
        self.assertIsNotNone(grade_record(user=self.lecturer_user, enrollment=student, assessment=test, value="8"))
        # The office corrects by name (audited like every grade).
        self.assertIsNotNone(grade_record(user=self.office, enrollment=student, assessment=exam.assessment, value="9"))

    def test_a_lesson_is_not_put_in_a_room_holding_an_exam(self):
        make_exam(self, session="afternoon")
        exam = make_exam(self, module=self.m2)
        services.exam_room_add(user=self.office, exam=exam, room=self.room_a)
        with self.assertRaisesMessage(ValidationError, "holds an exam of class TC01"):
            teaching.lesson_schedule(
                user=self.office,
                cohort=self.other_cohort,
                module=self.m1,
                lecturer=self.other_lecturer,
                date=exam.date,
                session=exam.session,
                periods=5,
                room=self.room_a,
            )
        bookings = timetable.bookings_for(self.other_cohort.pk, [self.other_lecturer.pk], exam.date, self.room_a.pk)
        self.assertIn((exam.date, exam.session), bookings.room)
