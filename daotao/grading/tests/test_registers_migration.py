"""Migration 0006 (issue 23): the credentials and blank forms on record before it stand in the
school's own register (an empty ``register``), their numbers as they were."""

import datetime as dt

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase

from daotao.grading.models import BlankForm, BlankFormBatch, Credential
from daotao.grading.tests.test_bands_migration import migrate_to_latest
from daotao.org.models import UnitKind
from daotao.programs.models import Program, ProgramKind
from daotao.testing import enroll, make_cohort, make_unit

BEFORE = [("grading", "0005_classification_bands")]
AFTER = [("grading", "0006_registers")]


def an_enrollment():
    province = make_unit("BA", "Tỉnh Bình An", UnitKind.PROVINCE)
    program = Program.objects.create(code="TC-X", name="Trung cấp X", kind=ProgramKind.TRAINING)
    return enroll(make_cohort("TC01", program, province, dt.date(2019, 3, 4)), 1)[0]


class OwnRegisterTests(TransactionTestCase):
    def tearDown(self):
        migrate_to_latest()
        super().tearDown()

    def test_the_rows_on_record_are_the_schools_own(self):
        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps
        enrollment = an_enrollment()
        credential = old.get_model("grading", "Credential").objects.create(
            kind="diploma", enrollment_id=enrollment.pk, year=2020, sequence=12, register_number="0012/2020/BTC",
            serial_number="TC 000123", issued_on=dt.date(2020, 7, 1), verification_code="K7QX3MZP9T",
        )  # fmt: skip
        batch = old.get_model("grading", "BlankFormBatch").objects.create(
            kind="diploma", prefix="TC", first_number=100, last_number=199, received_on=dt.date(2020, 1, 2)
        )
        old.get_model("grading", "BlankForm").objects.create(
            batch_id=batch.pk, number=123, serial="TC 000123", state="used", credential_id=credential.pk
        )
        MigrationExecutor(connection).migrate(AFTER)
        self.assertEqual(
            list(Credential.objects.values_list("register", "register_number", "serial_number")),
            [("", "0012/2020/BTC", "TC 000123")],
        )
        self.assertEqual(list(BlankFormBatch.objects.values_list("register", flat=True)), [""])
        self.assertEqual(list(BlankForm.objects.values_list("register", "serial")), [("", "TC 000123")])
