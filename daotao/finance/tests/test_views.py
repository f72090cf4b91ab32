"""The finance pages: who opens and who changes them, forms that re-display with their
errors and change nothing, the figures shown, the workbooks, the receipt's PDF and the
query counts."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from daotao.finance import services
from daotao.finance.models import Budget, Fee, Payment
from daotao.lib import xlsx
from daotao.teaching import services as services_teaching
from daotao.testing import TeachingWorldTestCase, enroll, make_cohort

NOW = dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC)
# The session, the user and their roles, then the year's four (classes, budget lines, students, payments).
YEAR_QUERIES = 7
# The session, the user and their roles, the class, its fee, its students with what they paid,
# its payments.
CLASS_QUERIES = 7


@time_machine.travel(NOW, tick=False)
class FinancePagesTests(TeachingWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.paying = make_cohort("TT01", cls.tc, cls.h01, dt.date(2026, 1, 5), funding="self_funded")
        cls.students = enroll(cls.paying, 3)
        services.fee_save(user=cls.office, cohort=cls.paying, amount=2_500_000, bars_exam=True)
        cls.payment = services.payment_record(
            user=cls.office, enrollment=cls.students[0], amount=2_500_000, paid_on=dt.date(2026, 3, 2)
        )
        services.budget_save(
            user=cls.office,
            cohort=cls.cohort,
            source="province",
            pay_rate=150_000,
            planned={"materials": 1_250_000},
            settled={},
        )

    def open(self, user, name, *args, **params):
        self.client.force_login(user)
        return self.client.get(reverse(name, args=args), params)

    def post(self, user, name, *args, data):
        self.client.force_login(user)
        return self.client.post(reverse(name, args=args), data)

    def test_the_office_and_the_board_read_a_class(self):
        for user in (self.office, self.board):
            response = self.open(user, "finance:cohort", self.paying.pk)
            self.assertContains(response, "2.500.000 đ")
            self.assertContains(response, "5.000.000 đ")  # still owed by the two others
            self.assertContains(response, "0001/2026")
            response = self.open(user, "finance:cohort", self.cohort.pk)
            self.assertContains(response, "1.250.000 đ")
        self.assertContains(
            self.open(self.office, "finance:cohort", self.paying.pk),
            reverse("finance:payment_add", args=[self.paying.pk]),
        )
        self.assertNotContains(
            self.open(self.board, "finance:cohort", self.paying.pk),
            reverse("finance:payment_add", args=[self.paying.pk]),
        )

    def test_others_are_refused(self):
        for user in (self.coordinator, self.lecturer_user, self.student_user, self.nobody):
            for name, args in (
                ("finance:cohort", [self.paying.pk]),
                ("finance:year", []),
                ("finance:receipt", [self.payment.pk]),
                ("finance:cohort_xlsx", [self.cohort.pk]),
            ):
                self.assertEqual(self.open(user, name, *args).status_code, 403, (user, name))

    def test_the_board_changes_nothing(self):
        for name, args, data in (
            ("finance:fee_edit", [self.paying.pk], {"amount": "1"}),
            (
                "finance:payment_add",
                [self.paying.pk],
                {"enrollment": self.students[1].pk, "amount": "1", "paid_on": "02/03/2026"},
            ),
            ("finance:payment_void", [self.payment.pk], {"reason": "x"}),
            ("finance:budget_edit", [self.cohort.pk], {"source": "locality", "pay_rate": "1"}),
            ("finance:budget_settle", [self.cohort.pk], {"settled_on": "20/03/2026"}),
        ):
            self.assertEqual(self.post(self.board, name, *args, data=data).status_code, 403, name)
        self.assertEqual(Fee.objects.get().amount, 2_500_000)
        self.assertEqual(Payment.objects.count(), 1)
        self.assertEqual(Budget.objects.get().pay_rate, 150_000)

    def test_a_payment_recorded_through_the_form(self):
        response = self.post(
            self.office,
            "finance:payment_add",
            self.paying.pk,
            data={"enrollment": self.students[1].pk, "amount": "1.000.000", "paid_on": "05/03/2026"},
        )
        self.assertRedirects(response, reverse("finance:cohort", args=[self.paying.pk]))
        payment = Payment.objects.get(enrollment=self.students[1])
        self.assertEqual((payment.amount, payment.receipt_number), (1_000_000, "0002/2026"))

    def test_bad_input_is_shown_again_and_changes_nothing(self):
        for amount in ("abc", "-5", "1,5", "99.999.999.999", "=1+1", "3.000.000"):
            with self.subTest(amount):
                response = self.post(
                    self.office,
                    "finance:payment_add",
                    self.paying.pk,
                    data={"enrollment": self.students[1].pk, "amount": amount, "paid_on": "05/03/2026"},
                )
                self.assertEqual(response.status_code, 200)
                self.assertTrue(response.context["form"].errors)
        other = enroll(self.cohort, 1)[0]  # a student of another class
        response = self.post(
            self.office,
            "finance:payment_add",
            self.paying.pk,
            data={"enrollment": other.pk, "amount": "1.000", "paid_on": "05/03/2026"},
        )
        self.assertIn("enrollment", response.context["form"].errors)
        self.assertEqual(Payment.objects.count(), 1)
        response = self.post(self.office, "finance:fee_edit", self.paying.pk, data={"amount": "-1"})
        self.assertTrue(response.context["form"].errors)
        response = self.post(self.office, "finance:fee_edit", self.cohort.pk, data={"amount": "1.000"})
        self.assertTrue(response.context["form"].errors)  # a supported class has no fee
        self.assertEqual(Fee.objects.count(), 1)
        response = self.post(self.office, "finance:budget_settle", self.cohort.pk, data={"settled_on": "20/03/2026"})
        self.assertEqual(response.status_code, 400)  # the settled amounts are missing
        self.assertFalse(Budget.objects.get().is_settled)

    def test_voiding_a_receipt(self):
        response = self.post(self.office, "finance:payment_void", self.payment.pk, data={"reason": ""})
        self.assertTrue(response.context["form"].errors)
        response = self.post(self.office, "finance:payment_void", self.payment.pk, data={"reason": "Ghi nhầm."})
        self.assertRedirects(response, reverse("finance:cohort", args=[self.paying.pk]))
        self.assertTrue(Payment.objects.get().is_voided)

    def test_the_receipt_is_a_pdf(self):
        response = self.open(self.board, "finance:receipt", self.payment.pk)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))

    def test_the_class_workbook(self):
        self.client.force_login(self.office)
        response = self.client.get(reverse("finance:cohort_xlsx", args=[self.paying.pk]))
        sheet = openpyxl.load_workbook(io.BytesIO(response.content))["TaiChinh"]
        rows = {row[0].value: row for row in sheet.iter_rows() if row[0].value}
        paid = rows[self.students[0].student.full_name]
        self.assertEqual([cell.value for cell in paid[1:4]], [2_500_000, 2_500_000, 0])
        self.assertEqual({cell.number_format for cell in paid[1:4]}, {xlsx.INTEGER})

    def test_the_year_report_and_workbook(self):
        response = self.open(self.office, "finance:year", year=2026)
        self.assertContains(response, "TT01")
        self.assertContains(response, "7.500.000 đ")
        self.assertContains(response, "TC01")
        self.client.force_login(self.office)
        response = self.client.get(reverse("finance:year"), {"year": 2026, "format": "xlsx"})
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        fees = {row[0].value: [cell.value for cell in row] for row in book["HocPhi"].iter_rows() if row[0].value}
        self.assertEqual(fees["TT01"][1:], [3, 2_500_000, 7_500_000, 2_500_000, 5_000_000])
        budgets = {row[0].value: [cell.value for cell in row] for row in book["KinhPhi"].iter_rows() if row[0].value}
        self.assertEqual(budgets["TC01"][2], 1_250_000)
        self.assertEqual(self.open(self.office, "finance:year", year="abc").status_code, 400)
        self.assertEqual(len(self.open(self.office, "finance:year", year=2024).context["report"].self_funded), 0)

    def test_a_fixed_number_of_queries(self):
        self.client.force_login(self.office)
        for extra in (0, 3):
            enroll(self.paying, extra)
            services.payment_record(
                user=self.office, enrollment=self.students[1], amount=10_000 + extra, paid_on=dt.date(2026, 3, 2)
            )
            other = make_cohort(f"TT9{extra}", self.tc, self.h01, dt.date(2026, 1, 5), funding="self_funded")
            services.fee_save(user=self.office, cohort=other, amount=1_000, bars_exam=False)
            with self.assertNumQueries(YEAR_QUERIES):
                self.client.get(reverse("finance:year"), {"year": 2026})
            with self.assertNumQueries(CLASS_QUERIES):
                self.client.get(reverse("finance:cohort", args=[self.paying.pk]))

    def test_the_class_tab_is_for_the_school_staff(self):
        tab = reverse("finance:cohort", args=[self.cohort.pk])
        self.assertContains(self.open(self.office, "cohorts:detail", self.cohort.code), tab)
        self.assertContains(self.open(self.board, "cohorts:detail", self.cohort.code), tab)
        self.assertNotContains(self.open(self.coordinator, "cohorts:detail", self.cohort.code), tab)


@time_machine.travel(NOW, tick=False)
class BudgetPagesTests(TeachingWorldTestCase):
    def form(self, **changes):
        data = {"source": "province", "pay_rate": "150.000", "notes": ""}
        for item in ("teaching", "materials", "field_trip", "certificates", "other"):
            data[f"planned_{item}"] = "1.000.000"
            if item != "teaching":
                data[f"settled_{item}"] = "900.000"
        data.update(changes)
        return data

    def test_plan_then_settle_through_the_pages(self):
        self.client.force_login(self.office)
        address = reverse("finance:budget_edit", args=[self.cohort.pk])
        self.assertEqual(self.client.get(address).status_code, 200)
        response = self.client.post(address, self.form())
        self.assertRedirects(response, reverse("finance:cohort", args=[self.cohort.pk]))
        budget = Budget.objects.get(cohort=self.cohort)
        self.assertEqual((budget.source, budget.pay_rate), ("province", 150_000))
        response = self.client.post(
            reverse("finance:budget_settle", args=[self.cohort.pk]), {"settled_on": "20/03/2026"}
        )
        self.assertRedirects(response, reverse("finance:cohort", args=[self.cohort.pk]))
        self.assertTrue(Budget.objects.get().is_settled)
        page = self.client.get(reverse("finance:cohort", args=[self.cohort.pk]))
        self.assertNotContains(page, address)  # a settled budget is no longer edited
        self.assertEqual(self.client.post(address, self.form(pay_rate="1")).status_code, 200)
        self.assertEqual(Budget.objects.get().pay_rate, 150_000)

    def test_bad_amounts_are_shown_again(self):
        self.client.force_login(self.office)
        address = reverse("finance:budget_edit", args=[self.cohort.pk])
        for changes in (
            {"pay_rate": "abc"},
            {"pay_rate": "50.000.000"},
            {"planned_materials": "-1"},
            {"settled_other": "1.5"},
            {"source": "bank"},
        ):
            with self.subTest(changes):
                response = self.client.post(address, self.form(**changes))
                self.assertEqual(response.status_code, 200)
                self.assertTrue(response.context["form"].errors)
        self.assertFalse(Budget.objects.exists())

    def test_the_budget_page_reads_a_fixed_number_of_queries(self):
        services.budget_save(
            user=self.office, cohort=self.cohort, source="province", pay_rate=100_000, planned={}, settled={}
        )
        self.client.force_login(self.office)
        address = reverse("finance:cohort", args=[self.cohort.pk])
        counts = []
        for day in (dt.date(2026, 3, 10), dt.date(2026, 3, 11)):
            services_teaching.lesson_schedule(
                user=self.office,
                cohort=self.cohort,
                module=self.m3,
                lecturer=self.other_lecturer,
                date=day,
                session="morning",
                periods=5,
            )
            with CaptureQueriesContext(connection) as context:
                response = self.client.get(address)
            counts.append(len(context))
        self.assertEqual(counts[0], counts[1])
        self.assertContains(response, "1.000.000 đ")  # 10 hours × 100.000
