"""Two people saving the same teaching record for the first time at once (real threads, each
with its own database connection, on SQLite and PostgreSQL): attendance, the lecture log,
an observation and a teaching assignment are written once, never a database error. The
lesson's (or class's) row is locked first: a record that does not exist yet cannot be."""

from daotao.teaching import services
from daotao.teaching.models import Attendance, LectureLog, PeerObservation, TeachingAssignment
from daotao.teaching.tests.base import DAY
from daotao.testing import TransactionalTeachingWorld, make_lecturer, overlapping, run_at_once


class ConcurrentTeachingRecordTests(TransactionalTeachingWorld):
    def setUp(self):
        super().setUp()
        self.lesson = services.lesson_schedule(
            user=self.office,
            cohort=self.cohort,
            module=self.m1,
            lecturer=self.lecturer,
            date=DAY,
            session="morning",
            periods=5,
        )

    def test_attendance_taken_twice_at_once(self):
        absent = {self.enrollments[0].pk: "excused"}
        late = {self.enrollments[0].pk: "unexcused", self.enrollments[1].pk: "late"}

        def take(exceptions):
            services.attendance_record(user=self.lecturer_user, lesson=self.lesson, exceptions=exceptions)

        with overlapping(Attendance.objects, "bulk_create"):
            _results, errors = run_at_once(take, [absent, late])
        self.assertEqual(errors, [])
        rows = {(row.enrollment_id, row.status) for row in Attendance.objects.all()}
        self.assertIn(rows, [set(absent.items()), set(late.items())])  # one of the two, whole

    def test_lecture_log_saved_twice_at_once(self):
        def keep(methods):
            return services.lecture_log_record(user=self.lecturer_user, lesson=self.lesson, methods=methods).pk

        with overlapping(LectureLog, "full_clean"):
            results, errors = run_at_once(keep, [["practice"], ["dialogue"]])
        self.assertEqual(errors, [])
        self.assertEqual(len(set(results)), 1)
        self.assertEqual(LectureLog.objects.count(), 1)

    def test_observation_saved_twice_at_once(self):
        def observe(rating):
            services.observation_record(
                user=self.other_lecturer_user, lesson=self.lesson, observer=self.other_lecturer, rating=rating
            )

        with overlapping(PeerObservation, "full_clean"):
            _results, errors = run_at_once(observe, ["good", "excellent"])
        self.assertEqual(errors, [])
        self.assertEqual(PeerObservation.objects.count(), 1)

    def test_assignment_added_twice_at_once(self):
        newcomer = make_lecturer("Phạm Văn Mới", self.faculty, "gv9")

        def assign(_batch):
            return services.assignment_add(user=self.office, cohort=self.cohort, module=self.m3, lecturer=newcomer).pk

        with overlapping(TeachingAssignment, "full_clean"):
            results, errors = run_at_once(assign, [1, 2])
        self.assertEqual(errors, [])
        self.assertEqual(len(set(results)), 1)
        self.assertEqual(TeachingAssignment.objects.filter(lecturer=newcomer).count(), 1)
