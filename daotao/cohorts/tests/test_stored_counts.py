"""Each class's stored count of students (``Cohort.counted_enrollments``) equals a count of
its enrollments after every kind of write: one enrollment or many, a status that changes,
an enrollment moved to another class, deleted, or a class deleted with its students, a raw
statement, the admin, a placement, a graduation decision, a class workbook; a class saved
from an instance read earlier does not write an old count back. ``verify_counts`` says
which classes differ or which trigger is missing, and ``--fix`` repairs both.

Every test of the suite also ends with the same comparison (conftest.py), so every path a
test writes through is checked, not only these."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from unittest import skipUnless

from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models.signals import post_migrate
from django.test import TransactionTestCase
from django.urls import reverse

from daotao.admissions import services
from daotao.admissions.models import Decision
from daotao.admissions.tests.world import AdmissionsTestCase, make_application
from daotao.cohorts import counts
from daotao.cohorts.importing import cohorts_import
from daotao.cohorts.models import Cohort, CohortStatus, Enrollment, EnrollmentStatus, counted_students
from daotao.cohorts.tests.workbooks import cohort_row, student_row, workbook
from daotao.testing import WorldTestCase, build_world, enroll, make_cohort, make_student

DAY = dt.date(2026, 3, 2)


def stored(cohort: Cohort) -> int:
    return Cohort.objects.values_list("counted_enrollments", flat=True).get(pk=cohort.pk)


class TriggerTests(WorldTestCase):
    def setUp(self):
        self.cohort = make_cohort("TC-01", self.programs["TC-LLCT-HC"], self.h01, dt.date(2026, 3, 2))
        self.other = make_cohort("TC-02", self.programs["TC-LLCT-HC"], self.h02, dt.date(2026, 3, 2))

    def assert_true_counts(self):
        self.assertEqual(counts.differences(), [])
        for cohort in (self.cohort, self.other):
            self.assertEqual(stored(cohort), Enrollment.objects.filter(cohort=cohort).on_roll().count())

    def test_every_status_but_cancelled_counts(self):
        for status in EnrollmentStatus.values:
            with self.subTest(status=status):
                before = stored(self.cohort)
                enroll(self.cohort, 2, status=status)
                expected = before if status == EnrollmentStatus.CANCELLED else before + 2
                self.assertEqual(stored(self.cohort), expected)
        self.assertEqual(stored(self.cohort), 10)
        self.assert_true_counts()

    def test_status_changes_one_by_one_and_in_bulk(self):
        enrollments = enroll(self.cohort, 5)
        first = enrollments[0]
        first.status = EnrollmentStatus.CANCELLED
        first.save()
        self.assertEqual(stored(self.cohort), 4)
        first.status = EnrollmentStatus.WITHDRAWN  # back on the roll
        first.save()
        self.assertEqual(stored(self.cohort), 5)
        Enrollment.objects.filter(cohort=self.cohort).update(status=EnrollmentStatus.CANCELLED)
        self.assertEqual(stored(self.cohort), 0)
        Enrollment.objects.filter(cohort=self.cohort).update(status=EnrollmentStatus.COMPLETED)
        self.assertEqual(stored(self.cohort), 5)
        Enrollment.objects.filter(cohort=self.cohort).update(notes="đã kiểm tra")  # no status moves
        self.assertEqual(stored(self.cohort), 5)
        self.assert_true_counts()

    def test_moved_to_another_class(self):
        enrollments = enroll(self.cohort, 3)
        enroll(self.cohort, 1, status=EnrollmentStatus.CANCELLED)
        Enrollment.objects.filter(cohort=self.cohort).update(cohort=self.other)
        self.assertEqual((stored(self.cohort), stored(self.other)), (0, 3))
        moved = Enrollment.objects.get(pk=enrollments[0].pk)
        moved.cohort = self.cohort
        moved.status = EnrollmentStatus.CANCELLED
        moved.save()
        self.assertEqual((stored(self.cohort), stored(self.other)), (0, 2))
        self.assert_true_counts()

    def test_deleted_enrollments_and_a_deleted_class(self):
        enroll(self.cohort, 4)
        Enrollment.objects.filter(cohort=self.cohort).order_by("pk").first().delete()
        self.assertEqual(stored(self.cohort), 3)
        enroll(self.other, 2)
        self.other.delete()  # its enrollments go with it
        self.assertEqual(Enrollment.objects.filter(cohort_id=self.other.pk).count(), 0)
        Enrollment.objects.filter(cohort=self.cohort).delete()
        self.assertEqual(stored(self.cohort), 0)
        self.assertEqual(counts.differences(), [])

    def test_a_raw_statement(self):
        student = make_student("Võ Thị Hạnh", self.h01)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {counts.ENROLLMENT_TABLE} (cohort_id, student_id, status, notes) VALUES (%s, %s, %s, '')",
                [self.cohort.pk, student.pk, EnrollmentStatus.STUDYING],
            )
        self.assertEqual(stored(self.cohort), 1)

    def test_a_class_saved_from_an_older_instance_keeps_the_count(self):
        read_before = Cohort.objects.get(pk=self.cohort.pk)
        enroll(self.cohort, 3)
        read_before.name = "Lớp Trung cấp khóa 1"
        read_before.save()
        self.assertEqual(stored(self.cohort), 3)
        self.assertEqual(Cohort.objects.get(pk=self.cohort.pk).name, "Lớp Trung cấp khóa 1")
        partly = Cohort.objects.only("pk", "venue").get(pk=self.cohort.pk)
        partly.venue = "Hội trường A"
        partly.save()
        self.assertEqual(stored(self.cohort), 3)

    def test_a_cancelled_class_counts_nobody_when_read(self):
        enroll(self.cohort, 3)
        Cohort.objects.filter(pk=self.cohort.pk).update(status=CohortStatus.CANCELLED)
        self.assertEqual(stored(self.cohort), 3)  # the class's own status is applied when reading
        self.assertEqual(Cohort.objects.annotate(n=counted_students()).get(pk=self.cohort.pk).n, 0)


class CountingIndexTests(WorldTestCase):
    def test_covering_indexes_on_postgresql_only(self):
        """The reports' counting statements read the classes and a student's enrollments
        from covering indexes on PostgreSQL (migration 0004); SQLite has none, and its
        unique constraint on (student, class) serves a student's enrollments there."""
        with connection.cursor() as cursor:
            found = {
                name: info
                for table in ("cohorts_cohort", "cohorts_enrollment")
                for name, info in connection.introspection.get_constraints(cursor, table).items()
            }
        names = {"cohort_counting", "cohort_counting_by_id", "enrollment_by_student"}
        if connection.vendor == "postgresql":
            self.assertLessEqual(names, set(found))
            self.assertEqual(found["enrollment_by_student"]["columns"], ["student_id", "cohort_id", "status"])
            self.assertEqual(found["cohort_counting"]["columns"][0], "opening_date")
            self.assertIn("counted_enrollments", found["cohort_counting"]["columns"])
        else:
            self.assertFalse(names & set(found))
        by_student = [
            info["columns"]
            for info in found.values()
            if (info["index"] or info["unique"]) and not info["foreign_key"] and info["columns"][:1] == ["student_id"]
        ]
        self.assertIn(["student_id", "cohort_id"], by_student)  # the unique constraint's
        self.assertNotIn(["student_id"], by_student)  # no index of the foreign key alone


class WritePathTests(WorldTestCase):
    """The paths the product writes enrollments through, each checked for the count it gives."""

    def test_a_class_workbook(self):
        book = workbook(
            [cohort_row("CV-2026-09", program="BD-CV", host="H01")],
            [student_row("CV-2026-09", "Nguyễn Văn An"), student_row("CV-2026-09", "Trần Thị Bình")],
        )
        cohorts_import(book)
        self.assertEqual(stored(Cohort.objects.get(code="CV-2026-09")), 2)

    def test_the_admin(self):
        cohort = make_cohort("TC-04", self.programs["TC-LLCT-HC"], self.h01, dt.date(2026, 3, 2))
        enrollment = enroll(cohort, 2)[0]
        self.client.force_login(self.superuser)
        url = reverse("admin:cohorts_enrollment_change", args=[enrollment.pk])
        form = self.client.get(url).context["adminform"].form
        data = {name: form[name].value() for name in form.fields}
        data = {name: "" if value is None else value for name, value in data.items()}
        data["status"] = EnrollmentStatus.CANCELLED
        response = self.client.post(url, data)
        self.assertEqual(
            response.status_code, 302, getattr(response, "context", None) and response.context.get("errors")
        )
        self.assertEqual(stored(cohort), 1)
        response = self.client.post(reverse("admin:cohorts_enrollment_delete", args=[enrollment.pk]), {"post": "yes"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(stored(cohort), 1)
        other = Enrollment.objects.get(cohort=cohort)
        self.client.post(reverse("admin:cohorts_enrollment_delete", args=[other.pk]), {"post": "yes"})
        self.assertEqual(stored(cohort), 0)


class PlacementTests(AdmissionsTestCase):
    def test_placement_of_admitted_candidates(self):
        cohort = make_cohort("TC-03", self.tc, self.h01, dt.date(2026, 3, 2))
        admitted = [
            services.decide(
                make_application(self.tc, self.h01), self.office, Decision.ADMITTED, number="1-QĐ", date=DAY
            )
            for _ in range(3)
        ]
        services.place(admitted, cohort, self.office)
        self.assertEqual(stored(cohort), 3)


class VerifyCountsTests(WorldTestCase):
    def setUp(self):
        self.cohort = make_cohort("TC-05", self.programs["TC-LLCT-HC"], self.h01, dt.date(2026, 3, 2))
        enroll(self.cohort, 4)

    def test_true_counts_pass(self):
        out = StringIO()
        call_command("verify_counts", stdout=out)
        self.assertIn(f"({Cohort.objects.count()} ", out.getvalue())

    def test_a_wrong_count_is_named_and_fixed(self):
        Cohort.objects.filter(pk=self.cohort.pk).update(counted_enrollments=7)
        out = StringIO()
        with self.assertRaises(CommandError) as failed:
            call_command("verify_counts", stdout=out)
        self.assertIn("TC-05", out.getvalue())
        self.assertIn("7", out.getvalue())
        self.assertIn("--fix", str(failed.exception))
        call_command("verify_counts", "--fix", stdout=StringIO())
        self.assertEqual(stored(self.cohort), 4)
        call_command("verify_counts", stdout=StringIO())

    def test_a_missing_trigger_is_named_and_put_back(self):
        counts.drop_triggers()
        self.assertEqual(counts.installed_triggers(), set())
        with self.assertRaises(CommandError) as failed:
            call_command("verify_counts", stdout=StringIO())
        self.assertIn(counts.TRIGGERS[0], str(failed.exception))
        call_command("verify_counts", "--fix", stdout=StringIO())
        self.assertEqual(counts.installed_triggers(), set(counts.TRIGGERS))
        enroll(self.cohort, 1)
        self.assertEqual(stored(self.cohort), 5)

    def test_after_migrate_a_missing_trigger_comes_back_and_counts_are_set(self):
        counts.drop_triggers()
        enroll(self.cohort, 2)  # written while no trigger counted them
        self.assertEqual(stored(self.cohort), 4)
        config = apps.get_app_config("cohorts")
        post_migrate.send(sender=config, app_config=config, using="default", verbosity=0, interactive=False, apps=apps)
        self.assertEqual(counts.installed_triggers(), set(counts.TRIGGERS))
        self.assertEqual(stored(self.cohort), 6)


@skipUnless(connection.vendor == "sqlite", "SQLite rebuilds a table to alter it; PostgreSQL alters it in place")
class TableRebuildTests(TransactionTestCase):
    """A migration that alters the enrollment table rebuilds it on SQLite, which drops its
    triggers: ``migrate`` puts them back."""

    def test_triggers_come_back_after_a_rebuild(self):
        build_world(self)
        cohort = make_cohort("TC-06", self.programs["TC-LLCT-HC"], self.h01, dt.date(2026, 3, 2))
        enroll(cohort, 2)
        field = Enrollment._meta.get_field("notes")
        wider = field.clone()
        wider.set_attributes_from_name("notes")
        wider.max_length = 300
        with connection.schema_editor() as editor:
            editor.alter_field(Enrollment, field, wider)
        try:
            self.assertNotEqual(counts.installed_triggers(), set(counts.TRIGGERS))
            call_command("migrate", verbosity=0)
            self.assertEqual(counts.installed_triggers(), set(counts.TRIGGERS))
            enroll(cohort, 1)
            self.assertEqual(stored(cohort), 3)
        finally:
            with connection.schema_editor() as editor:
                editor.alter_field(Enrollment, wider, field)
            counts.ensure_triggers()
        self.assertEqual(counts.installed_triggers(), set(counts.TRIGGERS))
