"""The register services: numbers in their registers, unique and never reused (also after
a void), issued once, reissue, void and the confirmation of a lost certificate, every
number given and every change of status audited."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError

from daotao.audit.models import AuditEntry, history
from daotao.grading import graduation, register
from daotao.grading.models import Credential, CredentialKind, CredentialStatus, RegisterCounter
from daotao.grading.tests.test_graduation_base import (
    DECIDED,
    ISSUED,
    DecidedWorldTestCase,
    GraduationWorldTestCase,
    fostering_cohort,
    pass_everything,
)


class DiplomaTests(DecidedWorldTestCase):
    def test_issue_for_a_decision_in_class_order(self):
        issued = register.credentials_issue_for_decision(user=self.office, decision=self.decision, issued_on=ISSUED)
        self.assertEqual([c.enrollment for c in issued], self.enrollments)
        self.assertEqual([c.sequence for c in issued], [1, 2, 3, 4, 5, 6])
        self.assertEqual((issued[0].register_number, issued[0].serial_number), ("0001/2026/BTC", "TC 000001"))
        self.assertEqual(issued[5].register_number, "0006/2026/BTC")
        self.assertEqual({(c.kind, c.year, c.status) for c in issued}, {("diploma", 2026, "valid")})
        self.assertEqual(issued[0].graduation.decision, self.decision)
        self.assertEqual(
            register.credentials_issue_for_decision(user=self.office, decision=self.decision, issued_on=ISSUED), []
        )

    def test_every_number_given_is_audited(self):
        credential = self.issue(0)
        audit = history(credential).get()
        self.assertEqual((audit.action, audit.user), ("credential_issued", self.office))
        self.assertEqual(audit.changes["register_number"], [None, "0001/2026/BTC"])
        self.assertEqual(audit.changes["serial_number"], [None, "TC 000001"])
        self.assertEqual(audit.changes["status"], [None, "valid"])

    def test_issued_once(self):
        self.issue(0)
        with self.assertRaisesMessage(ValidationError, self.enrollments[0].student.full_name):
            self.issue(0)
        self.assertEqual(Credential.objects.count(), 1)

    def test_issue_by_graduation_entry(self):
        entry = self.decision.entries.get(enrollment=self.enrollments[3])
        credential = register.credential_issue(user=self.office, graduation_entry=entry, issued_on=ISSUED)
        self.assertEqual((credential.enrollment, credential.graduation), (self.enrollments[3], entry))
        with self.assertRaises(TypeError):  # one or the other
            register.credential_issue(user=self.office, issued_on=ISSUED)

    def test_refusals(self):
        with self.assertRaises(ValidationError) as refused:  # a training program gives a diploma
            register.credential_issue(
                user=self.office, enrollment=self.enrollments[0], issued_on=ISSUED, kind=CredentialKind.CERTIFICATE
            )
        self.assertEqual(list(refused.exception.message_dict), ["kind"])
        with self.assertRaises(ValidationError):  # not in a graduation decision
            register.credential_issue(user=self.office, enrollment=self.other_enrollments[0], issued_on=ISSUED)
        with self.assertRaises(ValidationError):  # a confirmation is only for a lost certificate
            register.credential_issue(
                user=self.office, enrollment=self.enrollments[0], issued_on=ISSUED, kind=CredentialKind.CONFIRMATION
            )
        with self.assertRaises(ValidationError):
            register.credential_issue(user=self.office, enrollment=self.enrollments[0], issued_on=None)
        for user in (self.board, self.coordinator, self.agency_user, self.lecturer_user, self.student_user):
            with self.assertRaises(PermissionDenied):
                register.credential_issue(user=user, enrollment=self.enrollments[0], issued_on=ISSUED)
        self.assertFalse(Credential.objects.exists())
        self.assertFalse(RegisterCounter.objects.exists())

    def test_void_keeps_the_numbers_taken(self):
        voided = self.issue(0)
        with self.assertRaises(ValidationError):
            register.credential_void(user=self.office, credential=voided, reason=" ")
        register.credential_void(user=self.office, credential=voided, reason="Cấp nhầm")
        voided.refresh_from_db()
        self.assertEqual((voided.status, voided.reason), (CredentialStatus.VOIDED, "Cấp nhầm"))
        again = self.issue(0)
        self.assertEqual(
            (again.sequence, again.register_number, again.serial_number), (2, "0002/2026/BTC", "TC 000002")
        )
        with self.assertRaises(ValidationError):  # voided once is enough
            register.credential_void(user=self.office, credential=voided, reason="Lần nữa")
        audit = AuditEntry.objects.get(action="credential_voided")
        self.assertEqual((audit.changes, audit.note), ({"status": ["valid", "voided"]}, "Cấp nhầm"))

    def test_reissue_gives_new_numbers_and_links_the_old(self):
        first = self.issue(0)
        second = self.issue(1)
        new = register.credential_reissue(
            user=self.office, credential=first, reason="Sai ngày sinh", issued_on=dt.date(2026, 8, 3)
        )
        first.refresh_from_db()
        self.assertEqual((first.status, first.reason), (CredentialStatus.REPLACED, "Sai ngày sinh"))
        self.assertEqual((new.replaces, new.sequence, new.register_number), (first, 3, "0003/2026/BTC"))
        self.assertEqual((new.status, new.graduation, new.issued_on), ("valid", first.graduation, dt.date(2026, 8, 3)))
        self.assertNotIn(new.serial_number, {first.serial_number, second.serial_number})
        self.assertEqual([e.action for e in history(first)], ["credential_replaced", "credential_issued"])
        self.assertEqual(history(new).get().changes["replaces"], [None, first.pk])
        with self.assertRaises(ValidationError):  # a replaced one is not reissued again
            register.credential_reissue(user=self.office, credential=first, reason="x", issued_on=ISSUED)
        with self.assertRaises(ValidationError):  # not dated before the one it replaces
            register.credential_reissue(user=self.office, credential=new, reason="x", issued_on=ISSUED)
        with self.assertRaises(ValidationError):  # a diploma is reissued, not confirmed
            register.confirmation_issue(user=self.office, credential=new, reason="Mất", issued_on=dt.date(2026, 9, 1))
        with self.assertRaises(PermissionDenied):
            register.credential_reissue(user=self.board, credential=new, reason="x", issued_on=dt.date(2026, 9, 1))

    def test_a_new_year_starts_its_register_the_serials_run_on(self):
        self.issue(0)
        self.issue(1)
        next_year = self.issue(2, issued_on=dt.date(2027, 1, 4))
        self.assertEqual((next_year.register_number, next_year.serial_number), ("0001/2027/BTC", "TC 000003"))
        counters = set(RegisterCounter.objects.values_list("kind", "year", "last_number"))
        self.assertEqual(counters, {("diploma", 2026, 2), ("diploma", 2027, 1), ("diploma", register.SERIAL_YEAR, 3)})


class CertificateTests(GraduationWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.fostering = fostering_cohort(cls)
        pass_everything(cls.fostering)
        cls.decision = graduation.graduation_decide(user=cls.office, cohort=cls.fostering, number="9", date=DECIDED)

    def test_certificates_then_a_confirmation_for_a_lost_one(self):
        certificate, other = register.credentials_issue_for_decision(
            user=self.office, decision=self.decision, issued_on=dt.date(2026, 10, 30)
        )
        self.assertEqual((certificate.kind, certificate.register_number), ("certificate", "0001/2026/CCBD"))
        self.assertEqual((certificate.serial_number, other.register_number), ("BD 000001", "0002/2026/CCBD"))
        with self.assertRaises(ValidationError):  # a certificate is issued once, never reissued
            register.credential_reissue(
                user=self.office, credential=certificate, reason="Mất", issued_on=dt.date(2026, 11, 20)
            )
        confirmation = register.confirmation_issue(
            user=self.office, credential=certificate, reason="Báo mất", issued_on=dt.date(2026, 11, 20)
        )
        certificate.refresh_from_db()
        self.assertEqual((certificate.status, certificate.reason), (CredentialStatus.REPLACED, "Báo mất"))
        self.assertEqual((confirmation.kind, confirmation.replaces), ("confirmation", certificate))
        self.assertEqual((confirmation.register_number, confirmation.serial_number), ("0001/2026/XN", "XN 000001"))
        self.assertEqual(confirmation.graduation, certificate.graduation)
        with self.assertRaises(ValidationError):  # the lost certificate is never issued again
            register.credential_issue(
                user=self.office, enrollment=certificate.enrollment, issued_on=dt.date(2026, 12, 1)
            )
        again = register.credentials_issue_for_decision(
            user=self.office, decision=self.decision, issued_on=dt.date(2026, 12, 1)
        )
        self.assertEqual(again, [])  # nor does issuing the decision's credentials give it again
        with self.assertRaises(ValidationError):  # a second confirmation for the same certificate
            register.confirmation_issue(
                user=self.office, credential=certificate, reason="x", issued_on=dt.date(2026, 12, 1)
            )
        self.assertEqual(
            [e.action for e in AuditEntry.objects.order_by("id") if e.action.startswith("credential")],
            ["credential_issued", "credential_issued", "credential_replaced", "credential_issued"],
        )

    def test_a_fostering_course_gives_no_diploma(self):
        enrollment = self.fostering.enrollments.order_by("pk").first()
        with self.assertRaises(ValidationError):
            register.credential_issue(
                user=self.office, enrollment=enrollment, issued_on=ISSUED, kind=CredentialKind.DIPLOMA
            )
        self.assertFalse(Credential.objects.exists())

    def test_a_certificate_issued_in_error_may_be_issued_anew(self):
        enrollment = self.fostering.enrollments.order_by("pk").first()
        wrong = register.credential_issue(user=self.office, enrollment=enrollment, issued_on=ISSUED)
        register.credential_void(user=self.office, credential=wrong, reason="Nhầm người")
        right = register.credential_issue(user=self.office, enrollment=enrollment, issued_on=ISSUED)
        self.assertEqual((right.sequence, right.serial_number), (2, "BD 000002"))
