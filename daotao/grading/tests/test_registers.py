"""Registers (issue 23): a school merged into this one keeps its credentials and blank forms
in its own register (``register``), their numbers as that school printed them. The same
numbers stand in two registers, never twice in one; numbers are handed out, forms taken,
counted and reconciled in the school's own register only; a merged school's register is
named wherever its numbers are shown (pages, the print and its PDF, the public check, the
API). The merged school's rows are made here with the ORM, as the merge makes them."""

from __future__ import annotations

import datetime as dt
import itertools
from io import StringIO

import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import TestCase
from django.urls import reverse
from django.utils.html import escape

from daotao.grading import blank_forms, register
from daotao.grading.models import (
    REGISTER_MAX_LENGTH,
    BlankForm,
    BlankFormBatch,
    BlankFormState,
    Credential,
    CredentialKind,
    CredentialStatus,
    RegisterCounter,
    register_note,
)
from daotao.grading.tests.test_graduation_base import ISSUED, DecidedWorldTestCase
from daotao.grading.verification import format_code, lookup

MERGED = "Trường Chính trị tỉnh Bình Phước"
ISSUED_THERE = dt.date(2020, 7, 15)
RECEIVED = dt.date(2026, 6, 1)
TODAY = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
_addresses = itertools.count(1)


def merged_credential(enrollment, **values) -> Credential:
    """A diploma of the merged school's register, as the merge writes it: numbers as printed."""
    fields = {
        "kind": CredentialKind.DIPLOMA,
        "year": 2026,
        "sequence": 1,
        "register_number": "0001/2026/BTC",
        "serial_number": "TC 000001",
        "issued_on": ISSUED_THERE,
        "register": MERGED,
    }
    return Credential.objects.create(enrollment=enrollment, **{**fields, **values})


def merged_batch(first, last, *, prefix="TC", kind=CredentialKind.DIPLOMA) -> BlankFormBatch:
    return BlankFormBatch.objects.create(
        kind=kind, prefix=prefix, first_number=first, last_number=last, received_on=ISSUED_THERE, register=MERGED
    )


def merged_form(batch, number, credential=None, state=BlankFormState.USED) -> BlankForm:
    return BlankForm.objects.create(
        batch=batch,
        number=number,
        serial=batch.serial(number),
        register=batch.register,
        state=state,
        credential=credential,
        reason="" if state == BlankFormState.USED else "Mất",
    )


class ConstraintTests(DecidedWorldTestCase):
    """The database holds the registers apart: the same numbers in two registers, never twice
    in one (SQLite and PostgreSQL)."""

    def test_the_same_numbers_in_two_registers_but_never_twice_in_one(self):
        own = self.issue(0)
        self.assertEqual((own.register_number, own.serial_number, own.register), ("0001/2026/BTC", "TC 000001", ""))
        there = merged_credential(self.other_enrollments[0])  # the very same numbers, in its register
        self.assertEqual(Credential.objects.filter(register_number="0001/2026/BTC").count(), 2)
        twice = [
            {"sequence": 2, "serial_number": "TC 000002"},  # its register number again
            {"sequence": 2, "register_number": "0002/2026/BTC"},  # its serial again
            {"register_number": "0002/2026/BTC", "serial_number": "TC 000002"},  # its year's sequence again
        ]
        for register_name in (MERGED, ""):
            for values in twice:
                with self.subTest(register=register_name, values=values), self.assertRaises(IntegrityError):
                    with transaction.atomic():  # a savepoint, so that the test goes on
                        merged_credential(self.other_enrollments[1], register=register_name, **values)
        # A third register takes them all again.
        merged_credential(self.other_enrollments[1], register="Trường Chính trị tỉnh Bình Long")
        self.assertEqual(Credential.objects.filter(serial_number="TC 000001").count(), 3)
        self.assertEqual(there.register_note, register_note(MERGED))
        self.assertEqual(own.register_note, "")

    def test_a_forms_serial_once_in_a_register(self):
        blank_forms.batch_receive(
            user=self.office, kind="diploma", program=None, prefix="TC", first_number=1, last_number=10,
            received_on=RECEIVED,
        )  # fmt: skip
        own = self.issue(0)
        self.assertEqual(BlankForm.objects.get(credential=own).register, "")
        batch = merged_batch(1, 10)
        there = merged_form(batch, 1, merged_credential(self.other_enrollments[0]))
        self.assertEqual(BlankForm.objects.filter(serial="TC 000001").count(), 2)
        other = BlankFormBatch.objects.create(
            kind="diploma", prefix="TC", first_number=1, last_number=10, received_on=RECEIVED, register=MERGED
        )
        with self.assertRaises(IntegrityError), transaction.atomic():
            merged_form(other, 1, state=BlankFormState.VOIDED)  # TC 000001 twice in its register
        self.assertEqual(there.register_note, register_note(MERGED))

    def test_the_constraints_are_named_as_the_apps_are(self):
        with connection.cursor() as cursor:
            found = {
                table: {
                    name: (info["columns"], info["unique"])
                    for name, info in connection.introspection.get_constraints(cursor, table).items()
                }
                for table in ("grading_credential", "grading_blankform")
            }
        credential, form = found["grading_credential"], found["grading_blankform"]
        self.assertEqual(credential["credential_sequence_unique"], (["register", "kind", "year", "sequence"], True))
        self.assertEqual(credential["credential_register_number_unique"], (["register", "register_number"], True))
        self.assertEqual(credential["credential_serial_number_unique"], (["register", "serial_number"], True))
        self.assertEqual(form["blank_form_serial_unique"], (["register", "serial"], True))
        # No number is unique school-wide any more; the verification code still is.
        alone = {tuple(columns) for columns, unique in credential.values() if unique and len(columns) == 1}
        self.assertEqual(alone - {("id",)}, {("verification_code",), ("replaces_id",)})
        self.assertNotIn((["serial"], True), form.values())
        self.assertEqual(Credential._meta.get_field("register").max_length, REGISTER_MAX_LENGTH)


class IssuingTests(DecidedWorldTestCase):
    def test_numbers_are_handed_out_in_the_own_register_only(self):
        merged_credential(self.other_enrollments[0])
        merged_credential(
            self.other_enrollments[1], sequence=7, register_number="0007/2026/BTC", serial_number="TC 000007"
        )
        first, second = self.issue(0), self.issue(1)
        self.assertEqual(
            [(c.register, c.register_number, c.serial_number) for c in (first, second)],
            [("", "0001/2026/BTC", "TC 000001"), ("", "0002/2026/BTC", "TC 000002")],
        )
        self.assertEqual(
            set(RegisterCounter.objects.values_list("kind", "year", "last_number")),
            {("diploma", 2026, 2), ("diploma", 0, 2)},
        )

    def test_a_merged_schools_credential_is_voided_or_reissued_in_the_own_register(self):
        there = merged_credential(self.other_enrollments[0])
        new = register.credential_reissue(user=self.office, credential=there, reason="Mất bằng", issued_on=ISSUED)
        there.refresh_from_db()
        self.assertEqual((there.status, there.register, there.register_number), ("replaced", MERGED, "0001/2026/BTC"))
        self.assertEqual((new.register, new.register_number, new.replaces), ("", "0001/2026/BTC", there))
        voided = merged_credential(self.other_enrollments[1], sequence=2, register_number="0002/2026/BTC",
                                   serial_number="TC 000002")  # fmt: skip
        register.credential_void(user=self.office, credential=voided, reason="Cấp nhầm")
        voided.refresh_from_db()
        self.assertEqual((voided.status, voided.serial_number), (CredentialStatus.VOIDED, "TC 000002"))

    def test_a_merged_schools_diploma_is_still_issued_once(self):
        merged_credential(self.enrollments[0])
        with self.assertRaises(ValidationError):
            self.issue(0)


@time_machine.travel(TODAY, tick=False)
class BlankFormTests(DecidedWorldTestCase):
    def receive(self, first, last, prefix="TC", **extra):
        return blank_forms.batch_receive(
            user=self.office, kind=extra.pop("kind", "diploma"), program=None, prefix=prefix, first_number=first,
            last_number=last, received_on=RECEIVED, **extra,
        )  # fmt: skip

    def test_a_batch_overlaps_only_the_own_registers_batches(self):
        merged_batch(1, 100)
        merged_credential(self.other_enrollments[0], serial_number="TC 000005")
        batch = self.receive(1, 100)  # the merged school's range and serial are its own
        self.assertEqual(batch.register, "")
        with self.assertRaises(ValidationError):
            self.receive(50, 150)  # the own batch still counts
        self.assertEqual(BlankFormBatch.objects.filter(register="").count(), 1)

    def test_forms_are_taken_from_the_own_batches_only(self):
        batch = merged_batch(1, 10)
        # No batch of the school's own: its forms are not tracked, whatever the merged school had.
        self.assertIsNone(blank_forms.next_form("diploma", self.tc))
        self.receive(1, 10)
        merged_form(batch, 1, merged_credential(self.other_enrollments[0]))
        merged_form(batch, 2, state=BlankFormState.VOIDED)
        # TC 000001 and TC 000002 are taken in the merged school's register, not in the school's own.
        first, second = self.issue(0), self.issue(1)
        self.assertEqual((first.serial_number, second.serial_number), ("TC 000001", "TC 000002"))
        used = BlankForm.objects.filter(credential__in=[first, second]).values_list("register", "batch__register")
        self.assertEqual(list(used), [("", ""), ("", "")])
        self.assertEqual(BlankForm.objects.filter(register=MERGED).count(), 2)

    def test_a_merged_schools_form_is_not_discarded_here(self):
        merged_batch(1, 10, prefix="BP")
        with self.assertRaises(ValidationError) as caught:
            blank_forms.form_discard(user=self.office, serial="BP 000003", state="voided", reason="Mất")
        self.assertIn(MERGED, caught.exception.message_dict["serial"][0])
        self.assertIn("BP 000003", caught.exception.message_dict["serial"][0])
        self.assertFalse(BlankForm.objects.exists())
        # In both registers: the school's own form.
        merged_batch(1, 10)
        self.receive(1, 10)
        form = blank_forms.form_discard(user=self.office, serial="TC 000003", state="spoiled", reason="In thử")
        self.assertEqual((form.register, form.batch.register), ("", ""))

    def test_a_merged_schools_credential_is_not_reprinted(self):
        batch = merged_batch(1, 10)
        there = merged_credential(self.other_enrollments[0])
        merged_form(batch, 1, there)
        self.receive(1, 10)
        with self.assertRaises(ValidationError) as caught:
            blank_forms.credential_reprint(user=self.office, credential=there, reason="In lệch")
        self.assertIn(MERGED, caught.exception.messages[0])
        there.refresh_from_db()
        self.assertEqual(there.serial_number, "TC 000001")
        self.assertEqual(BlankForm.objects.get(credential=there).state, BlankFormState.USED)
        self.assertEqual(BlankForm.objects.filter(batch__register="").count(), 0)

    def test_the_stock_and_the_reconciliation_count_the_own_register(self):
        self.receive(1, 10)
        own = self.issue(0)
        batch = merged_batch(1, 500)
        merged_form(batch, 1, merged_credential(self.other_enrollments[0]))
        merged_form(batch, 2, state=BlankFormState.VOIDED)
        # A merged credential on no form, of a kind tracked here: not a mismatch of the school's own.
        merged_credential(self.other_enrollments[1], sequence=9, register_number="0009/2026/BTC",
                          serial_number="TC 000099", issued_on=RECEIVED)  # fmt: skip
        lines = blank_forms.stock()
        self.assertEqual([(line.received, line.used, line.voided, line.left) for line in lines], [(10, 1, 0, 9)])
        self.assertEqual(blank_forms.tracked_since(), {"diploma": RECEIVED})
        self.assertEqual(blank_forms.reconcile(), [])
        self.assertEqual(blank_forms.other_registers(), [MERGED])
        self.assertIn(MERGED, blank_forms.counted_note([MERGED]))
        self.assertNotEqual(blank_forms.counted_note([]), blank_forms.counted_note([MERGED]))
        # An own form used by a credential of another register is a mismatch.
        form = BlankForm.objects.get(credential=own)
        Credential.objects.filter(pk=own.pk).update(register="Trường Chính trị tỉnh Bình Long")
        mismatches = blank_forms.reconcile()
        self.assertEqual([m.serial for m in mismatches], [form.serial])
        self.assertIn("Bình Long", mismatches[0].problem)
        out = StringIO()
        Credential.objects.filter(pk=own.pk).update(register="")
        call_command("blank_forms_check", stdout=out)
        self.assertIn(MERGED, out.getvalue())

    def test_the_pages_name_the_register(self):
        self.receive(1, 10)
        batch = merged_batch(1, 500, prefix="BP")
        there = merged_credential(self.other_enrollments[0], serial_number="BP 000001")
        merged_form(batch, 1, there)
        merged_form(batch, 2, state=BlankFormState.SPOILED)
        self.client.force_login(self.office)
        note = register_note(MERGED)
        stock = self.client.get(reverse("grading:blank_forms"))
        self.assertContains(stock, escape(blank_forms.counted_note([MERGED])))
        self.assertNotContains(stock, "BP 000001")
        self.assertContains(self.client.get(reverse("grading:blank_form_batches")), note)
        self.assertContains(self.client.get(reverse("grading:blank_form_mark")), note)
        # The credential's page: its register, and no reprint on the school's forms.
        page = self.client.get(reverse("grading:credential", args=[there.pk]))
        self.assertContains(page, f"<td>{MERGED}</td>", html=False)
        self.assertNotContains(page, reverse("grading:credential_reprint", args=[there.pk]))
        reprint = reverse("grading:credential_reprint", args=[there.pk])
        self.assertContains(self.client.get(reprint), MERGED)
        response = self.client.post(reprint, {"reason": "In lệch"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, MERGED)
        there.refresh_from_db()
        self.assertEqual(there.serial_number, "BP 000001")


class RegisterPagesTests(DecidedWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.own = register.credential_issue(user=cls.office, enrollment=cls.enrollments[0], issued_on=ISSUED)
        cls.there = merged_credential(cls.other_enrollments[0])

    def test_the_search_finds_a_number_in_both_registers_each_with_its_register(self):
        self.client.force_login(self.office)
        response = self.client.get(reverse("grading:register"), {"q": "0001/2026"})
        self.assertEqual({c.pk for c in response.context["page"]}, {self.own.pk, self.there.pk})
        self.assertContains(response, register_note(MERGED), count=1)
        by_register = self.client.get(reverse("grading:register"), {"q": "Bình Phước"})
        self.assertEqual([c.pk for c in by_register.context["page"]], [self.there.pk])

    def test_a_merged_schools_credential_is_not_printed_here(self):
        """It was printed by the school whose register holds it, under its letterhead and
        signer: printed here it would name this school as its issuer."""
        self.client.force_login(self.office)
        url = reverse("grading:credential_print", args=[self.there.pk])
        detail = reverse("grading:credential", args=[self.there.pk])
        for asked in ({}, {"format": "pdf"}):
            response = self.client.get(url, asked, follow=True)
            self.assertRedirects(response, detail)
            self.assertContains(response, f"Văn bằng, chứng chỉ này thuộc sổ của {MERGED}")
        self.assertNotContains(self.client.get(detail), url)
        own = reverse("grading:credential_print", args=[self.own.pk])
        self.assertNotContains(self.client.get(own), "Sổ:")
        self.assertContains(self.client.get(reverse("grading:credential", args=[self.own.pk])), own)

    def test_the_public_check_names_the_register(self):
        found = lookup(self.there.verification_code)
        self.assertEqual((found.register, found.register_number), (MERGED, "0001/2026/BTC"))
        self.assertEqual(lookup(self.own.verification_code).register, "")
        address = f"198.51.100.{next(_addresses)}"
        page = self.client.get(reverse("credential-verify", args=[self.there.verification_code]), REMOTE_ADDR=address)
        self.assertContains(page, MERGED)
        page = self.client.get(reverse("credential-verify", args=[self.own.verification_code]), REMOTE_ADDR=address)
        self.assertNotContains(page, MERGED)
        body = self.client.get(
            f"/api/v1/verify/{format_code(self.there.verification_code)}", REMOTE_ADDR=address
        ).json()
        self.assertEqual((body["register_name"], body["register_number"]), (MERGED, "0001/2026/BTC"))

    def test_a_replacement_in_another_register_is_named(self):
        replaced = merged_credential(
            self.enrollments[0], sequence=3, register_number="0003/2026/BTC", serial_number="TC 000003",
            status=CredentialStatus.REPLACED,
        )  # fmt: skip
        Credential.objects.filter(pk=self.there.pk).update(replaces=replaced)
        found = lookup(replaced.verification_code)
        self.assertEqual((found.replacement.serial_number, found.replacement.register), ("TC 000001", MERGED))
        page = self.client.get(
            reverse("credential-verify", args=[replaced.verification_code]),
            REMOTE_ADDR=f"198.51.100.{next(_addresses)}",
        )
        self.assertContains(page, register_note(MERGED))


class RegisterNoteTests(TestCase):
    def test_a_note_only_for_another_register(self):
        self.assertEqual(register_note(""), "")
        self.assertIn(MERGED, register_note(MERGED))
