"""Blank forms under concurrent issuing and reprinting (real threads, each with its own
database connection, on SQLite and PostgreSQL): every credential on a form of its own, the
lowest forms first, none twice, none lost; the last form left given to one clerk only; and
misprints reprinted at once, meeting just before the form is marked used, each on its own
form (the kind's batches are locked: issues are also serialised by the register's counter,
reprints only by that lock)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.test import TransactionTestCase

from daotao.accounts import roles
from daotao.grading import blank_forms, graduation, register
from daotao.grading.models import BlankForm, BlankFormBatch, BlankFormState, Credential
from daotao.grading.tests.test_graduation_base import ISSUED, pass_everything
from daotao.org.models import UnitKind
from daotao.programs.models import Program
from daotao.testing import enroll, make_cohort, make_module, make_unit, make_user, overlapping, run_at_once

CLERKS, EACH = 8, 4


class ConcurrentFormsTests(TransactionTestCase):
    def setUp(self):
        province = make_unit("BA", "Tỉnh", UnitKind.PROVINCE)
        self.program = Program.objects.create(code="TC", name="TC", kind="training", category="political_theory")
        make_module(self.program, "HP1", 30, (("Thi", "written_exam", 100, True),))
        cohort = make_cohort("C1", self.program, province, dt.date(2026, 1, 5))
        enroll(cohort, CLERKS * EACH)
        pass_everything(cohort)
        self.office = make_user("office", roles.TRAINING_OFFICE)
        graduation.graduation_decide(user=self.office, cohort=cohort, number="1", date=dt.date(2026, 6, 1))
        self.enrollments = list(cohort.enrollments.select_related("cohort__program", "student").order_by("pk"))

    def receive(self, first, last, program=None):
        blank_forms.batch_receive(
            user=self.office,
            kind="diploma",
            program=program,
            prefix="TC",
            first_number=first,
            last_number=last,
            received_on=dt.date(2026, 6, 2),
        )

    def test_two_clerks_never_share_a_form(self):
        total = CLERKS * EACH
        self.receive(1001, 1000 + total - 5, program=self.program)
        self.receive(5001, 5100)

        def issue(batch):
            for enrollment in batch:
                register.credential_issue(user=self.office, enrollment=enrollment, issued_on=ISSUED)

        _results, errors = run_at_once(issue, [self.enrollments[i::CLERKS] for i in range(CLERKS)])
        self.assertEqual(errors, [])
        expected = {f"TC {n:06d}" for n in [*range(1001, 1001 + total - 5), *range(5001, 5006)]}
        self.assertEqual(set(Credential.objects.values_list("serial_number", flat=True)), expected)
        used = BlankForm.objects.filter(state=BlankFormState.USED)
        self.assertEqual(set(used.values_list("serial", flat=True)), expected)
        self.assertEqual(used.values("credential").distinct().count(), total)
        self.assertEqual(blank_forms.reconcile(), [])

    def test_the_last_form_goes_to_one_clerk(self):
        self.receive(1, 1)

        def issue(enrollment):
            return register.credential_issue(user=self.office, enrollment=enrollment, issued_on=ISSUED)

        results, errors = run_at_once(issue, self.enrollments[:CLERKS])
        self.assertEqual([c.serial_number for c in results], ["TC 000001"])
        self.assertEqual(len(errors), CLERKS - 1)
        self.assertTrue(all(isinstance(error, ValidationError) for error in errors), errors)
        self.assertEqual((Credential.objects.count(), BlankForm.objects.count()), (1, 1))

    def test_a_batch_sent_twice_at_once_is_received_once(self):
        # The first batch of a series: no row to lock yet, the receipts still wait for each other.
        with overlapping(blank_forms, "_check_series", parties=2):
            results, errors = run_at_once(lambda _clerk: self.receive(1, 100), [1, 2])
        self.assertEqual(len(results), 1)
        self.assertEqual(len(errors), 1)
        self.assertIsInstance(errors[0], ValidationError)
        self.assertEqual(BlankFormBatch.objects.count(), 1)

    def test_misprints_reprinted_at_once_take_forms_of_their_own(self):
        self.receive(1, CLERKS * 3)
        issued = [
            register.credential_issue(user=self.office, enrollment=enrollment, issued_on=ISSUED)
            for enrollment in self.enrollments[:CLERKS]
        ]

        def reprint(credential):
            return blank_forms.credential_reprint(user=self.office, credential=credential, reason="In lệch")

        with overlapping(blank_forms, "form_use", parties=CLERKS):
            results, errors = run_at_once(reprint, issued)
        self.assertEqual(errors, [])
        self.assertEqual(
            sorted(c.serial_number for c in results), [f"TC {n:06d}" for n in range(CLERKS + 1, 2 * CLERKS + 1)]
        )
        self.assertEqual(BlankForm.objects.filter(state=BlankFormState.SPOILED).count(), CLERKS)
        self.assertEqual(blank_forms.reconcile(), [])
