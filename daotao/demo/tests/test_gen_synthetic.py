"""gen_synthetic fills a database with a coherent synthetic province, and the hand-written SQL
of the benchmark counts exactly what the yearly report counts (no timing here)."""

from io import StringIO
from unittest import mock

from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from bench.reports import coordination_counts_sql, report_counts
from daotao.accounts.scope import SYSTEM
from daotao.cohorts import counts
from daotao.cohorts.models import Cohort, CohortStatus, Enrollment
from daotao.demo import synthetic
from daotao.lib import national_id
from daotao.people.models import Student
from daotao.planning.models import Quota
from daotao.reports.annual import annual_report

FIRST_YEAR, YEARS = 2019, 3


def generate(enrollments=2000, cohorts=40, **options) -> str:
    out = StringIO()
    call_command(
        "gen_synthetic",
        enrollments=enrollments,
        cohorts=cohorts,
        years=YEARS,
        first_year=FIRST_YEAR,
        seed=7,
        stdout=out,
        **options,
    )
    return out.getvalue()


class GenSyntheticTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.output = generate()

    def test_totals(self):
        self.assertEqual(Cohort.objects.count(), 40)
        self.assertEqual(Enrollment.objects.count(), 2000)
        self.assertIn("2000", self.output)  # the totals are printed (in the active language)
        years = set(Cohort.objects.values_list("opening_date__year", flat=True))
        self.assertEqual(years, set(range(FIRST_YEAR, FIRST_YEAR + YEARS)))
        self.assertTrue(Quota.objects.exists())

    def test_some_students_study_several_times(self):
        students = Student.objects.count()
        self.assertGreater(students, 2000 * 0.6)
        self.assertLess(students, 2000)
        self.assertTrue(Student.objects.annotate(n=Count("enrollments")).filter(n__gt=1).exists())

    def test_national_ids_are_valid_and_unique(self):
        rows = list(Student.objects.values_list("national_id", "date_of_birth", "gender"))
        self.assertEqual(len({number for number, _, _ in rows}), len(rows))
        for number, born, gender in rows:
            national_id.check(number, born, gender)  # raises when invalid

    def test_name_columns_are_those_save_computes(self):
        for student in Student.objects.all():
            expected = Student()
            expected.set_name(student.full_name)
            self.assertEqual(
                (student.given_name, student.sort_key, student.search_key),
                (expected.given_name, expected.sort_key, expected.search_key),
            )

    def test_dates_and_statuses_are_coherent(self):
        for cohort in Cohort.objects.all():
            if cohort.closing_date:
                self.assertGreaterEqual(cohort.closing_date, cohort.opening_date)
        self.assertTrue(Enrollment.objects.filter(status="completed").exists())
        self.assertTrue(Cohort.objects.exclude(status=CohortStatus.CANCELLED).exists())

    def test_each_class_keeps_its_count_and_the_triggers_stay(self):
        self.assertEqual(counts.differences(), [])
        self.assertEqual(counts.installed_triggers(), set(counts.TRIGGERS))  # SQLite drops them for the load
        cohort = Cohort.objects.exclude(status=CohortStatus.CANCELLED).first()
        before = cohort.counted_enrollments
        Enrollment.objects.filter(cohort=cohort).on_roll().first().delete()
        cohort.refresh_from_db()
        self.assertEqual(cohort.counted_enrollments, before - 1)

    def test_refuses_a_database_with_classes(self):
        with self.assertRaisesMessage(CommandError, "--force"):
            generate()
        self.assertEqual(Cohort.objects.count(), 40)

    def test_hand_written_sql_counts_what_the_report_counts(self):
        for year in range(FIRST_YEAR - 1, FIRST_YEAR + YEARS + 1):
            with self.subTest(year=year):
                self.assertEqual(coordination_counts_sql(year), report_counts(annual_report(year, SYSTEM)))

    def test_report_query_count_does_not_grow_with_data(self):
        year = FIRST_YEAR + 1
        with CaptureQueriesContext(connection) as small:
            annual_report(year, SYSTEM)
        output = generate(enrollments=20000, cohorts=400, force=True)  # a second, larger province
        self.assertIn("20000", output)
        self.assertEqual(Cohort.objects.count(), 440)
        with CaptureQueriesContext(connection) as large:
            report = annual_report(year, SYSTEM)
        self.assertEqual(len(large.captured_queries), len(small.captured_queries))
        self.assertEqual(coordination_counts_sql(year), report_counts(report))


class ChunkTests(TestCase):
    """Students and enrollments are written in chunks (so that 10.000.000 enrollments fit in
    memory): the chunk size changes nothing of what is written."""

    def province(self, chunk: int) -> tuple[list[tuple], str]:
        class Undo(Exception):
            pass

        try:
            with transaction.atomic():
                with mock.patch.object(synthetic, "CHUNK_ENROLLMENTS", chunk):
                    output = generate()
                rows = list(
                    Enrollment.objects.order_by("cohort__code", "student__national_id").values_list(
                        "cohort__code", "cohort__counted_enrollments", "student__national_id", "student__full_name",
                        "status",
                    )
                )  # fmt: skip
                raise Undo
        except Undo:
            pass
        self.assertIn("2000", output)
        return rows, output

    def test_the_chunk_size_changes_nothing(self):
        whole, once = self.province(chunk=1_000_000)
        chunked, output = self.province(chunk=300)
        self.assertEqual(len(whole), 2000)
        self.assertEqual(chunked, whole)
        self.assertGreater(output.count("enrollments"), once.count("enrollments") + 4)  # one line per chunk
