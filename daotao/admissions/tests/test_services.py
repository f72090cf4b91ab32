"""What changes an application: the dossier, decisions, placing in a class, exceptions."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from daotao.admissions import services
from daotao.admissions.models import (
    Application,
    ApplicationDocument,
    Decision,
    EducationLevel,
    EligibilityRule,
    RuleException,
    RuleKind,
    Status,
)
from daotao.admissions.services import AdmissionError
from daotao.admissions.tests.world import AdmissionsTestCase, make_application
from daotao.audit.models import AuditEntry, history
from daotao.cohorts.models import Cohort, Enrollment
from daotao.people.models import Student
from daotao.testing import make_cohort, make_student

DAY = dt.date(2026, 3, 2)


class DocumentTests(AdmissionsTestCase):
    def test_set_documents_toggles_and_rechecks(self):
        application = make_application(self.tc, self.h01, received=[])
        self.assertEqual(application.status, Status.INCOMPLETE)
        self.assertEqual(len(application.missing_documents), 6)
        checklist = self.tc.dossier_documents.select_related("document_type")
        received = {d.document_type_id: DAY for d in checklist if d.required}
        services.set_documents(application, received)
        application.refresh_from_db()
        self.assertEqual((application.status, application.missing_documents), (Status.ELIGIBLE, []))
        self.assertEqual(application.documents.get(document_type=self.documents["SYLL"]).received_on, DAY)

        del received[self.documents["SYLL"].pk]
        services.set_documents(application, received)
        application.refresh_from_db()
        self.assertEqual((application.status, application.missing_documents), (Status.INCOMPLETE, ["SYLL"]))
        syll = application.documents.get(document_type=self.documents["SYLL"])
        self.assertEqual((syll.received, syll.received_on), (False, None))

    def test_an_uploaded_file_is_stored(self):
        media = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, media, ignore_errors=True)
        application = make_application(self.tc, self.h01)
        pool = self.documents["QUY-HOACH"].pk
        upload = SimpleUploadedFile("quy-hoach.pdf", b"%PDF-1.4 scan", content_type="application/pdf")
        with override_settings(MEDIA_ROOT=media):
            received = {type_id: None for type_id in application.documents.values_list("document_type", flat=True)}
            services.set_documents(application, {**received, pool: DAY}, {pool: upload})
            document = ApplicationDocument.objects.get(application=application, document_type_id=pool)
            self.assertTrue(document.received)
            with document.file.open("rb") as stored:
                self.assertEqual(stored.read(), b"%PDF-1.4 scan")
            self.assertTrue(document.file.path.startswith(media))
        self.assertEqual(Application.objects.get(pk=application.pk).status, Status.ELIGIBLE)


class DecisionTests(AdmissionsTestCase):
    def admit(self, application, **extra):
        values = {"number": "25-QĐ/TCT", "date": DAY} | extra
        return services.decide(application, self.office, Decision.ADMITTED, **values)

    def test_admit_creates_the_student(self):
        application = make_application(self.tc, self.h01, agency=self.agency, phone="0912345678")
        admitted = self.admit(application)
        self.assertEqual((admitted.status, admitted.decision), (Status.ADMITTED, Decision.ADMITTED))
        self.assertEqual((admitted.decision_number, admitted.decision_date), ("25-QĐ/TCT", DAY))
        self.assertEqual(admitted.decided_by, self.office)
        student = Student.objects.get(national_id=application.national_id)
        self.assertEqual(admitted.student, student)
        self.assertEqual(
            (student.full_name, student.date_of_birth, student.locality, student.agency, student.phone),
            (application.full_name, application.date_of_birth, self.h01, self.agency, "0912345678"),
        )

    def test_admit_links_the_existing_student_filling_only_empty_fields(self):
        application = make_application(self.tc, self.h01, phone="0912345678", workplace="UBND phường Nam Sơn")
        student = make_student("Nguyễn Văn Bình", locality=self.h02, national_id=application.national_id,
                               phone="0987654321", date_of_birth=application.date_of_birth)  # fmt: skip
        self.admit(application)
        student.refresh_from_db()
        self.assertEqual(Student.objects.filter(national_id=application.national_id).count(), 1)
        self.assertEqual(Application.objects.get(pk=application.pk).student, student)
        self.assertEqual((student.phone, student.locality), ("0987654321", self.h02))
        self.assertEqual(student.workplace, "UBND phường Nam Sơn")

    def test_admit_requires_an_eligible_application(self):
        cases = {
            "incomplete": make_application(self.tc, self.h01, received=["QD-CU"]),
            "missing data": make_application(self.tc, self.h01, education_level=None),
            "ineligible": make_application(self.tc, self.h01, education_level=EducationLevel.VOCATIONAL),
        }
        for name, application in cases.items():
            with self.subTest(name), self.assertRaises(AdmissionError) as raised:
                self.admit(application)
            self.assertTrue(raised.exception.message)
            application.refresh_from_db()
            self.assertEqual((application.decision, application.student), (Decision.PENDING, None))
        self.assertFalse(Student.objects.exists())
        self.assertFalse(AuditEntry.objects.exists())

    def test_admit_requires_number_and_date(self):
        application = make_application(self.tc, self.h01)
        for values, field in (({"number": ""}, "decision_number"), ({"number": "  "}, "decision_number"),
                              ({"date": None}, "decision_date")):  # fmt: skip
            with self.subTest(values):
                with self.assertRaises(AdmissionError) as raised:
                    self.admit(application, **values)
                self.assertEqual(raised.exception.field, field)
        self.assertEqual(Application.objects.get(pk=application.pk).decision, Decision.PENDING)

    def test_reject_requires_a_reason(self):
        application = make_application(self.tc, self.h01)
        with self.assertRaises(AdmissionError) as raised:
            services.decide(application, self.office, Decision.REJECTED, reason="  ")
        self.assertEqual(raised.exception.field, "decision_reason")
        rejected = services.decide(application, self.office, Decision.REJECTED, reason="Đủ chỉ tiêu")
        self.assertEqual((rejected.status, rejected.decision_reason), (Status.REJECTED, "Đủ chỉ tiêu"))

    def test_unknown_decision(self):
        with self.assertRaises(AdmissionError):
            services.decide(make_application(self.tc, self.h01), self.office, "maybe")

    def test_changing_a_decision_is_audited(self):
        application = make_application(self.tc, self.h01)
        self.admit(application)
        services.decide(application, self.office, Decision.REJECTED, reason="Không đúng đối tượng")
        entries = list(history(application))
        self.assertEqual(len(entries), 2)
        latest, first = entries
        self.assertEqual((latest.action, latest.user, latest.username), ("admission.decision", self.office, "office"))
        self.assertEqual(first.changes["decision"], ["pending", "admitted"])
        self.assertEqual(first.changes["decision_date"], [None, "2026-03-02"])
        self.assertEqual(first.changes["decided_by"], [None, self.office.pk])
        self.assertEqual(latest.changes["decision"], ["admitted", "rejected"])
        self.assertEqual(latest.changes["decision_reason"], ["", "Không đúng đối tượng"])
        self.assertEqual(latest.changes["student"][1], None)
        # Deciding the same again records nothing.
        services.decide(application, self.office, Decision.REJECTED, reason="Không đúng đối tượng")
        self.assertEqual(history(application).count(), 2)

    def test_a_placed_candidate_cannot_be_rejected(self):
        application = make_application(self.tc, self.h01)
        self.admit(application)
        services.place([application], make_cohort("TC01-2026", self.tc, self.h01, DAY), self.office)
        for decision, extra in ((Decision.REJECTED, {"reason": "x"}), (Decision.PENDING, {})):
            with self.subTest(decision), self.assertRaises(AdmissionError):
                services.decide(application, self.office, decision, **extra)
        self.assertEqual(Application.objects.get(pk=application.pk).status, Status.ADMITTED)
        # The number of the decision may still be corrected.
        corrected = self.admit(application, number="26-QĐ/TCT")
        self.assertEqual((corrected.decision_number, corrected.status), ("26-QĐ/TCT", Status.ADMITTED))
        self.assertEqual(corrected.flags, [])


class PlacementTests(AdmissionsTestCase):
    def setUp(self):
        self.cohort = make_cohort("TC01-2026", self.tc, self.h01, DAY)

    def admitted(self, program=None, **fields):
        application = make_application(program or self.tc, self.h01, **fields)
        return services.decide(application, self.office, Decision.ADMITTED, number="1-QĐ", date=DAY)

    def test_place_creates_the_enrollments_and_audits(self):
        first, second = self.admitted(), self.admitted()
        enrollments = services.place([first, second], self.cohort, self.office)
        self.assertEqual(len(enrollments), 2)
        self.assertEqual(
            set(Enrollment.objects.filter(cohort=self.cohort).values_list("student", flat=True)),
            {first.student_id, second.student_id},
        )
        first.refresh_from_db()
        self.assertEqual(first.enrollment.cohort, self.cohort)
        entry = history(first).filter(action="admission.place").get()
        self.assertEqual((entry.changes["enrollment"][0], entry.note), (None, "TC01-2026"))

    def test_refusals(self):
        placed = self.admitted()
        services.place([placed], self.cohort, self.office)
        cases = [
            ("not admitted", [make_application(self.tc, self.h01)], self.cohort),
            ("already placed", [placed], make_cohort("TC02-2026", self.tc, self.h01, DAY)),
            ("other program", [self.admitted(self.cvc)], self.cohort),
            ("closed", [self.admitted()], make_cohort("TC03-2025", self.tc, self.h01, DAY, DAY)),
            ("cancelled", [self.admitted()], make_cohort("TC04-2026", self.tc, self.h01, DAY, status="cancelled")),
            ("none", [], self.cohort),
        ]
        for name, applications, cohort in cases:
            with self.subTest(name), self.assertRaises(AdmissionError) as raised:
                services.place(applications, cohort, self.office)
            self.assertTrue(raised.exception.message)
        self.assertEqual(Enrollment.objects.count(), 1)

    def test_all_or_nothing(self):
        applications = [self.admitted(), self.admitted(), make_application(self.tc, self.h01)]
        with self.assertRaises(AdmissionError):
            services.place(applications, self.cohort, self.office)
        self.assertFalse(Enrollment.objects.exists())
        self.assertFalse(Application.objects.filter(enrollment__isnull=False).exists())
        self.assertFalse(AuditEntry.objects.filter(action="admission.place").exists())

    def test_open_cohort(self):
        applications = [self.admitted(), self.admitted()]
        cohort = Cohort(code="tc09-2026", name="Lớp TC 09", program=self.tc, mode="non_concentrated",
                        funding="supported", host_locality=self.h01, opening_date=DAY, plan_year=2026)  # fmt: skip
        services.open_cohort(applications, cohort, self.office)
        cohort = Cohort.objects.get(code="TC09-2026")
        self.assertEqual(cohort.enrollments.count(), 2)

    def test_open_cohort_refusals_leave_no_class(self):
        invalid = Cohort(code="TC10-2026", name="", program=self.tc, mode="non_concentrated",
                         funding="supported", host_locality=self.h01, opening_date=DAY)  # fmt: skip
        with self.assertRaises(AdmissionError) as raised:
            services.open_cohort([self.admitted()], invalid, self.office)
        self.assertEqual(raised.exception.field, "name")
        unadmitted = Cohort(code="TC11-2026", name="Lớp 11", program=self.tc, mode="non_concentrated",
                            funding="supported", host_locality=self.h01, opening_date=DAY)  # fmt: skip
        with self.assertRaises(AdmissionError):
            services.open_cohort([make_application(self.tc, self.h01)], unadmitted, self.office)
        self.assertFalse(Cohort.objects.filter(code__in=["TC10-2026", "TC11-2026"]).exists())


class ExceptionServiceTests(AdmissionsTestCase):
    def test_record_exception_waives_and_is_audited(self):
        application = make_application(self.tc, self.h01, education_level=EducationLevel.VOCATIONAL)
        rule = EligibilityRule.objects.get(program=self.tc, kind=RuleKind.EDUCATION)
        services.record_exception(application, rule, self.office, " Ban Thường vụ Tỉnh ủy ", DAY, "12-QĐ/TU")
        application.refresh_from_db()
        self.assertEqual(application.status, Status.ELIGIBLE)
        exception = RuleException.objects.get(application=application)
        self.assertEqual((exception.decided_by, exception.recorded_by), ("Ban Thường vụ Tỉnh ủy", self.office))
        entry = history(application).get()
        self.assertEqual(entry.action, "admission.exception")
        self.assertEqual(entry.changes["decided_by"], [None, "Ban Thường vụ Tỉnh ủy"])
        self.assertEqual(entry.changes["decided_on"], [None, "2026-03-02"])
        services.record_exception(application, rule, self.office, "Ban Thường vụ Tỉnh ủy", DAY, "13-QĐ/TU")
        self.assertEqual(history(application).first().changes, {"decision_number": ["12-QĐ/TU", "13-QĐ/TU"]})
        self.assertEqual(RuleException.objects.count(), 1)

    def test_record_exception_refusals(self):
        application = make_application(self.tc, self.h01)
        rule = EligibilityRule.objects.get(program=self.tc, kind=RuleKind.AGE)
        other = EligibilityRule.objects.get(program=self.cvc)
        for args, field in (((other, "Tỉnh ủy", DAY), "rule"), ((rule, " ", DAY), "decided_by"),
                            ((rule, "Tỉnh ủy", None), "decided_on")):  # fmt: skip
            with self.subTest(field), self.assertRaises(AdmissionError) as raised:
                services.record_exception(application, args[0], self.office, *args[1:])
            self.assertEqual(raised.exception.field, field)
        self.assertFalse(RuleException.objects.exists())
        self.assertFalse(AuditEntry.objects.exists())


class AdminTests(AdmissionsTestCase):
    def test_an_exception_added_in_the_admin_is_audited_and_rechecks(self):
        application = make_application(self.tc, self.h01, education_level=EducationLevel.VOCATIONAL)
        rule = EligibilityRule.objects.get(program=self.tc, kind=RuleKind.EDUCATION)
        self.client.force_login(self.superuser)
        data = {"application": application.pk, "rule": rule.pk, "decided_by": "Tỉnh ủy", "decided_on": "02/03/2026"}
        response = self.client.post("/admin/admissions/ruleexception/add/", data)
        self.assertEqual(
            response.status_code, 302, getattr(response, "context", None) and response.context.get("errors")
        )
        exception = RuleException.objects.get()
        self.assertEqual(exception.recorded_by, self.superuser)
        self.assertEqual(Application.objects.get(pk=application.pk).status, Status.ELIGIBLE)
        self.assertEqual(history(application).get().changes["decided_by"], [None, "Tỉnh ủy"])
        response = self.client.post(f"/admin/admissions/ruleexception/{exception.pk}/delete/", {"post": "yes"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Application.objects.get(pk=application.pk).status, Status.INELIGIBLE)
        self.assertEqual(history(application).first().changes["decided_by"], ["Tỉnh ủy", None])

    def test_an_exception_to_another_programs_rule_is_refused(self):
        application = make_application(self.tc, self.h01)
        self.client.force_login(self.superuser)
        data = {"application": application.pk, "rule": EligibilityRule.objects.get(program=self.cvc).pk,
                "decided_by": "Tỉnh ủy", "decided_on": "02/03/2026"}  # fmt: skip
        response = self.client.post("/admin/admissions/ruleexception/add/", data)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(RuleException.objects.exists())

    def test_admin_pages_render(self):
        make_application(self.tc, self.h01)
        self.client.force_login(self.superuser)
        for name in ("application", "eligibilityrule", "programdocument", "ruleexception", "positioncategory"):
            with self.subTest(name):
                self.assertEqual(self.client.get(f"/admin/admissions/{name}/").status_code, 200)
        rule = EligibilityRule.objects.get(program=self.cvc)
        self.assertEqual(self.client.get(f"/admin/admissions/eligibilityrule/{rule.pk}/change/").status_code, 200)
