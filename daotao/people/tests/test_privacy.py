"""Personal data (national ID, date of birth, phone, email) in full only for the roles that
need it, masked for the others, on every page, export and API answer that shows it."""

from __future__ import annotations

import datetime as dt
import io
import json
from contextlib import contextmanager
from unittest import mock

import openpyxl
from django.contrib.auth.models import AnonymousUser, Permission
from django.core import mail
from django.db import connection
from django.test import SimpleTestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from daotao.accounts.scope import SYSTEM
from daotao.admissions import presets
from daotao.admissions.models import Application
from daotao.admissions.tests.world import make_application
from daotao.cohorts.models import Enrollment
from daotao.people import privacy
from daotao.people.models import Student
from daotao.planning.models import AnnualPlan
from daotao.surveys.models import CareerEvent
from daotao.surveys.outcome_import import career_events_import
from daotao.surveys.tests.test_outcome_import import workbook as outcome_workbook
from daotao.testing import enroll
from daotao.twoway.services import pack_send
from daotao.twoway.tests.base import TwoWayWorldTestCase
from daotao.web.import_results import ImportRejected

NID, NID_MASKED = "052087424242", "••••••••4242"
BORN = dt.date(1987, 3, 14)
DOB, DOB_MASKED = "14/03/1987", "••/••/1987"
PHONE, PHONE_MASKED = "0912345678", "•••••••678"
EMAIL, EMAIL_MASKED = "nguyen.an@binhan.gov.vn", "n•••@binhan.gov.vn"
# What must never reach a masked viewer, in any form a page, file or JSON could carry it.
FULL_FORMS = (NID, DOB, BORN.isoformat(), PHONE, EMAIL)
ID_SEARCH_REFUSED = "Tìm theo số CCCD chỉ dành cho người được xem số CCCD; đồng chí hãy tìm theo họ tên."


class MaskTests(SimpleTestCase):
    def test_masks(self):
        self.assertEqual(privacy.mask_national_id(NID), NID_MASKED)
        self.assertEqual(privacy.mask_date_of_birth(BORN), DOB_MASKED)
        self.assertEqual(privacy.mask_phone(PHONE), PHONE_MASKED)
        self.assertEqual(privacy.mask_phone("+84 912-345-678"), "••••••••678")
        self.assertEqual(privacy.mask_email(EMAIL), EMAIL_MASKED)

    def test_empty_and_short_values(self):
        self.assertEqual([privacy.mask_national_id(""), privacy.mask_national_id("123")], ["", "•••"])
        self.assertEqual(privacy.mask_date_of_birth(None), "")
        self.assertEqual([privacy.mask_phone(""), privacy.mask_phone("12")], ["", "••"])
        self.assertEqual([privacy.mask_email(""), privacy.mask_email("nobody")], ["", "•••"])

    def test_shown_in_full_or_masked(self):
        person = Student(national_id=NID, date_of_birth=BORN, phone=PHONE, email=EMAIL)
        full, masked = privacy.FULL.shown(person), privacy.PersonalDataAccess().shown(person)
        self.assertEqual(
            [full.text(field) for field in privacy.FIELDS] + [full.date_of_birth_cell, full.birth_year],
            [NID, DOB, PHONE, EMAIL, BORN, 1987],
        )
        self.assertEqual(
            [masked.text(field) for field in privacy.FIELDS] + [masked.date_of_birth_cell, masked.birth_year],
            [NID_MASKED, DOB_MASKED, PHONE_MASKED, EMAIL_MASKED, DOB_MASKED, 1987],
        )
        self.assertIsNone(masked.date_of_birth)
        self.assertEqual(privacy.PersonalDataAccess().shown(Student(national_id=NID)).date_of_birth_cell, None)
        with self.assertRaises(ValueError):
            full.text("gender")


def cells(content: bytes) -> list:
    """Every cell value of every sheet of an xlsx file."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [value for sheet in book for row in sheet.iter_rows(values_only=True) for value in row]


@contextmanager
def pdf_html(module: str):
    """The HTML each PDF of ``module`` is made from (its text), without running WeasyPrint."""
    seen: list[str] = []

    def capture(html: str, *stylesheets) -> bytes:
        seen.append(html)
        return b"%PDF-1.7 test"

    with mock.patch(f"{module}.html_to_pdf", capture):
        yield seen


class PrivacyWorld(TwoWayWorldTestCase):
    """The two-way world (class TC01 held in H01, graduated, diplomas issued) where its first
    student, ``subject`` (account ``hv1``), comes from H02 and was sent by the agency SNV; a
    nomination of theirs in 2026 and a career event. So: ``other_coordinator`` (H02) and
    ``agency_user`` (SNV) are entitled; ``coordinator`` (H01) sees them only as a student of a
    class held in H01, masked; the board and the lecturers masked; the office in full."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.subject = Student.objects.get(pk=cls.enrollments[0].student_id)
        cls.subject.national_id, cls.subject.date_of_birth, cls.subject.gender = NID, BORN, "male"
        cls.subject.phone, cls.subject.email = PHONE, EMAIL
        cls.subject.locality, cls.subject.agency = cls.h02, cls.agency
        cls.subject.full_clean()
        cls.subject.save()
        cls.local_student = Student.objects.get(pk=cls.enrollments[4].student_id)  # from H01
        presets.install()
        AnnualPlan.objects.create(year=2026, status="approved")
        cls.application = make_application(
            cls.tc,
            cls.h02,
            agency=cls.agency,
            full_name=cls.subject.full_name,
            national_id=NID,
            date_of_birth=BORN,
            gender="male",
            phone=PHONE,
            email=EMAIL,
        )
        CareerEvent.objects.create(
            student=cls.subject, kind="reward", date=dt.date(2026, 9, 1), decision_number="35/QĐ-UBND"
        )
        cls.credential = cls.credentials[cls.enrollments[0].pk]
        cls.entitled = {
            "office": cls.office,
            "superuser": cls.superuser,
            "coordinator of the student's locality": cls.other_coordinator,
            "sending agency": cls.agency_user,
        }
        cls.masked = {"board": cls.board, "coordinator of the host locality": cls.coordinator}

    def get(self, user, url, params=None, status=200):
        self.client.force_login(user)
        response = self.client.get(url, params or {})
        self.assertEqual(response.status_code, status, url)
        return response

    def assert_full(self, text: str, *forms: str):
        for form in forms:
            self.assertIn(form, text)

    def assert_masked(self, text: str, *masked_forms: str):
        for form in FULL_FORMS:
            self.assertNotIn(form, text)
        for form in masked_forms:
            self.assertIn(form, text)

    def assert_cells_masked(self, values: list, *masked_forms: str):
        self.assertNotIn(dt.datetime.combine(BORN, dt.time()), values)
        self.assert_masked("\n".join(str(value) for value in values), *masked_forms)


class RuleTests(PrivacyWorld):
    def test_who_sees_the_subjects_data(self):
        student = Student.objects.select_related("locality", "agency").get(pk=self.subject.pk)
        application = Application.objects.select_related("locality", "agency").get(pk=self.application.pk)
        cases = {**dict.fromkeys(self.entitled.values(), True), **dict.fromkeys(self.masked.values(), False)}
        cases.update({self.student_user: True, self.other_student_user: False, self.lecturer_user: False})
        cases.update({self.other_agency_user: False, self.nobody: False, AnonymousUser(): False, SYSTEM: True})
        for user, expected in cases.items():
            with self.subTest(user=str(user)):
                self.assertIs(privacy.sees_personal_data(user, student), expected)
                if user is not self.student_user:  # a student sees no application, not even theirs
                    self.assertIs(privacy.sees_personal_data(user, application), expected)

    def test_the_query_form_is_the_same_rule(self):
        people = list(Student.objects.select_related("locality", "agency"))
        applications = list(Application.objects.select_related("locality", "agency"))
        users = [*self.entitled.values(), *self.masked.values(), self.student_user, self.agency_user, self.nobody]
        for user in users:
            access = privacy.personal_data_access(user)
            with self.subTest(user=str(user)):
                self.assertEqual(
                    set(Student.objects.filter(access.q(Student)).values_list("pk", flat=True)),
                    {person.pk for person in people if access.sees(person)},
                )
                self.assertEqual(
                    set(Application.objects.filter(access.q(Application)).values_list("pk", flat=True)),
                    {a.pk for a in applications if access.sees(a)},
                )

    def test_decided_once_per_user_without_a_query_per_person(self):
        user = type(self.coordinator).objects.get(pk=self.coordinator.pk)
        access = privacy.personal_data_access(user)  # the scope: roles and unit
        self.assertIs(privacy.personal_data_access(user), access)
        people = list(Student.objects.select_related("locality", "agency"))
        with self.assertNumQueries(0):
            self.assertEqual(sum(access.sees(person) for person in people), 5)  # H01 and X0101
        people = list(Student.objects.all())
        with self.assertNumQueries(1):  # the units below H01, once
            self.assertEqual(sum(access.sees(person) for person in people), 5)


class StudentSearchTests(PrivacyWorld):
    url = reverse("people:students")

    def test_in_full_for_entitled_roles(self):
        for role, user in self.entitled.items():
            with self.subTest(role):
                self.assert_full(self.get(user, self.url).content.decode(), NID, DOB)

    def test_masked_for_others(self):
        for role, user in self.masked.items():
            with self.subTest(role):
                page = self.get(user, self.url, {"q": self.subject.full_name}).content.decode()
                self.assertIn(self.subject.full_name, page)
                self.assert_masked(page, NID_MASKED, DOB_MASKED)
        local = self.get(self.coordinator, self.url).content.decode()
        self.assert_full(local, self.local_student.national_id)  # their own locality's student
        self.assertEqual(self.get(self.lecturer_user, self.url, status=403).status_code, 403)

    def test_a_national_id_finds_only_what_the_user_may_see(self):
        for user in self.entitled.values():
            response = self.get(user, self.url, {"q": NID})
            self.assertEqual(list(response.context["page"]), [self.subject])
            self.assertNotContains(response, ID_SEARCH_REFUSED)
        for user in self.masked.values():
            response = self.get(user, self.url, {"q": NID})
            self.assertEqual(list(response.context["page"]), [])
            self.assertNotContains(response, self.subject.full_name)  # the number typed is only echoed
        self.assertContains(self.get(self.board, self.url, {"q": NID[:6]}), ID_SEARCH_REFUSED)
        self.assertNotContains(self.get(self.coordinator, self.url, {"q": NID[:6]}), ID_SEARCH_REFUSED)


class CohortPageTests(PrivacyWorld):
    def test_class_list(self):
        url = reverse("cohorts:detail", args=[self.cohort.code])
        self.assert_full(self.get(self.office, url).content.decode(), NID, DOB)
        for user in (self.board, self.coordinator):
            page = self.get(user, url).content.decode()
            self.assert_masked(page, NID_MASKED, DOB_MASKED)
        self.assert_full(self.get(self.coordinator, url).content.decode(), self.local_student.national_id)
        # The student's own locality and agency open the class held in H01 with only their
        # own students in it, in full (cohorts.access.cohort_for_user).
        for user in (self.other_coordinator, self.agency_user):
            response = self.get(user, url)
            listed = {enrollment.student for enrollment in response.context["enrollments"]}
            self.assertIn(self.subject, listed)
            self.assertLess(len(listed), len(self.enrollments))
            self.assertLessEqual(listed, set(Student.objects.visible_to(user)))  # their own only
            self.assert_full(response.content.decode(), NID, DOB)
            self.assertNotIn(self.local_student.national_id, response.content.decode())
            self.assertNotIn(self.local_student.full_name, response.content.decode())

    def test_the_host_coordinators_queries_do_not_grow_with_the_class(self):
        url = reverse("cohorts:detail", args=[self.cohort.code])
        self.get(self.coordinator, url)
        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        enroll(self.cohort, 10, locality=self.h03)
        with self.assertNumQueries(len(few)):
            self.client.get(url)


class AdmissionsPageTests(PrivacyWorld):
    def test_list_and_application(self):
        detail = reverse("admissions:detail", args=[self.application.pk])
        listing = reverse("admissions:list")
        for role, user in self.entitled.items():
            with self.subTest(role):
                self.assert_full(self.get(user, listing).content.decode(), NID)
                self.assert_full(self.get(user, detail).content.decode(), NID, DOB, PHONE, EMAIL)
        self.assert_masked(self.get(self.board, listing).content.decode(), NID_MASKED)
        page = self.get(self.board, detail).content.decode()
        self.assert_masked(page, NID_MASKED, DOB_MASKED, PHONE_MASKED, EMAIL_MASKED)
        self.get(self.coordinator, detail, status=404)

    def test_search_by_national_id(self):
        listing = reverse("admissions:list")
        self.assertEqual(list(self.get(self.agency_user, listing, {"q": NID}).context["page"]), [self.application])
        response = self.get(self.board, listing, {"q": NID})
        self.assertEqual(list(response.context["page"]), [])
        self.assertContains(response, ID_SEARCH_REFUSED)


class GraduationTests(PrivacyWorld):
    def test_report_xlsx(self):
        url = reverse("grading:report_xlsx", args=[self.cohort.pk])
        self.assertIn(dt.datetime.combine(BORN, dt.time()), cells(self.get(self.office, url).content))
        for user in (self.board, self.coordinator):
            self.assert_cells_masked(cells(self.get(user, url).content), DOB_MASKED)

    def test_report_page_and_pdf_carry_no_personal_data(self):
        page = self.get(self.board, reverse("grading:report", args=[self.cohort.pk])).content.decode()
        self.assertIn(self.subject.full_name, page)
        self.assert_masked(page)
        with pdf_html("daotao.school.documents") as html:
            self.get(self.board, reverse("grading:report_pdf", args=[self.cohort.pk]))
        self.assertIn(self.subject.full_name, html[0])
        self.assert_masked(html[0])

    def test_decision_pdf_carries_the_year_of_birth_only(self):
        decision = self.cohort.graduation_decisions.first()
        for user in (self.board, self.office):
            with pdf_html("daotao.school.documents") as html:
                self.get(user, reverse("grading:decision_pdf", args=[self.cohort.pk, decision.pk]))
            self.assertIn(self.subject.full_name, html[0])
            self.assertIn(str(BORN.year), html[0])
            self.assert_masked(html[0])

    def test_printed_credential(self):
        url = reverse("grading:credential_print", args=[self.credential.pk])
        for user in [*self.entitled.values(), self.student_user]:
            with self.subTest(str(user)):
                self.assert_full(self.get(user, url).content.decode(), DOB)
                with pdf_html("daotao.grading.graduation_views") as html:
                    self.get(user, url, {"format": "pdf"})
                self.assert_full(html[0], DOB)
        for user in self.masked.values():
            with self.subTest(str(user)):
                self.assert_masked(self.get(user, url).content.decode(), DOB_MASKED)
                with pdf_html("daotao.grading.graduation_views") as html:
                    self.get(user, url, {"format": "pdf"})
                self.assert_masked(html[0], DOB_MASKED)

    def test_register_pages_carry_no_personal_data(self):
        for url in (reverse("grading:register"), reverse("grading:credential", args=[self.credential.pk])):
            self.assert_masked(self.get(self.board, url).content.decode())


class PackTests(PrivacyWorld):
    def urls(self, unit):
        return [reverse(name, args=[self.cohort.pk, unit.pk]) for name in ("twoway:pack", "twoway:pack_xlsx")]

    def test_the_units_that_sent_the_student_and_the_office_see_it_in_full(self):
        for user, unit in (
            (self.office, self.h02),
            (self.other_coordinator, self.h02),
            (self.agency_user, self.agency),
        ):
            page, workbook = self.urls(unit)
            with self.subTest(str(user)):
                self.assert_full(self.get(user, page).content.decode(), DOB)
                self.assertIn(dt.datetime.combine(BORN, dt.time()), cells(self.get(user, workbook).content))
                with pdf_html("daotao.school.documents") as html:
                    self.get(user, reverse("twoway:pack_pdf", args=[self.cohort.pk, unit.pk]))
                self.assert_full(html[0], DOB)

    def test_the_board_sees_it_masked(self):
        page, workbook = self.urls(self.h02)
        self.assert_masked(self.get(self.board, page).content.decode(), DOB_MASKED)
        self.assert_cells_masked(cells(self.get(self.board, workbook).content), DOB_MASKED)
        with pdf_html("daotao.school.documents") as html:
            self.get(self.board, reverse("twoway:pack_pdf", args=[self.cohort.pk, self.h02.pk]))
        self.assert_masked(html[0], DOB_MASKED)

    def test_the_pack_sent_to_the_unit_is_in_full(self):
        outbox = mail.get_connection("django.core.mail.backends.locmem.EmailBackend")
        mail.outbox = []
        with pdf_html("daotao.school.documents") as html:
            pack_send(cohort=self.cohort, unit=self.h02, user=self.office, email="h02@binhan.test", connection=outbox)
        self.assert_full(html[0], DOB)
        workbook = next(content for name, content, _type in mail.outbox[0].attachments if name.endswith(".xlsx"))
        self.assertIn(dt.datetime.combine(BORN, dt.time()), cells(workbook))


class OutcomeTests(PrivacyWorld):
    def test_events_and_the_students_page(self):
        pages = (reverse("surveys:outcome_list"), reverse("surveys:outcome_student", args=[self.subject.pk]))
        for role, user in self.entitled.items():
            for url in pages:
                with self.subTest(role, url=url):
                    self.assert_full(self.get(user, url).content.decode(), NID)
        for role, user in self.masked.items():
            for url in pages:
                with self.subTest(role, url=url):
                    self.assert_masked(self.get(user, url).content.decode(), NID_MASKED)

    def test_search_by_national_id(self):
        url = reverse("surveys:outcome_list")
        self.assertContains(self.get(self.other_coordinator, url, {"q": NID}), "35/QĐ-UBND")
        for user in self.masked.values():
            self.assertContains(self.get(user, url, {"q": self.subject.full_name}), "35/QĐ-UBND")
            self.assertNotContains(self.get(user, url, {"q": NID}), "35/QĐ-UBND")

    def test_an_import_does_not_confirm_a_national_id_the_user_sees_masked(self):
        unknown = "Không có học viên với số CCCD này trong phạm vi của đồng chí."
        for number in (NID, "052087999999"):  # a number the user sees masked, and nobody's
            with self.subTest(number), self.assertRaises(ImportRejected) as refused:
                row = [number, "Bổ nhiệm", "15/05/2026", "14/QĐ", ""]
                career_events_import(outcome_workbook([row]), user=self.coordinator, dry_run=True)
            self.assertEqual([problem.message for problem in refused.exception.problems], [unknown])


class ApiTests(PrivacyWorld):
    def item(self, user, url, params=None):
        body = self.get(user, url, params).json()
        return next(item for item in body["items"] if item["full_name"] == self.subject.full_name)

    def test_students_and_class_list(self):
        students, class_list = "/api/v1/students", f"/api/v1/cohorts/{self.cohort.code}/enrollments"
        name = {"q": self.subject.full_name}
        full = {"national_id": NID, "date_of_birth": BORN.isoformat(), "year_of_birth": 1987}
        masked = {"national_id": NID_MASKED, "date_of_birth": None, "year_of_birth": 1987}
        for role, user in self.entitled.items():
            with self.subTest(role):
                self.assertEqual(self.item(user, students, name) | full, self.item(user, students, name))
                self.assertFalse(self.item(user, students, name)["personal_data_masked"])
        for role, user in self.masked.items():
            with self.subTest(role):
                for url, params in ((students, name), (class_list, None)):
                    item = self.item(user, url, params)
                    self.assertEqual(item | masked, item)
                    self.assertTrue(item["personal_data_masked"])
                    self.assert_masked(json.dumps(self.get(user, url, params).json(), ensure_ascii=False), NID_MASKED)
        self.assertEqual(self.item(self.office, class_list) | full, self.item(self.office, class_list))

    def test_search_by_national_id(self):
        url = "/api/v1/students"
        self.assertEqual(self.get(self.agency_user, url, {"q": NID}).json()["total"], 1)
        for user in self.masked.values():
            self.assertEqual(self.get(user, url, {"q": NID}).json()["total"], 0)

    def test_the_schema_says_so(self):
        schema = self.client.get("/api/v1/openapi.json").json()["components"]["schemas"]["StudentOut"]
        self.assertIn("personal_data_masked", schema["required"])
        self.assertIn("••••••••1234", schema["properties"]["national_id"]["description"])


class AdminSearchTests(PrivacyWorld):
    """The admin searches people as the pages do (``people.search``): a national ID finds
    only the people whose personal data the user sees, by its start only."""

    def staff(self, user, *codenames):
        user.is_staff = True
        user.save()
        user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
        return user

    def found(self, user, url, query) -> list:
        return list(self.get(user, url, {"q": query}).context["cl"].result_list)

    def test_a_national_id_finds_only_people_the_user_sees_in_full(self):
        enrollments = reverse("admin:cohorts_enrollment_changelist")
        subject = Enrollment.objects.get(pk=self.enrollments[0].pk)
        entitled = self.staff(self.other_coordinator, "view_enrollment")
        masked = self.staff(self.coordinator, "view_enrollment")
        self.assertIn(subject, self.found(entitled, enrollments, NID[:6]))
        self.assertNotIn(subject, self.found(masked, enrollments, NID[:6]))
        self.assertIn(subject, self.found(masked, enrollments, self.subject.full_name))

    def test_a_national_id_is_searched_by_its_start(self):
        """Django's own search matched the admin's national IDs anywhere (``icontains``):
        the last digits, which every masked page shows, confirmed a number."""
        students = reverse("admin:people_student_changelist")
        self.assertEqual(self.found(self.superuser, students, NID[:8]), [self.subject])
        self.assertEqual(self.found(self.superuser, students, NID[-4:]), [])

    def test_every_list_of_people_searches_folded_names(self):
        """The grading admins searched the raw name (``icontains``), so "hoc vien" did not
        find "Học Viên"; they search the folded name now, as every page does."""
        query = "hoc vien " + self.subject.full_name.split()[-1]
        for name in ("grading_credential", "grading_graduationentry", "cohorts_enrollment", "people_student"):
            with self.subTest(name):
                found = self.found(self.superuser, reverse(f"admin:{name}_changelist"), query)
                self.assertTrue(found)


class LecturerTests(PrivacyWorld):
    """A lecturer teaches and grades: names, never identities, on every page they reach."""

    def test_nothing_personal_on_the_lecturers_pages(self):
        sheet = reverse("grading:sheet", args=[self.cohort.pk, self.m1.pk])
        pages = (
            sheet,
            reverse("grading:cohort", args=[self.cohort.pk]),
            reverse("teaching:cohort", args=[self.cohort.pk]),
            reverse("cohorts:detail", args=[self.cohort.code]),  # the class hub of her class
        )
        for url in pages:
            with self.subTest(url):
                self.assert_masked(self.get(self.lecturer_user, url).content.decode())
        self.assertIn(self.subject.full_name, self.get(self.lecturer_user, sheet).content.decode())
        export = reverse("grading:sheet_export", args=[self.cohort.pk, self.m1.pk])
        self.assert_cells_masked(cells(self.get(self.lecturer_user, export).content))
        results = self.get(self.lecturer_user, f"/api/v1/grading/cohorts/{self.cohort.pk}/results")
        self.assert_masked(json.dumps(results.json(), ensure_ascii=False))
        self.get(self.lecturer_user, reverse("people:students"), status=403)
        self.get(self.lecturer_user, "/api/v1/students", status=403)
        self.assertTrue(Enrollment.objects.visible_to(self.lecturer_user).filter(student=self.subject).exists())
