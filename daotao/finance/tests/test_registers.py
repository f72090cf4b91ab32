"""Receipts in registers (issue 23): a school merged into this one keeps its receipts in its own
register, numbered as it wrote them. The same number of a year stands in two registers, never
twice in one; ``payment_record`` numbers the school's own register only; a merged school's
receipt counts as paid, is voided like any other and names its register on the class's page
and its PDF. Its payments are made here with the ORM, as the merge makes them."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase
from django.urls import reverse

from daotao.finance import services
from daotao.finance.fees import fee_status
from daotao.finance.models import Payment, ReceiptCounter
from daotao.grading.models import register_note
from daotao.grading.tests.test_bands_migration import migrate_to_latest
from daotao.grading.tests.test_registers_migration import an_enrollment
from daotao.testing import TeachingWorldTestCase, enroll, make_cohort
from daotao.testing_documents import pdf_layout_problems, pdf_text

MERGED = "Trường Chính trị tỉnh Bình Phước"
NOW = dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC)


def merged_payment(enrollment, number, *, year=2026, amount=1_000_000, register=MERGED) -> Payment:
    return Payment.objects.create(
        enrollment=enrollment, amount=amount, paid_on=dt.date(year, 1, 15), year=year, number=number, register=register
    )


@time_machine.travel(NOW, tick=False)
class ReceiptRegisterTests(TeachingWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.paying = make_cohort("TT01", cls.tc, cls.h01, dt.date(2026, 1, 5), funding="self_funded")
        cls.students = enroll(cls.paying, 3)
        services.fee_save(user=cls.office, cohort=cls.paying, amount=2_500_000, bars_exam=True)

    def record(self, enrollment, amount=500_000):
        return services.payment_record(
            user=self.office, enrollment=enrollment, amount=amount, paid_on=dt.date(2026, 3, 2)
        )

    def test_a_receipt_number_once_a_year_in_each_register(self):
        there = merged_payment(self.students[0], 1)
        own = self.record(self.students[1])
        self.assertEqual((own.register, own.receipt_number), ("", "0001/2026"))
        self.assertEqual(Payment.objects.filter(year=2026, number=1).count(), 2)
        for register in (MERGED, ""):
            with self.subTest(register=register), self.assertRaises(IntegrityError), transaction.atomic():
                merged_payment(self.students[2], 1, register=register)
        merged_payment(self.students[2], 1, year=2025)  # another year of its register
        self.assertEqual(there.register_note, register_note(MERGED))
        self.assertEqual(own.register_note, "")

    def test_the_constraint_is_named_as_the_apps_are(self):
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, Payment._meta.db_table)
        found = constraints["payment_receipt_number_once_a_year"]
        self.assertEqual((found["columns"], found["unique"]), (["register", "year", "number"], True))

    def test_receipts_are_numbered_in_the_own_register_only(self):
        for number in (1, 2, 7):
            merged_payment(self.students[0], number, amount=100_000)
        numbers = [self.record(student).receipt_number for student in self.students[1:]]
        self.assertEqual(numbers, ["0001/2026", "0002/2026"])
        self.assertEqual(ReceiptCounter.objects.get(year=2026).last_number, 2)

    def test_a_merged_schools_receipt_counts_as_paid_and_is_voided_here(self):
        there = merged_payment(self.students[0], 1, amount=2_000_000)
        line = next(line for line in fee_status(self.paying).lines if line.enrollment.pk == self.students[0].pk)
        self.assertEqual((line.paid, line.owed), (2_000_000, 500_000))
        services.payment_void(user=self.office, payment=there, reason="Thu trùng")
        there.refresh_from_db()
        self.assertEqual((there.is_voided, there.register, there.number), (True, MERGED, 1))

    def test_the_class_page_and_the_receipt_name_the_register(self):
        there = merged_payment(self.students[0], 1)
        own = self.record(self.students[1])
        self.client.force_login(self.office)
        page = self.client.get(reverse("finance:cohort", args=[self.paying.pk]))
        self.assertContains(page, register_note(MERGED), count=1)
        self.assertContains(self.client.get(reverse("finance:payment_void", args=[there.pk])), register_note(MERGED))
        response = self.client.get(reverse("finance:receipt", args=[there.pk]))
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertEqual(pdf_layout_problems(response.content), [])
        text = pdf_text(response.content)
        self.assertIn(f"0001/2026 (sổ: {MERGED})", text)
        self.assertNotIn("sổ:", pdf_text(self.client.get(reverse("finance:receipt", args=[own.pk])).content))
        response = self.client.post(
            reverse("finance:payment_void", args=[there.pk]), {"reason": "Thu trùng"}, follow=True
        )
        self.assertContains(response, register_note(MERGED))


class OwnRegisterMigrationTests(TransactionTestCase):
    def tearDown(self):
        migrate_to_latest()
        super().tearDown()

    def test_the_payments_on_record_are_the_schools_own(self):
        before, after = [("finance", "0002_grants")], [("finance", "0003_payment_register")]
        executor = MigrationExecutor(connection)
        executor.migrate(before)
        old = executor.loader.project_state(before).apps.get_model("finance", "Payment")
        enrollment = an_enrollment()
        old.objects.create(enrollment_id=enrollment.pk, amount=1_000, paid_on=dt.date(2026, 1, 5), year=2026, number=4)
        MigrationExecutor(connection).migrate(after)
        self.assertEqual(list(Payment.objects.values_list("register", "year", "number")), [("", 2026, 4)])
