"""A student who transferred between two classes counts once in any one figure
(docs/counting.md, "Students who transferred")."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from daotao.accounts.scope import scope_of
from daotao.cohorts.models import Enrollment
from daotao.reports.engine import CohortFilter, Counts, CountSpec, Period, count, count_many
from daotao.testing import WorldTestCase, enroll, make_cohort, make_student

D = dt.date.fromisoformat
SPRING = Period(D("2020-01-01"), D("2020-06-30"))
FEBRUARY = Period(D("2020-02-01"), D("2020-02-29"))


class TransferTests(WorldTestCase):
    """Lan left class A (H01, opened in February) for class B (H02, opened in March)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        tc = cls.programs["TC-LLCT-HC"]
        cls.a = make_cohort("A", tc, cls.h01, D("2020-02-03"))
        cls.b = make_cohort("B", tc, cls.h02, D("2020-03-02"))
        enroll(cls.a, 5)
        enroll(cls.b, 7)
        cls.lan = make_student("Trần Thị Lan", locality=cls.h01)
        Enrollment.objects.create(cohort=cls.a, student=cls.lan, status="transferred")
        Enrollment.objects.create(cohort=cls.b, student=cls.lan, status="studying")

    def opened(self, period=SPRING, user=None, **filters) -> Counts:
        return count(CountSpec(period, "opened", CohortFilter(**filters)), user or self.office)

    def test_both_classes_in_the_figure_counts_her_once(self):
        self.assertEqual(self.opened(), Counts(2, 13))  # 5 + 7 + Lan, not 14
        self.assertEqual(self.opened(programs=("TC-LLCT-HC",)), Counts(2, 13))

    def test_only_the_class_she_left_counts_her_there(self):
        self.assertEqual(self.opened(locality="H01"), Counts(1, 6))
        self.assertEqual(self.opened(FEBRUARY), Counts(1, 6))

    def test_only_the_class_she_moved_to_counts_her_there(self):
        self.assertEqual(self.opened(locality="H02"), Counts(1, 8))
        self.assertEqual(count(CountSpec(SPRING, "closed"), self.office), Counts(0, 0))

    def test_each_figure_of_one_count_many_is_right(self):
        specs = [
            CountSpec(SPRING, "opened"),
            CountSpec(SPRING, "opened", CohortFilter(locality="H01")),
            CountSpec(SPRING, "opened", CohortFilter(locality="H02")),
            CountSpec(FEBRUARY, "opened"),
            CountSpec(Period(D("2020-03-01"), D("2020-12-31")), "active"),
        ]
        self.assertEqual(
            count_many(specs, self.office), [Counts(2, 13), Counts(1, 6), Counts(1, 8), Counts(1, 6), Counts(2, 13)]
        )

    def test_a_coordinator_who_sees_her_in_both_classes_counts_her_once(self):
        # H01's coordinator sees A whole and, in B, only their own students: Lan.
        self.assertEqual(self.opened(user=self.coordinator), Counts(2, 6))
        # H02's coordinator sees B whole; Lan's enrollment in A is not theirs to see.
        self.assertEqual(self.opened(user=self.other_coordinator), Counts(1, 8))

    def test_a_chain_of_transfers_counts_in_the_last_class(self):
        c = make_cohort("C", self.programs["TC-LLCT-HC"], self.h03, D("2020-04-01"))
        Enrollment.objects.filter(cohort=self.b, student=self.lan).update(status="transferred")
        Enrollment.objects.create(cohort=c, student=self.lan, status="studying")
        self.assertEqual(self.opened(), Counts(3, 13))  # A, B and C; Lan in C
        self.assertEqual(self.opened(Period(D("2020-02-01"), D("2020-03-31"))), Counts(2, 13))  # Lan in B
        self.assertEqual(self.opened(locality="H03"), Counts(1, 1))
        # A and C only (B is concentrated): Lan in C, once.
        type(self.b).objects.filter(pk=self.b.pk).update(mode="concentrated")
        self.assertEqual(self.opened(mode="non_concentrated"), Counts(2, 6))

    def test_a_transfer_to_another_program_is_not_the_same_student_twice(self):
        """Leaving a Trung cấp class and later taking a fostering course are two enrollments."""
        other = make_cohort("CV", self.programs["BD-CV"], self.school, D("2020-05-04"), mode="concentrated")
        Enrollment.objects.create(cohort=other, student=self.lan, status="studying")
        self.assertEqual(self.opened(), Counts(3, 14))

    def test_a_student_who_left_for_no_recorded_class_counts_where_she_left(self):
        Enrollment.objects.filter(cohort=self.b, student=self.lan).update(status="cancelled")
        self.assertEqual(self.opened(), Counts(2, 13))
        self.assertEqual(self.opened(locality="H01"), Counts(1, 6))

    def test_more_figures_than_one_column_of_flags(self):
        """70 figures (two columns of flags), each as it counts alone."""
        periods = [SPRING, FEBRUARY, Period(D("2020-03-01"), D("2020-12-31"))]
        filters = [CohortFilter(), CohortFilter(locality="H01"), CohortFilter(locality="H02")]
        relations = ["opened", "active", "carried_over_running"]
        every = [CountSpec(p, r, f) for p in periods for r in relations for f in filters]
        specs = (every * 3)[:70]
        alone = [count(spec, self.office) for spec in specs]
        self.assertIn(Counts(2, 13), alone)
        self.assertEqual(count_many(specs, self.office), alone)
        self.assertEqual(count_many(specs, self.coordinator), [count(spec, self.coordinator) for spec in specs])

    def test_transfers_add_no_query(self):
        specs = [CountSpec(SPRING, relation) for relation in ("opened", "active", "carried_over_running")]
        scope_of(self.office)
        scope_of(self.coordinator)
        for user in (self.office, self.coordinator):
            with self.subTest(user=user.username), self.assertNumQueries(1):
                count_many(specs, user)
        with CaptureQueriesContext(connection) as before:
            count_many(specs, self.office)
        more = make_student("Lê Văn Nam", locality=self.h02)
        Enrollment.objects.create(cohort=self.a, student=more, status="transferred")
        Enrollment.objects.create(cohort=self.b, student=more, status="studying")
        with CaptureQueriesContext(connection) as after:
            self.assertEqual(count_many(specs, self.office)[0], Counts(2, 14))
        self.assertEqual(len(before), len(after))
