"""The graduation pages by role: the decision (preview, then record; office only), the
decisions of a class with the issuing of their credentials, one graduate with the
correction of the classification and its history."""

from decimal import Decimal as D

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from daotao.audit.models import AuditEntry
from daotao.grading import graduation
from daotao.grading.models import Credential, GraduationDecision, GraduationEntry
from daotao.grading.tests.test_graduation_base import DECIDED, GraduationWorldTestCase, grade_all
from daotao.school.models import DocumentKind, DocumentSigner
from daotao.testing import enroll
from daotao.testing_documents import pdf_text


class DecidePageTests(GraduationWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for enrollment in cls.enrollments[:5]:
            grade_all(enrollment, D("8.0"))
        grade_all(cls.enrollments[5], D("8.0"), exam=D("3.0"))
        cls.url = reverse("grading:decide", args=[cls.cohort.pk])

    def test_only_the_office_opens_it(self):
        for user in (self.board, self.coordinator, self.agency_user, self.lecturer_user, self.student_user):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403, user)
        self.client.logout()
        self.assertEqual(self.client.get(self.url).status_code, 302)
        self.client.force_login(self.office)
        self.assertEqual(self.client.get(reverse("grading:decide", args=[99999])).status_code, 404)

    def test_preview_then_record(self):
        self.client.force_login(self.office)
        page = self.client.get(self.url)
        self.assertEqual([r.enrollment for r in page.context["eligible"]], self.enrollments[:5])
        self.assertContains(page, self.enrollments[5].student.full_name)  # under "not yet", with the reason
        for bad in ({"number": "", "date": "22/06/2026"}, {"number": "58", "date": "2026-13-45"}):
            response = self.client.post(self.url, bad)
            self.assertEqual(response.status_code, 200)
            self.assertTrue(response.context["form"].errors)
        self.assertFalse(GraduationDecision.objects.exists())
        response = self.client.post(self.url, {"number": "58-QĐ/TCT", "date": "22/06/2026", "signed_by": "Hiệu trưởng"})
        self.assertRedirects(response, reverse("grading:decisions", args=[self.cohort.pk]))
        self.assertEqual(GraduationEntry.objects.count(), 5)
        response = self.client.post(self.url, {"number": "60", "date": "23/06/2026"})
        self.assertEqual(response.status_code, 200)  # nobody new: the refusal is shown on the form
        self.assertTrue(response.context["form"].non_field_errors())


class DecisionsPageTests(GraduationWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for enrollment in cls.enrollments:
            grade_all(enrollment, D("8.5"))
        cls.decision = graduation.graduation_decide(user=cls.office, cohort=cls.cohort, number="58", date=DECIDED)
        cls.url = reverse("grading:decisions", args=[cls.cohort.pk])

    def test_who_reads_it(self):
        for user in (self.office, self.board, self.coordinator):
            self.client.force_login(user)
            self.assertContains(self.client.get(self.url), self.enrollments[0].student.full_name)
        for user, status in ((self.other_coordinator, 404), (self.lecturer_user, 403), (self.student_user, 403)):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.url).status_code, status)
        self.client.force_login(self.board)
        self.assertNotContains(self.client.get(self.url), 'name="issued_on"')

    def test_office_issues_the_decisions_credentials(self):
        self.client.force_login(self.board)
        self.assertEqual(
            self.client.post(self.url, {"decision": self.decision.pk, "issued_on": "06/07/2026"}).status_code, 403
        )
        self.client.force_login(self.office)
        for bad in ({"decision": self.decision.pk, "issued_on": "x"}, {"decision": "0", "issued_on": "06/07/2026"}):
            self.assertEqual(self.client.post(self.url, bad).status_code, 200)
        self.assertFalse(Credential.objects.exists())
        response = self.client.post(self.url, {"decision": self.decision.pk, "issued_on": "06/07/2026"})
        self.assertRedirects(response, reverse("grading:register") + "?cohort=TC01")
        self.assertEqual(Credential.objects.count(), 6)
        self.assertContains(self.client.get(self.url), "0006/2026/BTC")

    def test_the_decision_as_the_school_signs_it(self):
        self.client.force_login(self.office)
        response = self.client.get(reverse("grading:decision_pdf", args=[self.cohort.pk, self.decision.pk]))
        self.assertEqual(response["Content-Type"], "application/pdf")
        text = pdf_text(response.content)
        # The class "Lớp TC01" named once as a class, and the annex citing the decision's number.
        self.assertIn("học viên lớp TC01 (TC01)", text)
        self.assertNotIn("lớp Lớp", text)
        self.assertRegex(text, r"Kèm theo Quyết định số 58-QĐ/\w+ ngày")

    def test_the_decision_keeps_who_signed_it(self):
        # The deputy signs graduation decisions on behalf of the head; a decision made then
        # still prints their title and name after the school names another signer.
        DocumentSigner.objects.create(
            kind=DocumentKind.GRADUATION, title="HIỆU TRƯỞNG", deputy_title="PHÓ HIỆU TRƯỞNG", name="Nguyễn Văn Thành"
        )
        enrollment = enroll(self.cohort, 1)[0]
        enrollment.cohort = self.cohort
        grade_all(enrollment, D("7.5"))
        decision = graduation.graduation_decide(user=self.office, cohort=self.cohort, number="73", date=DECIDED)
        self.assertEqual(
            (decision.signed_by, decision.signer_lines), ("Nguyễn Văn Thành", "KT. HIỆU TRƯỞNG\nPHÓ HIỆU TRƯỞNG")
        )
        DocumentSigner.objects.filter(kind=DocumentKind.GRADUATION).update(deputy_title="", name="Lê Văn Hùng")
        self.client.force_login(self.office)
        text = pdf_text(self.client.get(reverse("grading:decision_pdf", args=[self.cohort.pk, decision.pk])).content)
        for line in ("KT. HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG", "Nguyễn Văn Thành", "HIỆU TRƯỞNG TRƯỜNG CHÍNH TRỊ"):
            self.assertIn(line, text)
        self.assertNotIn("Lê Văn Hùng", text)

    def test_queries_do_not_grow_with_the_class(self):
        self.client.force_login(self.office)
        self.client.get(self.url)
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.url)
        for enrollment in enroll(self.cohort, 10):
            enrollment.cohort = self.cohort
            grade_all(enrollment, D("7.5"))
        graduation.graduation_decide(user=self.office, cohort=self.cohort, number="72", date=DECIDED)
        entry = GraduationEntry.objects.filter(decision__number="72").first()
        graduation.graduation_entry_correct(user=self.office, entry=entry, classification="good", reason="Phúc khảo")
        with self.assertNumQueries(len(few)):
            response = self.client.get(self.url)
        self.assertEqual(len(response.context["corrections"]), 1)


class EntryPageTests(GraduationWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for enrollment in cls.enrollments:
            grade_all(enrollment, D("8.5"))
        graduation.graduation_decide(user=cls.office, cohort=cls.cohort, number="58", date=DECIDED)
        cls.entry = GraduationEntry.objects.get(enrollment=cls.enrollments[0])
        cls.url = reverse("grading:entry", args=[cls.entry.pk])

    def test_correction_by_the_office_with_its_history(self):
        self.client.force_login(self.office)
        response = self.client.post(self.url, {"classification": "excellent", "reason": ""})
        self.assertEqual(response.status_code, 200)
        self.assertIn("reason", response.context["form"].errors)
        response = self.client.post(self.url, {"classification": "good", "reason": "x"})
        self.assertTrue(response.context["form"].errors)  # unchanged: refused on the form
        response = self.client.post(self.url, {"classification": "excellent", "reason": "Phúc khảo HP1"})
        self.assertRedirects(response, self.url)
        self.entry.refresh_from_db()
        self.assertEqual(self.entry.classification, "excellent")
        page = self.client.get(self.url)
        self.assertContains(page, "Phúc khảo HP1")
        self.assertContains(page, "office")
        self.assertEqual(AuditEntry.objects.filter(action="classification_corrected").count(), 1)

    def test_scope(self):
        for user in (self.board, self.coordinator, self.agency_user):
            self.client.force_login(user)
            expected = 404 if user == self.agency_user else 200  # the agency sent another student
            self.assertEqual(self.client.get(self.url).status_code, expected)
        self.client.force_login(self.board)
        self.assertNotContains(self.client.get(self.url), 'name="reason"')
        self.assertEqual(self.client.post(self.url, {"classification": "excellent", "reason": "x"}).status_code, 403)
        for user, status in ((self.other_coordinator, 404), (self.lecturer_user, 403), (self.student_user, 403)):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.url).status_code, status)
        self.entry.refresh_from_db()
        self.assertEqual(self.entry.classification, "good")
