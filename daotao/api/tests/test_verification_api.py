"""GET /api/v1/verify/{code}: anyone checks a credential by its code, as on /xac-minh/;
never the national ID or the full date of birth; a wrong code answered as an unknown one;
the limit per client shared with the page."""

from __future__ import annotations

import datetime as dt

from django.test import override_settings
from django.urls import reverse

from daotao.api.tests.base import JSON
from daotao.grading import graduation, register
from daotao.grading.models import CredentialStatus
from daotao.grading.tests.test_graduation_base import DECIDED, ISSUED, GraduationWorldTestCase, pass_everything
from daotao.grading.verification import format_code
from daotao.people.models import Student

URL = "/api/v1/verify/{}"


class VerifyApiTests(GraduationWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        pass_everything(cls.cohort)
        decision = graduation.graduation_decide(user=cls.office, cohort=cls.cohort, number="58", date=DECIDED)
        cls.diplomas = register.credentials_issue_for_decision(user=cls.office, decision=decision, issued_on=ISSUED)
        Student.objects.filter(pk=cls.diplomas[0].enrollment.student_id).update(date_of_birth=dt.date(1984, 5, 17))

    def verify(self, code, address="192.0.2.10", **headers):
        return self.client.get(URL.format(code), REMOTE_ADDR=address, headers=headers)

    def test_a_valid_diploma_for_anyone(self):
        credential = self.diplomas[0]
        student, cohort = credential.enrollment.student, credential.enrollment.cohort
        student.refresh_from_db()
        for headers in ({}, {"Authorization": "Bearer not-a-key"}):
            with self.subTest(headers=headers):
                response = self.verify(format_code(credential.verification_code).lower(), **headers)
                self.assertEqual(response.status_code, 200, response.content)
                self.assertEqual(response["Content-Type"], JSON)
                self.assertIn("no-store", response["Cache-Control"])
                self.assertEqual(
                    response.json(),
                    {
                        "kind": "diploma",
                        "status": "valid",
                        "full_name": student.full_name,
                        "year_of_birth": 1984,
                        "program": cohort.program.name,
                        "cohort": {"code": cohort.code, "name": cohort.name},
                        "classification": credential.graduation.classification or None,
                        "serial_number": credential.serial_number,
                        "register_number": credential.register_number,
                        "register_name": "",
                        "issued_on": ISSUED.isoformat(),
                        "replaced_by": None,
                    },
                )
                text = response.content.decode()
                self.assertNotIn(student.national_id, text)
                self.assertNotIn("1984-05-17", text)
                self.assertNotIn("17/05/1984", text)

    def test_reissued_and_voided(self):
        old = self.diplomas[1]
        new = register.credential_reissue(
            user=self.office, credential=old, reason="Sai ngày sinh.", issued_on=dt.date(2026, 8, 3)
        )
        body = self.verify(old.verification_code).json()
        self.assertEqual(body["status"], "replaced")
        self.assertEqual(
            body["replaced_by"],
            {
                "kind": "diploma",
                "serial_number": new.serial_number,
                "register_name": "",
                "issued_on": "2026-08-03",
                "status": "valid",
            },
        )
        register.credential_void(user=self.office, credential=new, reason="Cấp nhầm.")
        self.assertEqual(self.verify(new.verification_code).json()["status"], CredentialStatus.VOIDED)
        self.assertEqual(self.verify(old.verification_code).json()["replaced_by"]["status"], "voided")

    def test_a_wrong_code_is_answered_as_an_unknown_one(self):
        answers = [self.verify(code) for code in ("ZZZZZZZZZZ", "not-a-code", "K" * 300, "ZZZZZZZZZU")]
        for response in answers:
            self.assertEqual(response.status_code, 404)
            self.assertEqual(response["Content-Type"], JSON)
            self.assertEqual(response.json(), {"detail": "Không tìm thấy.", "errors": []})
        self.assertEqual(len({response.content for response in answers}), 1)

    @override_settings(DAOTAO_VERIFY_PER_MINUTE=2)
    def test_past_the_limit_429_shared_with_the_page(self):
        code, client = self.diplomas[0].verification_code, "192.0.2.44"
        self.assertEqual(self.verify(code, client).status_code, 200)
        page = self.client.get(reverse("credential-verify", args=["ZZZZZZZZZZ"]), REMOTE_ADDR=client)
        self.assertEqual(page.status_code, 404)
        for wrong_or_right in (code, "ZZZZZZZZZZ", "nonsense"):
            with self.subTest(code=wrong_or_right):
                response = self.verify(wrong_or_right, client)
                self.assertEqual(response.status_code, 429)
                self.assertEqual(response["Content-Type"], JSON)
                self.assertEqual(response["Retry-After"], "60")
                body = response.json()
                self.assertEqual(body["errors"], [])
                self.assertIn("60", body["detail"])
        self.assertEqual(self.verify(code, "192.0.2.45").status_code, 200)

    def test_in_the_schema_as_public(self):
        operation = self.client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/verify/{code}"]["get"]
        self.assertEqual(set(operation["responses"]), {"200", "400", "404", "429"})
        self.assertNotIn("security", operation)
        self.assertEqual(operation["parameters"][0]["name"], "code")
