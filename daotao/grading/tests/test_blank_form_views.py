"""The blank forms' pages: only the training office opens them; the stock with the
reconciliation (constant queries) and its .xlsx; recording a batch, marking a blank spoiled
or voided and reprinting a misprinted credential, each form shown again with its errors on
bad input; the register's pages lead to them."""

import datetime as dt
import io

import openpyxl
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from daotao.grading import blank_forms, graduation, register
from daotao.grading.models import BlankForm, BlankFormBatch, Credential
from daotao.grading.tests.test_graduation_base import DECIDED, ISSUED, GraduationWorldTestCase, pass_everything
from daotao.lib import xlsx

TODAY = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@time_machine.travel(TODAY, tick=False)
class BlankFormPagesTests(GraduationWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        pass_everything(cls.cohort)
        decision = graduation.graduation_decide(user=cls.office, cohort=cls.cohort, number="58", date=DECIDED)
        cls.batch = blank_forms.batch_receive(
            user=cls.office,
            kind="diploma",
            program=cls.tc,
            prefix="TC",
            first_number=1,
            last_number=1200,
            received_on=dt.date(2026, 6, 1),
            reference="PX-12/2026",
        )
        cls.issued = register.credentials_issue_for_decision(user=cls.office, decision=decision, issued_on=ISSUED)
        cls.credential = cls.issued[0]
        cls.pages = [
            reverse("grading:blank_forms"),
            reverse("grading:blank_forms_xlsx"),
            reverse("grading:blank_form_batches"),
            reverse("grading:blank_form_mark"),
            reverse("grading:credential_reprint", args=[cls.credential.pk]),
        ]

    def test_only_the_office_opens_them(self):
        for url in self.pages:
            with self.subTest(url=url):
                self.client.logout()
                self.assertRedirects(
                    self.client.get(url), f"/accounts/login/?next={url}", fetch_redirect_response=False
                )
                for user in (self.office, self.superuser):
                    self.client.force_login(user)
                    self.assertEqual(self.client.get(url).status_code, 200)
                for user in (self.board, self.coordinator, self.agency_user, self.lecturer_user, self.student_user):
                    self.client.force_login(user)
                    self.assertEqual(self.client.get(url).status_code, 403)
                    # Refused (the stock and its workbook take no form: 405 to anyone).
                    self.assertIn(self.client.post(url, {"reason": "x"}).status_code, (403, 405))
        self.assertEqual(BlankForm.objects.exclude(state="used").count(), 0)

    def test_stock_and_reconciliation(self):
        self.client.force_login(self.office)
        url = reverse("grading:blank_forms")
        response = self.client.get(url)
        self.assertContains(response, "1.200")  # received, the Vietnamese way
        self.assertContains(response, "1.194")  # left
        self.assertContains(response, 'class="badge ok"')
        self.assertContains(response, reverse("grading:blank_forms_xlsx"))
        self.assertEqual(self.client.post(url).status_code, 405)  # a page with no form
        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        # More batches, forms and a mismatch: the same queries.
        blank_forms.batch_receive(
            user=self.office, kind="certificate", program=None, prefix="BD", first_number=1, last_number=50,
            received_on=dt.date(2026, 6, 1),
        )  # fmt: skip
        blank_forms.form_discard(user=self.office, serial="BD 000003", state="voided", reason="Mất")
        Credential.objects.filter(pk=self.issued[1].pk).update(serial_number="TC 009999")
        with self.assertNumQueries(len(few)):
            response = self.client.get(url)
        self.assertContains(response, 'class="badge bad"')
        self.assertContains(response, "TC 009999")
        self.assertContains(response, reverse("grading:credential", args=[self.issued[1].pk]))

    def test_stock_workbook(self):
        blank_forms.form_discard(user=self.office, serial="TC 001200", state="spoiled", reason="In thử")
        self.client.force_login(self.office)
        response = self.client.get(reverse("grading:blank_forms_xlsx"))
        self.assertEqual(response["Content-Type"], xlsx.CONTENT_TYPE)
        sheet = openpyxl.load_workbook(io.BytesIO(response.content))["TonPhoi"]
        self.assertEqual([cell.value for cell in sheet[3]][2:], [1200, 6, 1, 0, 1193])
        self.assertEqual(sheet[3][1].value, self.tc.name)
        self.assertTrue(all(cell.number_format == xlsx.INTEGER for cell in sheet[3][2:]))
        self.assertTrue(all(cell.font.bold for cell in sheet[2]))
        self.assertEqual((sheet.freeze_panes, sheet.print_title_rows), ("A3", "$2:$2"))
        self.assertGreater(sheet.column_dimensions["B"].width, 30)

    def test_recording_a_batch(self):
        self.client.force_login(self.office)
        url = reverse("grading:blank_form_batches")
        page = self.client.get(url)
        self.assertContains(page, "TC 000001 – TC 001200")
        self.assertContains(page, "PX-12/2026")
        body = {
            "kind": "diploma",
            "program": "",
            "prefix": "tc",
            "first_number": "1150",
            "last_number": "1300",
            "received_on": "20/11/2026",
            "reference": "PX-40/2026",
            "note": "",
        }
        refused = self.client.post(url, body)  # overlaps the batch above
        self.assertEqual(refused.status_code, 200)
        self.assertIn("TC 000001 – TC 001200", str(refused.context["form"].non_field_errors()))
        self.assertContains(refused, 'value="PX-40/2026"')  # what was typed is kept
        for bad in ({"first_number": "abc"}, {"received_on": "31/02/2026"}, {"prefix": ""}, {"kind": "x"}):
            with self.subTest(bad=bad):
                response = self.client.post(url, {**body, **bad})
                self.assertEqual(response.status_code, 200)
                self.assertTrue(response.context["form"].errors)
        response = self.client.post(url, {**body, "first_number": "1201"})
        self.assertRedirects(response, url)
        batch = BlankFormBatch.objects.get(first_number=1201)
        self.assertEqual((batch.prefix, batch.program, batch.received_on), ("TC", None, dt.date(2026, 11, 20)))

    def test_marking_a_blank(self):
        self.client.force_login(self.office)
        url = reverse("grading:blank_form_mark")
        body = {"serial": "TC 000003", "state": "spoiled", "reason": "In thử"}
        refused = self.client.post(url, body)  # printed with a credential
        self.assertEqual(refused.status_code, 200)
        self.assertIn("serial", refused.context["form"].errors)
        self.assertEqual(self.client.post(url, {**body, "reason": ""}).status_code, 200)
        response = self.client.post(url, {**body, "serial": "tc 50", "state": "voided"})
        self.assertRedirects(response, url)
        self.assertEqual(BlankForm.objects.get(serial="TC 000050").state, "voided")
        self.assertContains(self.client.get(url), "TC 000050")

    def test_reprinting_a_misprint(self):
        self.client.force_login(self.office)
        detail = reverse("grading:credential", args=[self.credential.pk])
        url = reverse("grading:credential_reprint", args=[self.credential.pk])
        page = self.client.get(detail)
        self.assertContains(page, url)
        self.assertContains(page, "TC 000001")
        self.assertContains(self.client.get(url), "TC 000001")
        refused = self.client.post(url, {"reason": "  "})
        self.assertEqual(refused.status_code, 200)
        self.assertIn("reason", refused.context["form"].errors)
        response = self.client.post(url, {"reason": "In lệch dòng"})
        self.assertRedirects(response, detail)
        self.credential.refresh_from_db()
        self.assertEqual(self.credential.serial_number, "TC 000007")
        page = self.client.get(detail)
        self.assertContains(page, "TC 000007")
        self.assertContains(page, "In lệch dòng")  # the spoiled form and the history
        self.assertContains(page, "TC 000001 → TC 000007")
        # The board reads the credential; it is shown neither the action nor its link.
        self.client.force_login(self.board)
        self.assertNotContains(self.client.get(detail), url)

    def test_a_credential_not_printed_on_a_tracked_form(self):
        BlankForm.objects.filter(credential=self.issued[2]).delete()
        self.client.force_login(self.office)
        url = reverse("grading:credential_reprint", args=[self.issued[2].pk])
        self.assertNotContains(self.client.get(url), 'name="reason"')
        refused = self.client.post(url, {"reason": "In lệch"})
        self.assertEqual(refused.status_code, 200)
        self.assertTrue(refused.context["form"].non_field_errors())
        self.assertContains(refused, 'role="alert"')
        self.assertEqual(self.client.get(reverse("grading:credential_reprint", args=[0])).status_code, 404)
        register.credential_void(user=self.office, credential=self.issued[3], reason="Cấp nhầm")
        voided = self.client.post(reverse("grading:credential_reprint", args=[self.issued[3].pk]), {"reason": "x"})
        self.assertContains(voided, 'role="alert"')
        self.assertEqual(BlankForm.objects.get(credential=self.issued[3]).state, "used")

    def test_the_register_leads_to_them(self):
        stock = reverse("grading:blank_forms")
        self.client.force_login(self.office)
        self.assertContains(self.client.get(reverse("grading:register")), stock)
        self.assertContains(self.client.get(reverse("home")), stock)  # the menu
        for user in (self.board, self.coordinator):
            self.client.force_login(user)
            self.assertNotContains(self.client.get(reverse("grading:register")), stock)
