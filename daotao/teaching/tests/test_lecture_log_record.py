"""The lecture log keeps the "3 tăng, 3 giảm" checklist and derives whether the lesson
was taught with active methods."""

from django.core.exceptions import PermissionDenied, ValidationError

from daotao.teaching import services
from daotao.teaching.models import LectureLog
from daotao.teaching.tests.base import TeachingTestCase


class LectureLogRecordTests(TeachingTestCase):
    def setUp(self):
        self.lesson = self.schedule()

    def test_derives_active_methods_and_keeps_one_log(self):
        log = services.lecture_log_record(user=self.lecturer_user, lesson=self.lesson, methods=["less_dictation"])
        self.assertFalse(log.uses_active_methods)
        log = services.lecture_log_record(
            user=self.lecturer_user,
            lesson=self.lesson,
            methods=["less_dictation", "dialogue", "dialogue"],
            content="Thảo luận tình huống",
        )
        self.assertEqual((log.methods, log.uses_active_methods), (["dialogue", "less_dictation"], True))
        self.assertEqual(LectureLog.objects.get().content, "Thảo luận tình huống")
        self.assertEqual(log.recorded_by, self.lecturer_user)

    def test_refuses_unknown_methods_and_strangers(self):
        with self.assertRaises(ValidationError):
            services.lecture_log_record(user=self.office, lesson=self.lesson, methods=["shouting"])
        with self.assertRaises(PermissionDenied):
            services.lecture_log_record(user=self.other_lecturer_user, lesson=self.lesson, methods=["practice"])
        self.assertFalse(LectureLog.objects.exists())
