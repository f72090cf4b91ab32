"""The register: numbers unique and never reused, also when clerks issue at once; issued
once; reissue, void and the confirmation of a lost certificate, all audited."""

import datetime as dt
import threading
from decimal import Decimal as D

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import TransactionTestCase
from django.urls import reverse

from daotao.accounts import roles
from daotao.audit.models import AuditEntry, history
from daotao.grading import graduation, register
from daotao.grading.models import Credential, CredentialKind, CredentialStatus, Grade
from daotao.org.models import UnitKind
from daotao.programs.models import Program
from daotao.testing import TeachingWorldTestCase, enroll, make_cohort, make_module, make_unit, make_user

ISSUED = dt.date(2026, 7, 6)


def pass_everything(cohort, score=D("8.0")):
    grades = []
    for enrollment in cohort.enrollments.all():
        for module in cohort.program.modules.all():
            for assessment in module.assessments.all():
                grades.append(Grade(enrollment=enrollment, assessment=assessment, score=score))
    Grade.objects.bulk_create(grades)


class RegisterTests(TeachingWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        pass_everything(cls.cohort)
        cls.decision = graduation.graduation_decide(
            user=cls.office, cohort=cls.cohort, number="58-QĐ/TCT", date=dt.date(2026, 6, 22)
        )

    def test_issue_for_a_decision(self):
        issued = register.credentials_issue_for_decision(user=self.office, decision=self.decision, issued_on=ISSUED)
        self.assertEqual(len(issued), 6)
        self.assertEqual([c.sequence for c in issued], [1, 2, 3, 4, 5, 6])
        self.assertEqual(issued[0].register_number, "0001/2026/BTC")
        self.assertEqual(issued[0].serial_number, "TC 000001")
        self.assertEqual({c.kind for c in issued}, {CredentialKind.DIPLOMA})
        again = register.credentials_issue_for_decision(user=self.office, decision=self.decision, issued_on=ISSUED)
        self.assertEqual(again, [])
        self.assertEqual(AuditEntry.objects.filter(action="credential_issued").count(), 6)

    def test_issued_once(self):
        enrollment = self.enrollments[0]
        register.credential_issue(user=self.office, enrollment=enrollment, issued_on=ISSUED)
        with self.assertRaisesMessage(ValidationError, enrollment.student.full_name):
            register.credential_issue(user=self.office, enrollment=enrollment, issued_on=ISSUED)

    def test_not_without_graduation_nor_by_others(self):
        with self.assertRaises(ValidationError):
            register.credential_issue(user=self.office, enrollment=self.other_enrollments[0], issued_on=ISSUED)
        with self.assertRaises(PermissionDenied):
            register.credential_issue(user=self.board, enrollment=self.enrollments[0], issued_on=ISSUED)

    def test_reissue_gives_new_numbers_and_keeps_the_old_taken(self):
        first = register.credential_issue(user=self.office, enrollment=self.enrollments[0], issued_on=ISSUED)
        voided = register.credential_issue(user=self.office, enrollment=self.enrollments[1], issued_on=ISSUED)
        register.credential_void(user=self.office, credential=voided, reason="Cấp nhầm")
        new = register.credential_reissue(
            user=self.office, credential=first, reason="Sai ngày sinh", issued_on=dt.date(2026, 8, 3)
        )
        first.refresh_from_db()
        self.assertEqual((first.status, new.replaces_id, new.sequence), (CredentialStatus.REPLACED, first.pk, 3))
        self.assertNotIn(new.register_number, {first.register_number, voided.register_number})
        after_void = register.credential_issue(user=self.office, enrollment=self.enrollments[1], issued_on=ISSUED)
        self.assertEqual(after_void.sequence, 4)  # the voided number 2 is never given again
        self.assertEqual(len(set(Credential.objects.values_list("serial_number", flat=True))), 4)
        actions = [entry.action for entry in history(first)]
        self.assertIn("credential_replaced", actions)
        with self.assertRaises(ValidationError):
            register.credential_reissue(user=self.office, credential=first, reason="x", issued_on=ISSUED)

    def test_a_diploma_is_not_confirmed(self):
        diploma = register.credential_issue(user=self.office, enrollment=self.enrollments[0], issued_on=ISSUED)
        with self.assertRaises(ValidationError):
            register.confirmation_issue(user=self.office, credential=diploma, reason="Mất", issued_on=ISSUED)


class CertificateTests(TeachingWorldTestCase):
    def test_a_lost_certificate_gets_a_confirmation(self):
        program = self.programs["BD-CV"]
        make_module(program, "CV1", 8, (("Kiểm tra", "test", 100, False),))
        cohort = make_cohort("CV01", program, self.h01, dt.date(2026, 9, 7))
        enroll(cohort, 2)
        pass_everything(cohort)
        decision = graduation.graduation_decide(user=self.office, cohort=cohort, number="1", date=dt.date(2026, 10, 30))
        certificate, _other = register.credentials_issue_for_decision(
            user=self.office, decision=decision, issued_on=dt.date(2026, 10, 30)
        )
        self.assertEqual((certificate.kind, certificate.register_number), ("certificate", "0001/2026/CCBD"))
        confirmation = register.confirmation_issue(
            user=self.office, credential=certificate, reason="Báo mất", issued_on=dt.date(2026, 11, 20)
        )
        certificate.refresh_from_db()
        self.assertEqual(certificate.status, CredentialStatus.REPLACED)
        self.assertEqual((confirmation.kind, confirmation.register_number), ("confirmation", "0001/2026/XN"))
        with self.assertRaises(ValidationError):  # a certificate is issued once
            register.credential_issue(user=self.office, enrollment=certificate.enrollment, issued_on=dt.date.today())


class RegisterPagesTests(TeachingWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        pass_everything(cls.cohort)
        decision = graduation.graduation_decide(user=cls.office, cohort=cls.cohort, number="58", date=ISSUED)
        cls.credentials = register.credentials_issue_for_decision(user=cls.office, decision=decision, issued_on=ISSUED)
        cls.own = next(c for c in cls.credentials if c.enrollment_id == cls.enrollments[0].pk)
        cls.other = next(c for c in cls.credentials if c.enrollment_id == cls.enrollments[1].pk)

    def get(self, user, url):
        self.client.force_login(user)
        return self.client.get(url)

    def test_register_list_by_role(self):
        url = reverse("grading:register")
        self.assertContains(self.get(self.office, url), "0006/2026/BTC")
        self.assertContains(self.get(self.board, url), "0006/2026/BTC")
        self.assertContains(self.get(self.coordinator, url), "0001/2026/BTC")  # H01's class
        self.assertNotContains(self.get(self.other_coordinator, url), "/2026/BTC")
        self.assertEqual(self.get(self.lecturer_user, url).status_code, 403)
        self.assertEqual(self.get(self.student_user, url).status_code, 403)

    def test_detail_print_and_pdf(self):
        detail = reverse("grading:credential", args=[self.own.pk])
        self.assertContains(self.get(self.board, detail), self.own.serial_number)
        self.assertEqual(self.get(self.other_coordinator, detail).status_code, 404)
        printed = self.get(self.office, reverse("grading:credential_print", args=[self.own.pk]))
        self.assertContains(printed, self.own.enrollment.student.full_name)
        self.assertContains(printed, "BẰNG TỐT NGHIỆP")
        pdf = self.get(self.office, reverse("grading:credential_print", args=[self.own.pk]) + "?format=pdf")
        self.assertEqual(pdf["Content-Type"], "application/pdf")
        self.assertTrue(pdf.content.startswith(b"%PDF"))

    def test_reissue_from_the_page(self):
        url = reverse("grading:credential", args=[self.own.pk])
        self.client.force_login(self.board)
        self.assertEqual(self.client.post(url, {"action": "reissue", "reason": "x"}).status_code, 403)
        self.client.force_login(self.office)
        response = self.client.post(url, {"action": "reissue", "reason": "", "issued_on": "03/08/2026"})
        self.assertEqual(response.status_code, 200)  # the reason is required: re-displayed
        response = self.client.post(url, {"action": "reissue", "reason": "Sai tên", "issued_on": "03/08/2026"})
        new = Credential.objects.get(replaces=self.own)
        self.assertRedirects(response, reverse("grading:credential", args=[new.pk]))
        self.assertEqual(new.issued_on, dt.date(2026, 8, 3))


class ConcurrentIssuingTests(TransactionTestCase):
    """Eight clerks issue five credentials each at the same moment: 40 numbers, 1 to 40,
    none twice, none lost (real threads and connections, on SQLite and PostgreSQL)."""

    def test_concurrent_issuing(self):
        province = make_unit("BA", "Tỉnh", UnitKind.PROVINCE)
        program = Program.objects.create(code="TC", name="TC", kind="training", category="political_theory")
        make_module(program, "HP1", 30, (("Thi", "written_exam", 100, True),))
        cohort = make_cohort("C1", program, province, dt.date(2026, 1, 5))
        enroll(cohort, 40)
        pass_everything(cohort)
        office = make_user("office", roles.TRAINING_OFFICE)
        graduation.graduation_decide(user=office, cohort=cohort, number="1", date=dt.date(2026, 6, 1))
        enrollments = list(cohort.enrollments.select_related("cohort__program", "student").order_by("pk"))
        barrier, errors = threading.Barrier(8), []

        def clerk(batch):
            try:
                barrier.wait(timeout=10)
                for enrollment in batch:
                    register.credential_issue(user=office, enrollment=enrollment, issued_on=ISSUED)
            except Exception as error:
                errors.append(repr(error))
            finally:
                connection.close()

        threads = [threading.Thread(target=clerk, args=(enrollments[i::8],)) for i in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertEqual(errors, [])
        sequences = sorted(Credential.objects.values_list("sequence", flat=True))
        self.assertEqual(sequences, list(range(1, 41)))
        self.assertEqual(Credential.objects.values("serial_number").distinct().count(), 40)
        self.assertEqual(Credential.objects.values("enrollment").distinct().count(), 40)
