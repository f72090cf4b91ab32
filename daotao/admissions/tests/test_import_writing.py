"""The nomination import's own inserts write what ``bulk_create`` would, in a fixed number of
statements (``daotao.admissions.importing.writing``)."""

from __future__ import annotations

import datetime as dt
import sqlite3

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from daotao.accounts.scope import scope_of
from daotao.admissions.importing import NOMINATIONS, SHEETS, import_applications, writing
from daotao.admissions.importing.plan import Plan
from daotao.admissions.models import (
    Application,
    ApplicationDocument,
    CivilServiceGrade,
    EducationLevel,
    PartyStatus,
    Rating,
    Status,
    TheoryLevel,
)
from daotao.admissions.tests.workbooks import cccd, nomination, workbook
from daotao.admissions.tests.world import YEAR, AdmissionsTestCase
from daotao.cohorts.importing.reading import read_workbook

STAMPS = ("submitted_at", "updated_at")
COMPARED = [f.attname for f in Application._meta.concrete_fields if f.name not in ("id", "national_id", *STAMPS)]


def comparable(value) -> tuple[type, object]:
    """A prepared value with its type; a wrapper for the driver (PostgreSQL's Jsonb, which
    has no equality) by what it wraps."""
    return type(value), getattr(value, "obj", value)


class WritingTests(AdmissionsTestCase):
    def applications(self, count: int) -> list[Application]:
        """Unsaved applications whose fields take every kind of value: codes of choices and
        plain text, None and values in the nullable columns, dates, JSON, keys or none."""
        made = []
        for index in range(count):
            full = index % 2 == 0
            application = Application(
                plan=self.plan,
                program=self.tc if full else self.cvc,
                locality=self.h01 if full else self.x01,
                agency=self.agency if full else None,
                mode="non_concentrated" if full else "concentrated",
                funding="supported",
                national_id=cccd(),
                date_of_birth=dt.date(1988, 4, 12 + index),
                gender="male",
                party_status=PartyStatus.FULL if full else PartyStatus.NONE,
                party_joined_on=dt.date(2012, 5, 19) if full else None,
                education_level=EducationLevel.UNIVERSITY if full else None,
                theory_level=TheoryLevel.ELEMENTARY if full else TheoryLevel.NONE,
                position="Phó Trưởng phòng",
                position_category=self.positions["PHO-PHONG"] if full else None,
                grade=CivilServiceGrade.SPECIALIST if full else "",
                in_planning_pool=not full,
                planned_position=None if full else self.positions["CAP-UY"],
                rating_last_year=Rating.GOOD if full else None,
                rating_year_before=4 if full else None,  # a plain int where a choice is usual
                notes="Ghi chú; 100%" if full else "",
                submitted_by=self.office if full else None,
                status=Status.ELIGIBLE if full else Status.INCOMPLETE,
                checks=[{"rule": 1, "outcome": "passed"}] if full else [],
                missing_documents=[] if full else ["SYLL", "QD-CU"],
                flags=[{"status": "completed", "cohort": "TC01-2020"}] if full else [],
            )
            application.set_name("Nguyễn Văn Bình" if full else "Trần Thị Ngọc Diệp")
            made.append(application)
        return made

    def test_values_are_prepared_as_django_prepares_them(self):
        fields = [f for f in Application._meta.concrete_fields if not f.primary_key]
        applications = self.applications(4)
        rows = writing.prepared_rows(applications, fields)
        for application, row in zip(applications, rows, strict=True):
            self.assertIsNotNone(application.submitted_at)  # stamped, as bulk_create stamps it
            expected = [f.get_db_prep_save(getattr(application, f.attname), connection) for f in fields]
            self.assertEqual(list(map(comparable, row)), list(map(comparable, expected)))

    def test_inserts_what_bulk_create_inserts(self):
        ours, django = self.applications(6), self.applications(6)
        started = timezone.now()
        writing.insert_applications(ours)
        Application.objects.bulk_create(django)
        for mine, theirs in zip(ours, django, strict=True):
            self.assertIsNotNone(mine.pk)
            self.assertFalse(mine._state.adding)
            self.assertEqual(Application.objects.get(pk=mine.pk).national_id, mine.national_id)
            written = Application.objects.filter(pk__in=[mine.pk, theirs.pk]).order_by("pk").values(*COMPARED)
            self.assertEqual(written[0], written[1])
            stamps = Application.objects.values_list(*STAMPS).get(pk=mine.pk)
            self.assertEqual(stamps, (mine.submitted_at, mine.updated_at))
            self.assertTrue(started <= stamps[0] <= timezone.now())

    def test_documents_are_inserted_received_today(self):
        (application,) = self.applications(1)
        writing.insert_applications([application])
        kinds = [self.documents["QD-CU"].pk, self.documents["SYLL"].pk]
        writing.insert_documents([(application.pk, kind) for kind in kinds], timezone.localdate())
        received = ApplicationDocument.objects.filter(application=application).values_list(
            "document_type", "received", "received_on", "file"
        )
        self.assertCountEqual(received, [(kind, True, timezone.localdate(), "") for kind in kinds])

    def test_an_insert_holds_as_many_rows_as_the_database_takes(self):
        columns = len(COMPARED) + 1
        rows = writing.rows_per_insert(columns)
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
            self.assertGreater(rows, connection.features.max_query_params // columns)  # Django's 999
        else:
            limit = 65_535
        self.assertLessEqual(rows * columns, limit)
        self.assertGreater((rows + 1) * columns, limit)

    def test_new_applications_are_built_with_the_models_defaults(self):
        sheet = read_workbook(workbook([nomination()]), SHEETS)[NOMINATIONS.name]
        checked = Plan(sheet, self.plan, self.office)
        built = checked._new_application(self.tc, "052088000123")
        by_kwargs = Application(plan=self.plan, program=self.tc, national_id="052088000123", submitted_by=self.office)
        for field in Application._meta.concrete_fields:
            self.assertEqual(getattr(built, field.attname), getattr(by_kwargs, field.attname), field.name)
        self.assertIsNot(built.checks, checked._new_application(self.tc, "052088000124").checks)
        self.assertEqual((built.plan, built.program, built.submitted_by), (self.plan, self.tc, self.office))

    def test_writing_takes_a_fixed_number_of_queries(self):
        scope_of(self.office)  # the user's roles, read once per request

        def queries(count):
            content = workbook([nomination(f"Nguyễn Văn {i}") for i in range(count)])
            with CaptureQueriesContext(connection) as captured:
                result = import_applications(content, year=YEAR, user=self.office)
            self.assertEqual(result.created, count)
            return len(captured)

        self.assertEqual(queries(3), queries(60))  # the lookups, one INSERT each for applications and documents
        self.assertEqual(Application.objects.filter(plan__year=YEAR).count(), 63)
