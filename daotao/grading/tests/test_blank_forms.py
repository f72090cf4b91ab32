"""Blank diploma and certificate forms (phôi): batches received (ranges of a series never
overlap, nor reach the register's serials), the register printing each credential on the
next form (a program's batch first, lowest first, refused once none is left; counter serials
where a kind has no batch), a misprint reprinted on a new form (the serial changes,
audited), blanks spoiled or voided, the stock per program and the reconciliation with the
register, and its command."""

import datetime as dt
from io import StringIO

import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from daotao.audit.models import AuditEntry, history
from daotao.grading import blank_forms, graduation, register
from daotao.grading.models import (
    BlankForm,
    BlankFormBatch,
    BlankFormState,
    Credential,
    CredentialKind,
    CredentialStatus,
    RegisterCounter,
)
from daotao.grading.tests.test_graduation_base import (
    DECIDED,
    ISSUED,
    DecidedWorldTestCase,
    GraduationWorldTestCase,
    fostering_cohort,
    pass_everything,
)
from daotao.grading.verification import lookup
from daotao.programs.models import Program

RECEIVED = dt.date(2026, 6, 1)
TODAY = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def receive(world, first, last, *, kind=CredentialKind.DIPLOMA, program=None, prefix="TC", **extra):
    return blank_forms.batch_receive(
        user=world.office,
        kind=kind,
        program=program,
        prefix=prefix,
        first_number=first,
        last_number=last,
        received_on=extra.pop("received_on", RECEIVED),
        **extra,
    )


def used_serials() -> list[str]:
    return list(BlankForm.objects.filter(state=BlankFormState.USED).order_by("serial").values_list("serial", flat=True))


@time_machine.travel(TODAY, tick=False)
class BatchTests(GraduationWorldTestCase):
    def test_a_batch_is_one_row_however_many_forms_and_audited(self):
        batch = receive(self, 1, 10_000, program=self.tc, prefix=" tc ", reference="PX-12/2026", note="Đủ số lượng")
        self.assertEqual((str(batch), batch.size, batch.received_by), ("TC 000001 – TC 010000", 10_000, self.office))
        self.assertEqual((BlankFormBatch.objects.count(), BlankForm.objects.count()), (1, 0))
        audit = history(batch).get()
        self.assertEqual(
            (audit.action, audit.user, audit.note), ("blank_form_batch_received", self.office, "Đủ số lượng")
        )
        self.assertEqual(audit.changes["last_number"], [None, 10_000])

    def test_ranges_of_a_series_never_overlap(self):
        first = receive(self, 101, 200, reference="PX-01")
        for low, high in ((150, 160), (50, 101), (200, 300), (1, 1000)):
            with self.subTest(range=(low, high)), self.assertRaises(ValidationError) as refused:
                receive(self, low, high)
            # The message names the batch it clashes with.
            self.assertIn(str(first), refused.exception.messages[0])
            self.assertIn("PX-01", refused.exception.messages[0])
        receive(self, 201, 300)  # next to it is fine
        receive(self, 1, 100)
        receive(self, 150, 160, kind=CredentialKind.CERTIFICATE, prefix="BD")  # another series
        self.assertEqual(BlankFormBatch.objects.count(), 4)

    def test_a_series_belongs_to_one_kind(self):
        receive(self, 1, 100)
        with self.assertRaises(ValidationError) as refused:
            receive(self, 500, 600, kind=CredentialKind.CERTIFICATE, prefix="TC")
        self.assertEqual(list(refused.exception.message_dict), ["prefix"])

    def test_the_series_the_register_numbers_another_kind_in_is_that_kinds(self):
        # Untracked certificates are numbered "BD 000001" on by the register: diploma forms
        # of that series would one day carry a certificate's serial (and block its register).
        for kind, prefix in ((CredentialKind.DIPLOMA, "BD"), (CredentialKind.CERTIFICATE, "XN")):
            with self.subTest(kind=kind), self.assertRaises(ValidationError) as refused:
                receive(self, 1, 100, kind=kind, prefix=prefix)
            self.assertEqual(list(refused.exception.message_dict), ["prefix"])
        receive(self, 1, 100, kind=CredentialKind.CERTIFICATE, prefix="BD")  # its own
        self.assertEqual(BlankFormBatch.objects.count(), 1)

    def test_forms_already_in_the_register_are_refused(self):
        pass_everything(self.cohort)
        decision = graduation.graduation_decide(user=self.office, cohort=self.cohort, number="58", date=DECIDED)
        register.credentials_issue_for_decision(user=self.office, decision=decision, issued_on=ISSUED)  # TC 000001-6
        with self.assertRaises(ValidationError) as refused:
            receive(self, 5, 50)
        self.assertIn("TC 000005", refused.exception.messages[0])
        with self.assertRaises(ValidationError):  # the series of the diplomas in the register
            receive(self, 500, 600, kind=CredentialKind.CERTIFICATE, prefix="TC")
        receive(self, 7, 50)  # from where the counter stopped

    def test_refusals(self):
        cases = {
            "kind": {"kind": "degree"},
            "program": {"program": self.programs["BD-CV"]},  # a fostering course gives no diploma
            "prefix": {"prefix": "T-C"},
            "last_number": {"first": 10, "last": 9},
            "first_number": {"first": 0},
            "received_on": {"received_on": dt.date(2026, 12, 2)},  # in the future
        }
        for field, change in cases.items():
            with self.subTest(field=field), self.assertRaises(ValidationError) as refused:
                values = {"first": 1, "last": 10, **change}
                receive(self, values.pop("first"), values.pop("last"), **values)
            self.assertIn(field, refused.exception.message_dict)
        for user in (self.board, self.coordinator, self.lecturer_user, self.student_user):
            with self.assertRaises(PermissionDenied):
                blank_forms.batch_receive(
                    user=user, kind="diploma", program=None, prefix="TC", first_number=1, last_number=9,
                    received_on=RECEIVED,
                )  # fmt: skip
        self.assertFalse(BlankFormBatch.objects.exists())

    def test_serials_typed_in(self):
        for typed in ("TC 000123", "tc000123", " TC-123 ", "TC.0000123"):
            self.assertEqual(blank_forms.parse_serial(typed), ("TC", 123))
        for typed in ("", "000123", "TC", "TC 12345678", "T1 000123"):
            with self.subTest(typed=typed), self.assertRaises(ValueError):
                blank_forms.parse_serial(typed)


@time_machine.travel(TODAY, tick=False)
class IssuingTests(DecidedWorldTestCase):
    def test_issuing_takes_the_next_form_in_the_same_transaction(self):
        receive(self, 101, 110, program=self.tc)
        issued = register.credentials_issue_for_decision(user=self.office, decision=self.decision, issued_on=ISSUED)
        self.assertEqual([c.serial_number for c in issued], [f"TC {n:06d}" for n in range(101, 107)])
        self.assertEqual([c.register_number for c in issued][:2], ["0001/2026/BTC", "0002/2026/BTC"])
        forms = {form.credential_id: form for form in BlankForm.objects.all()}
        self.assertEqual({c.pk: c.serial_number for c in issued}, {pk: f.serial for pk, f in forms.items()})
        self.assertEqual({(f.state, f.by) for f in forms.values()}, {(BlankFormState.USED, self.office)})
        # The register's own serial counter is not used while forms are tracked.
        self.assertFalse(RegisterCounter.objects.filter(year=register.SERIAL_YEAR).exists())
        self.assertEqual(history(issued[0]).get().changes["serial_number"], [None, "TC 000101"])

    def test_a_programs_batch_first_then_any_program_lowest_first(self):
        receive(self, 500, 501)  # any program
        receive(self, 300, 301, program=self.tc)
        receive(self, 1, 5, program=self.programs["TC-LLCT-HC"], prefix="TCA")
        receive(self, 100, 100, program=self.tc)
        serials = [self.issue(index).serial_number for index in range(6)]
        self.assertEqual(serials, ["TC 000100", "TC 000300", "TC 000301", "TCA 000001", "TCA 000002", "TCA 000003"])

    def test_a_form_taken_out_of_stock_is_skipped(self):
        receive(self, 1, 10)
        blank_forms.form_discard(user=self.office, serial="TC 000002", state="voided", reason="Mất khi vận chuyển")
        blank_forms.form_discard(user=self.office, serial="TC 000004", state="spoiled", reason="In thử")
        serials = [self.issue(index).serial_number for index in range(4)]
        self.assertEqual(serials, ["TC 000001", "TC 000003", "TC 000005", "TC 000006"])

    def test_out_of_forms_is_refused(self):
        receive(self, 1, 4)
        with self.assertRaises(ValidationError) as refused:
            register.credentials_issue_for_decision(user=self.office, decision=self.decision, issued_on=ISSUED)
        self.assertIn(self.tc.name, refused.exception.messages[0])
        # Nothing of the decision was issued: all or nothing.
        self.assertEqual((Credential.objects.count(), BlankForm.objects.count()), (0, 0))
        for index in range(4):
            self.issue(index)
        with self.assertRaises(ValidationError):
            self.issue(4)
        receive(self, 5, 5, received_on=dt.date(2026, 7, 7))
        self.assertEqual(self.issue(4).serial_number, "TC 000005")

    def test_another_programs_batch_is_not_used(self):
        receive(self, 1, 10, program=self.programs["BD-CV"], kind=CredentialKind.CERTIFICATE, prefix="BD")
        other = Program.objects.create(code="CC-LLCT", name="Cao cấp", kind="training", category="political_theory")
        receive(self, 1, 10, program=other)
        with self.assertRaises(ValidationError):
            self.issue(0)

    def test_a_kind_without_batches_keeps_the_counter_serials(self):
        receive(self, 1, 10, kind=CredentialKind.CERTIFICATE, prefix="BD")
        self.assertEqual(self.issue(0).serial_number, "TC 000001")
        self.assertFalse(BlankForm.objects.exists())

    def test_a_reissue_and_a_confirmation_take_forms_too(self):
        receive(self, 1, 10)
        receive(self, 1, 10, kind=CredentialKind.CONFIRMATION, prefix="XN")
        first = self.issue(0)
        again = register.credential_reissue(
            user=self.office, credential=first, reason="Sai ngày sinh", issued_on=dt.date(2026, 8, 3)
        )
        self.assertEqual((first.serial_number, again.serial_number), ("TC 000001", "TC 000002"))
        self.assertEqual(used_serials(), ["TC 000001", "TC 000002"])
        fostering = fostering_cohort(self)
        pass_everything(fostering)
        decision = graduation.graduation_decide(user=self.office, cohort=fostering, number="9", date=DECIDED)
        certificate = register.credentials_issue_for_decision(user=self.office, decision=decision, issued_on=ISSUED)[0]
        self.assertEqual(certificate.serial_number, "BD 000001")  # certificates are not tracked
        confirmation = register.confirmation_issue(
            user=self.office, credential=certificate, reason="Báo mất", issued_on=dt.date(2026, 11, 20)
        )
        self.assertEqual(confirmation.serial_number, "XN 000001")
        self.assertEqual(blank_forms.form_of(confirmation).serial, "XN 000001")

    def test_a_form_whose_serial_the_register_holds_is_refused(self):
        receive(self, 1, 10)
        first = self.issue(0)
        # A past credential imported with a serial of the range (the import writes rows directly).
        Credential.objects.filter(pk=first.pk).update(serial_number="TC 000002")
        with self.assertRaises(ValidationError) as refused:
            self.issue(1)
        self.assertIn("TC 000002", refused.exception.messages[0])

    def test_ten_thousand_forms_stay_cheap(self):
        batch = receive(self, 1, 10_000)
        BlankForm.objects.bulk_create(
            BlankForm(batch=batch, number=n, serial=batch.serial(n), state="voided", reason="x")
            for n in range(1, 9_001)
            if n != 4_321
        )
        # The batches locked, the forms taken of each, the first form, the gap, the register.
        with self.assertNumQueries(5):
            form = blank_forms.next_form(CredentialKind.DIPLOMA, self.tc)
        self.assertEqual(form.serial, "TC 004321")


@time_machine.travel(TODAY, tick=False)
class ReprintAndDiscardTests(GraduationWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        pass_everything(cls.cohort)
        decision = graduation.graduation_decide(user=cls.office, cohort=cls.cohort, number="58", date=DECIDED)
        cls.batch = receive(cls, 1, 8, program=cls.tc)
        cls.issued = register.credentials_issue_for_decision(user=cls.office, decision=decision, issued_on=ISSUED)

    def test_a_misprint_is_reprinted_on_the_next_form(self):
        credential = self.issued[1]
        register_number, old_code = credential.register_number, credential.verification_code
        blank_forms.credential_reprint(user=self.office, credential=credential, reason="In lệch dòng họ tên")
        credential.refresh_from_db()
        self.assertEqual((credential.serial_number, credential.register_number), ("TC 000007", register_number))
        # The spoiled sheet's QR code no longer verifies: the reprint carries a new code.
        self.assertNotEqual(credential.verification_code, old_code)
        self.assertIsNone(lookup(old_code))
        self.assertEqual(lookup(credential.verification_code).serial_number, "TC 000007")
        spoiled = BlankForm.objects.get(serial="TC 000002")
        self.assertEqual(
            (spoiled.state, spoiled.reason, spoiled.credential), ("spoiled", "In lệch dòng họ tên", credential)
        )
        self.assertEqual(blank_forms.form_of(credential).serial, "TC 000007")
        audit = history(credential).filter(action="credential_reprinted").get()
        self.assertEqual(
            audit.changes,
            {
                "serial_number": ["TC 000002", "TC 000007"],
                "verification_code": [old_code, credential.verification_code],
            },
        )
        self.assertEqual((audit.user, audit.note), (self.office, "In lệch dòng họ tên"))
        self.assertEqual(history(spoiled).get().changes["state"], ["used", "spoiled"])
        self.assertEqual(blank_forms.reconcile(), [])
        # Twice more: the last form, then none left (and nothing changes).
        blank_forms.credential_reprint(user=self.office, credential=credential, reason="Lại lệch")
        with self.assertRaises(ValidationError):
            blank_forms.credential_reprint(user=self.office, credential=credential, reason="Lần nữa")
        credential.refresh_from_db()
        self.assertEqual(credential.serial_number, "TC 000008")
        self.assertEqual(BlankForm.objects.get(serial="TC 000008").state, "used")

    def test_reprint_refusals(self):
        credential = self.issued[0]
        with self.assertRaises(ValidationError) as refused:
            blank_forms.credential_reprint(user=self.office, credential=credential, reason="  ")
        self.assertEqual(list(refused.exception.message_dict), ["reason"])
        with self.assertRaises(PermissionDenied):
            blank_forms.credential_reprint(user=self.board, credential=credential, reason="In lệch")
        register.credential_void(user=self.office, credential=self.issued[2], reason="Cấp nhầm")
        with self.assertRaises(ValidationError):  # no longer valid
            blank_forms.credential_reprint(user=self.office, credential=self.issued[2], reason="In lệch")
        untracked = self.issued[3]
        BlankForm.objects.filter(credential=untracked).delete()
        with self.assertRaises(ValidationError):  # not printed on a tracked form
            blank_forms.credential_reprint(user=self.office, credential=untracked, reason="In lệch")
        self.assertFalse(AuditEntry.objects.filter(action="credential_reprinted").exists())

    def test_a_blank_is_spoiled_or_voided_with_its_reason(self):
        voided = blank_forms.form_discard(user=self.office, serial="tc 7", state="voided", reason="Mất khi chuyển")
        self.assertEqual(
            (voided.serial, voided.state, voided.credential, voided.by), ("TC 000007", "voided", None, self.office)
        )
        self.assertEqual(history(voided).get().note, "Mất khi chuyển")
        refusals = {
            "TC 000001": "serial",  # printed with a credential: reprinted from its page
            "TC 000007": "serial",  # recorded already
            "TC 000099": "serial",  # in no batch
            "BD 000001": "serial",
            "số 5": "serial",
        }
        for serial, field in refusals.items():
            with self.subTest(serial=serial), self.assertRaises(ValidationError) as refused:
                blank_forms.form_discard(user=self.office, serial=serial, state="spoiled", reason="In thử")
            self.assertEqual(list(refused.exception.message_dict), [field])
        with self.assertRaises(ValidationError):
            blank_forms.form_discard(user=self.office, serial="TC 000008", state="used", reason="x")
        with self.assertRaises(ValidationError):
            blank_forms.form_discard(user=self.office, serial="TC 000008", state="spoiled", reason="")
        with self.assertRaises(PermissionDenied):
            blank_forms.form_discard(user=self.coordinator, serial="TC 000008", state="spoiled", reason="x")
        self.assertEqual(BlankForm.objects.exclude(state="used").count(), 1)


@time_machine.travel(TODAY, tick=False)
class StockAndReconciliationTests(GraduationWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        pass_everything(cls.cohort)
        decision = graduation.graduation_decide(user=cls.office, cohort=cls.cohort, number="58", date=DECIDED)
        cls.cv = cls.programs["BD-CV"]
        receive(cls, 1, 4, program=cls.tc)
        receive(cls, 11, 20, program=cls.tc)
        receive(cls, 101, 200)
        receive(cls, 1, 50, kind=CredentialKind.CERTIFICATE, prefix="BD", program=cls.cv)
        receive(cls, 51, 150, kind=CredentialKind.CERTIFICATE, prefix="BD")
        cls.issued = register.credentials_issue_for_decision(user=cls.office, decision=decision, issued_on=ISSUED)
        blank_forms.credential_reprint(user=cls.office, credential=cls.issued[0], reason="In lệch")
        blank_forms.form_discard(user=cls.office, serial="TC 000150", state="voided", reason="Mất")
        blank_forms.form_discard(user=cls.office, serial="BD 000060", state="spoiled", reason="In thử")

    def test_stock_per_kind_and_program(self):
        with self.assertNumQueries(2):
            lines = blank_forms.stock()
        shown = [
            (line.kind, line.program.code if line.program else None, line.total,
             line.received, line.used, line.spoiled, line.voided, line.left)
            for line in lines
        ]  # fmt: skip
        self.assertEqual(
            shown,
            [
                ("diploma", "TC-LLCT-HC", False, 14, 6, 1, 0, 7),  # 6 issued and a misprint: 7 of the program's
                ("diploma", None, False, 100, 0, 0, 1, 99),
                ("diploma", None, True, 114, 6, 1, 1, 106),
                ("certificate", "BD-CV", False, 50, 0, 0, 0, 50),
                ("certificate", None, False, 100, 0, 1, 0, 99),
                ("certificate", None, True, 150, 0, 1, 0, 149),
            ],
        )

    def test_the_register_and_the_forms_match(self):
        with self.assertNumQueries(3):
            self.assertEqual(blank_forms.reconcile(), [])
        self.assertEqual(blank_forms.tracked_since(), {"diploma": RECEIVED, "certificate": RECEIVED})
        out = StringIO()
        call_command("blank_forms_check", stdout=out)
        self.assertIn("01/06/2026", out.getvalue())

    def test_mismatches_are_found(self):
        wrong, unprinted = self.issued[1], self.issued[2]
        Credential.objects.filter(pk=wrong.pk).update(serial_number="TC 000099")  # changed behind the register
        BlankForm.objects.filter(credential=unprinted).delete()  # printed on no form
        # Issued before the forms were tracked: not asked for a form.
        Credential.objects.filter(pk=self.issued[3].pk).update(issued_on=dt.date(2026, 5, 31))
        BlankForm.objects.filter(credential=self.issued[3]).delete()
        mismatches = blank_forms.reconcile()
        self.assertEqual(
            [(m.serial, m.credential) for m in mismatches],
            [("TC 000002", wrong), ("TC 000003", unprinted), ("TC 000099", wrong)],
        )
        self.assertIn("TC 000099", mismatches[0].problem)
        out = StringIO()
        with self.assertRaises(CommandError) as failed:
            call_command("blank_forms_check", stdout=out)
        self.assertEqual(failed.exception.returncode, 1)
        self.assertIn("TC 000003:", out.getvalue())

    def test_nothing_tracked(self):
        BlankForm.objects.all().delete()
        BlankFormBatch.objects.all().delete()
        self.assertEqual((blank_forms.stock(), blank_forms.reconcile()), ([], []))
        out = StringIO()
        call_command("blank_forms_check", stdout=out)
        self.assertTrue(out.getvalue())
        self.assertEqual(Credential.objects.filter(status=CredentialStatus.VALID).count(), 6)
