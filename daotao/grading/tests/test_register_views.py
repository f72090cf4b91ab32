"""The register pages by role: the list with search and filters (constant queries), one
credential with its history and the office's reissue, void and confirmation forms, and
the printed form as HTML and PDF. Office all, board reads, coordinators and agencies read
their students', a student their own, lecturers nothing."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from daotao.grading import graduation, register
from daotao.grading.models import Credential, CredentialStatus
from daotao.grading.tests.test_graduation_base import (
    DECIDED,
    ISSUED,
    GraduationWorldTestCase,
    fostering_cohort,
    pass_everything,
)
from daotao.testing import enroll
from daotao.testing_documents import foreign_fonts


class RegisterPagesTestCase(GraduationWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.credentials = {}
        for cohort in (cls.cohort, cls.other_cohort):
            pass_everything(cohort)
            decision = graduation.graduation_decide(user=cls.office, cohort=cohort, number="58", date=DECIDED)
            for credential in register.credentials_issue_for_decision(
                user=cls.office, decision=decision, issued_on=ISSUED
            ):
                cls.credentials[credential.enrollment_id] = credential
        cls.own = cls.credentials[cls.enrollments[0].pk]  # hv1's diploma, class TC01 in H01
        cls.agencys = cls.credentials[cls.enrollments[2].pk]  # sent by the agency
        cls.elsewhere = cls.credentials[cls.other_enrollments[0].pk]  # hv2's, class TC02 in H02

    def get(self, user, url, **params):
        if user is None:
            self.client.logout()
        else:
            self.client.force_login(user)
        return self.client.get(url, params)


class RegisterListTests(RegisterPagesTestCase):
    url = reverse("grading:register")

    def listed(self, user, **params) -> set:
        response = self.get(user, self.url, **params)
        self.assertEqual(response.status_code, 200)
        return {credential.pk for credential in response.context["page"]}

    def test_each_role_sees_its_scope(self):
        everything = {c.pk for c in self.credentials.values()}
        tc01 = {self.credentials[e.pk].pk for e in self.enrollments}
        tc02 = {self.credentials[e.pk].pk for e in self.other_enrollments}
        self.assertEqual(self.listed(self.office), everything)
        self.assertEqual(self.listed(self.board), everything)
        self.assertEqual(self.listed(self.coordinator), tc01)
        self.assertEqual(self.listed(self.other_coordinator), tc02)
        self.assertEqual(self.listed(self.agency_user), {self.agencys.pk})
        self.assertEqual(self.listed(self.other_agency_user), set())
        self.assertEqual(self.listed(self.student_user), {self.own.pk})
        self.assertEqual(self.listed(self.other_student_user), {self.elsewhere.pk})
        for user in (self.lecturer_user, self.nobody):
            self.assertEqual(self.get(user, self.url).status_code, 403)
        self.assertEqual(self.get(None, self.url).status_code, 302)

    def test_search_and_filters(self):
        register.credential_reissue(
            user=self.office, credential=self.own, reason="Sai tên", issued_on=dt.date(2027, 1, 4)
        )
        name = self.enrollments[1].student.full_name  # "Học Viên Số N"
        folded = "hoc vien so " + name.rsplit(" ", 1)[1]
        self.assertEqual(self.listed(self.office, q=folded), {self.credentials[self.enrollments[1].pk].pk})
        self.assertEqual(self.listed(self.office, q=self.agencys.register_number), {self.agencys.pk})
        self.assertEqual(self.listed(self.office, q=self.agencys.serial_number.lower()), {self.agencys.pk})
        self.assertEqual(self.listed(self.office, status="replaced"), {self.own.pk})
        self.assertEqual(len(self.listed(self.office, year="2027")), 1)
        self.assertEqual(len(self.listed(self.office, cohort="tc02")), 3)
        self.assertEqual(len(self.listed(self.office, kind="certificate")), 0)
        self.assertEqual(len(self.listed(self.office, kind="diploma", status="valid", year="2026")), 8)
        # A year filter reads the years a filter may name (lib.dates.parse_year), as the
        # career events do: it once took any four digits, and "1900" listed nothing.
        self.assertEqual(self.listed(self.office, year="1900"), self.listed(self.office))
        # A student's search cannot widen their scope.
        self.assertEqual(self.listed(self.student_user, cohort="TC02"), set())
        for bad in ({"year": "20x6"}, {"kind": "<b>"}, {"page": "999"}, {"q": "x" * 500}):
            with self.subTest(bad):
                self.assertEqual(self.get(self.office, self.url, **bad).status_code, 200)
        self.assertEqual(self.get(self.office, self.url, q="\x00").status_code, 400)  # refused, not a 500

    def test_queries_do_not_grow_with_the_register(self):
        self.client.force_login(self.office)
        self.client.get(self.url)
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.url)
        cohort = fostering_cohort(self, students=12)
        pass_everything(cohort)
        decision = graduation.graduation_decide(user=self.office, cohort=cohort, number="9", date=DECIDED)
        register.credentials_issue_for_decision(user=self.office, decision=decision, issued_on=ISSUED)
        with self.assertNumQueries(len(few)):
            response = self.client.get(self.url)
        self.assertEqual(len(response.context["page"]), 21)


class CredentialDetailTests(RegisterPagesTestCase):
    def url(self, credential):
        return reverse("grading:credential", args=[credential.pk])

    def test_each_role_opens_what_it_may(self):
        office = self.get(self.office, self.url(self.own))
        self.assertContains(office, self.own.serial_number)
        self.assertContains(office, 'value="reissue"')
        self.assertContains(office, "office")  # the history names who issued it
        board = self.get(self.board, self.url(self.own))
        self.assertContains(board, self.own.register_number)
        self.assertNotContains(board, 'value="reissue"')
        self.assertEqual(self.get(self.coordinator, self.url(self.own)).status_code, 200)
        self.assertEqual(self.get(self.coordinator, self.url(self.elsewhere)).status_code, 404)
        self.assertEqual(self.get(self.agency_user, self.url(self.agencys)).status_code, 200)
        self.assertEqual(self.get(self.agency_user, self.url(self.own)).status_code, 404)
        student = self.get(self.student_user, self.url(self.own))
        self.assertContains(student, self.own.register_number)
        self.assertEqual(student.context["entries"], [])  # no staff history for students
        self.assertEqual(self.get(self.student_user, self.url(self.elsewhere)).status_code, 404)
        self.assertEqual(self.get(self.lecturer_user, self.url(self.own)).status_code, 403)

    def test_only_the_office_acts(self):
        data = {"action": "void", "reason": "x"}
        for user, credential in (
            (self.board, self.own),
            (self.coordinator, self.own),
            (self.agency_user, self.agencys),
            (self.student_user, self.own),
            (self.lecturer_user, self.own),
        ):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.post(self.url(credential), data).status_code, 403)
        self.assertEqual(Credential.objects.filter(status=CredentialStatus.VALID).count(), len(self.credentials))

    def test_reissue_and_void_from_the_page(self):
        self.client.force_login(self.office)
        url = self.url(self.own)
        for bad in (
            {"action": "reissue", "reason": "", "issued_on": "03/08/2026"},
            {"action": "reissue", "reason": "Sai tên", "issued_on": "31/02/2026"},
            {"action": "reissue", "reason": "Sai tên", "issued_on": "01/07/2026"},  # before the one it replaces
            {"action": "erase", "reason": "x"},
        ):
            with self.subTest(bad):
                response = self.client.post(url, bad)
                self.assertEqual(response.status_code, 200)
                self.assertTrue(response.context["form"].errors)
        self.assertFalse(Credential.objects.filter(replaces=self.own).exists())
        response = self.client.post(url, {"action": "reissue", "reason": "Sai tên", "issued_on": "03/08/2026"})
        new = Credential.objects.get(replaces=self.own)
        self.assertRedirects(response, self.url(new))
        self.assertEqual(new.issued_on, dt.date(2026, 8, 3))
        old = self.client.get(url)
        self.assertContains(old, new.register_number)  # "replaced by"
        self.assertNotContains(old, 'value="reissue"')
        response = self.client.post(self.url(self.agencys), {"action": "void", "reason": "Cấp nhầm"})
        self.assertRedirects(response, self.url(self.agencys))
        self.agencys.refresh_from_db()
        self.assertEqual(self.agencys.status, CredentialStatus.VOIDED)

    def test_confirmation_of_a_lost_certificate_from_the_page(self):
        cohort = fostering_cohort(self, students=1)
        pass_everything(cohort)
        decision = graduation.graduation_decide(user=self.office, cohort=cohort, number="9", date=DECIDED)
        (certificate,) = register.credentials_issue_for_decision(user=self.office, decision=decision, issued_on=ISSUED)
        self.client.force_login(self.office)
        page = self.client.get(self.url(certificate))
        self.assertContains(page, 'value="confirm"')
        self.assertNotContains(page, 'value="reissue"')
        response = self.client.post(
            self.url(certificate), {"action": "confirm", "reason": "Báo mất", "issued_on": "20/11/2026"}
        )
        confirmation = Credential.objects.get(replaces=certificate)
        self.assertRedirects(response, self.url(confirmation))
        self.assertEqual(confirmation.register_number, "0001/2026/XN")
        response = self.client.post(self.url(confirmation), {"action": "reissue", "reason": "x", "issued_on": "x"})
        self.assertEqual(response.status_code, 200)


class CredentialPrintTests(RegisterPagesTestCase):
    def url(self, credential, **params):
        url = reverse("grading:credential_print", args=[credential.pk])
        return url + ("?format=pdf" if params.get("pdf") else "")

    def test_printed_form(self):
        response = self.get(self.office, self.url(self.own))
        for text in (
            "BẰNG TỐT NGHIỆP",
            self.own.enrollment.student.full_name,
            "01/01/1990",  # date of birth
            "Giỏi",  # 8,0 everywhere
            self.own.serial_number,
            self.own.register_number,
            "Bình An, ngày 06 tháng 7 năm 2026",
            "Trường Chính trị tỉnh Bình An".upper(),
            "grading/credential.css",  # A4 landscape, from the static files (no inline style)
        ):
            self.assertContains(response, text)

    def test_pdf_with_the_vendored_font(self):
        response = self.get(self.office, self.url(self.own, pdf=True))
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))
        # The bundled DaoTao Serif, and no host font (a host with fonts-liberation or
        # Times New Roman installed prints it the same).
        self.assertEqual(foreign_fonts(response.content), set())

    def test_print_by_role(self):
        self.assertEqual(self.get(self.student_user, self.url(self.own)).status_code, 200)
        self.assertEqual(self.get(self.student_user, self.url(self.elsewhere)).status_code, 404)
        self.assertEqual(self.get(self.agency_user, self.url(self.agencys)).status_code, 200)
        self.assertEqual(self.get(self.other_coordinator, self.url(self.own)).status_code, 404)
        self.assertEqual(self.get(self.lecturer_user, self.url(self.own)).status_code, 403)

    def test_a_confirmation_names_the_lost_certificate(self):
        cohort = fostering_cohort(self, students=1)
        enroll(cohort, 0)
        pass_everything(cohort)
        decision = graduation.graduation_decide(user=self.office, cohort=cohort, number="9", date=DECIDED)
        (certificate,) = register.credentials_issue_for_decision(user=self.office, decision=decision, issued_on=ISSUED)
        confirmation = register.confirmation_issue(
            user=self.office, credential=certificate, reason="Báo mất", issued_on=dt.date(2026, 11, 20)
        )
        response = self.get(self.office, self.url(confirmation))
        self.assertContains(response, "GIẤY XÁC NHẬN HOÀN THÀNH KHÓA HỌC")
        self.assertContains(response, certificate.register_number)
        self.assertContains(self.get(self.office, self.url(certificate)), "ĐÃ THAY THẾ")
