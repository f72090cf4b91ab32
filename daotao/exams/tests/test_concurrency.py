"""Two seals or two decodings of one session at once (real threads, each with its own
database connection): the session's row is locked first, so the second finds the work done
and is refused; the scripts and the grades are written once."""

from django.core.exceptions import ValidationError

from daotao.exams import services
from daotao.exams.models import Script, ScriptLink
from daotao.exams.tests.base import make_exam, make_rooms
from daotao.grading.models import Grade
from daotao.testing import TransactionalTeachingWorld, overlapping, run_at_once


class ConcurrentSealAndDecodeTests(TransactionalTeachingWorld):
    def setUp(self):
        super().setUp()
        make_rooms(self)
        self.exam = make_exam(self)
        services.exam_room_add(user=self.office, exam=self.exam, room=self.room_a)
        services.exam_room_add(user=self.office, exam=self.exam, room=self.room_b)
        services.exam_seat(user=self.office, exam=self.exam)

    def test_sealed_twice_at_once(self):
        with overlapping(services, "_codes"):
            results, errors = run_at_once(lambda _n: services.exam_seal(user=self.office, exam=self.exam), [1, 2])
        self.assertEqual(len(results), 1)
        self.assertEqual([type(error) for error in errors], [ValidationError])
        self.assertEqual(Script.objects.filter(exam=self.exam).count(), 6)
        self.assertEqual(ScriptLink.objects.filter(script__exam=self.exam).count(), 6)

    def test_decoded_twice_at_once(self):
        services.exam_seal(user=self.office, exam=self.exam)
        for script in Script.objects.filter(exam=self.exam):
            services.mark_record(user=self.office, exam=self.exam, code=script.code, value="7")
        with overlapping(services, "grade_record"):
            results, errors = run_at_once(lambda _n: services.exam_decode(user=self.office, exam=self.exam), [1, 2])
        self.assertEqual(results, [6])
        self.assertEqual([type(error) for error in errors], [ValidationError])
        self.assertEqual(Grade.objects.filter(assessment__is_exam=True).count(), 6)
