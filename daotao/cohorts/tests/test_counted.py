"""What counts (DESIGN.md section 4): cancelled cohorts count nowhere, cancelled enrollments
are not students; withdrawn and deferred ones still are."""

import datetime as dt

from daotao.cohorts.models import Cohort, Enrollment, counted_students
from daotao.testing import WorldTestCase, enroll, make_cohort

D = dt.date


class CountedTests(WorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        tc = cls.programs["TC-LLCT-HC"]
        cls.running = make_cohort("TC-1", tc, cls.h01, D(2020, 3, 2))
        enroll(cls.running, 3)
        enroll(cls.running, 1, status="withdrawn")
        enroll(cls.running, 1, status="deferred")
        enroll(cls.running, 2, status="cancelled")
        cls.cancelled = make_cohort("TC-2", tc, cls.h01, D(2020, 4, 6), status="cancelled")
        enroll(cls.cancelled, 4)
        enroll(cls.cancelled, 1, status="cancelled")

    def test_counted_enrollments_leave_out_cancelled_ones_and_cancelled_cohorts(self):
        self.assertEqual(Enrollment.objects.count(), 12)
        self.assertEqual(Enrollment.objects.counted().count(), 5)
        self.assertEqual(set(Enrollment.objects.counted().values_list("cohort__code", flat=True)), {"TC-1"})

    def test_counted_cohorts_and_their_students(self):
        self.assertEqual(list(Cohort.objects.counted()), [self.running])
        students = dict(Cohort.objects.annotate(n=counted_students()).values_list("code", "n"))
        self.assertEqual(students, {"TC-1": 5, "TC-2": 0})
