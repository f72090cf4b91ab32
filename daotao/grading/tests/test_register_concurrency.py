"""The register under concurrent issuing (real threads, each with its own database
connection, on SQLite and PostgreSQL): numbers 1..n, none twice, none lost, no errors;
and one student's credential issued once even when clerks click at the same moment."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.test import TransactionTestCase

from daotao.accounts import roles
from daotao.grading import graduation, register
from daotao.grading.models import Credential, RegisterCounter
from daotao.grading.tests.test_graduation_base import ISSUED, pass_everything
from daotao.org.models import UnitKind
from daotao.programs.models import Program
from daotao.testing import enroll, make_cohort, make_module, make_unit, make_user, run_at_once

CLERKS, EACH = 8, 5


class ConcurrentIssuingTests(TransactionTestCase):
    def setUp(self):
        province = make_unit("BA", "Tỉnh", UnitKind.PROVINCE)
        program = Program.objects.create(code="TC", name="TC", kind="training", category="political_theory")
        make_module(program, "HP1", 30, (("Thi", "written_exam", 100, True),))
        self.cohort = make_cohort("C1", program, province, dt.date(2026, 1, 5))
        enroll(self.cohort, CLERKS * EACH)
        pass_everything(self.cohort)
        self.office = make_user("office", roles.TRAINING_OFFICE)
        graduation.graduation_decide(user=self.office, cohort=self.cohort, number="1", date=dt.date(2026, 6, 1))
        self.enrollments = list(self.cohort.enrollments.select_related("cohort__program", "student").order_by("pk"))

    def test_numbers_are_distinct_without_gaps(self):
        def issue(batch):
            for enrollment in batch:
                register.credential_issue(user=self.office, enrollment=enrollment, issued_on=ISSUED)

        _results, errors = run_at_once(issue, [self.enrollments[i::CLERKS] for i in range(CLERKS)])
        self.assertEqual(errors, [])
        total = CLERKS * EACH
        self.assertEqual(sorted(Credential.objects.values_list("sequence", flat=True)), list(range(1, total + 1)))
        registers = set(Credential.objects.values_list("register_number", flat=True))
        self.assertEqual(registers, {f"{n:04d}/2026/BTC" for n in range(1, total + 1)})
        serials = set(Credential.objects.values_list("serial_number", flat=True))
        self.assertEqual(serials, {f"TC {n:06d}" for n in range(1, total + 1)})
        self.assertEqual(Credential.objects.values("enrollment").distinct().count(), total)
        self.assertEqual(
            set(RegisterCounter.objects.values_list("year", "last_number")),
            {(2026, total), (register.SERIAL_YEAR, total)},
        )

    def test_one_student_clicked_at_once_gets_one_credential(self):
        enrollment = self.enrollments[0]

        def issue(_batch):
            return register.credential_issue(user=self.office, enrollment=enrollment, issued_on=ISSUED)

        results, errors = run_at_once(issue, list(range(CLERKS)))
        self.assertEqual(len(results), 1)
        self.assertEqual(len(errors), CLERKS - 1)
        self.assertTrue(all(isinstance(error, ValidationError) for error in errors), errors)
        self.assertEqual(Credential.objects.get().sequence, 1)  # the refused ones took no number
