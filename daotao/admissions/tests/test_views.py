"""The admissions pages for every persona: the list, the candidate form, one application
with its checks, dossier, decision and exceptions, and placement in classes."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext as _

from daotao.admissions.models import Application, Decision, PositionCategory, ProgramDocument, Status
from daotao.admissions.tests.world import AdmissionsTestCase, make_application
from daotao.audit.models import AuditEntry
from daotao.cohorts.models import Cohort, Enrollment
from daotao.lib import national_id
from daotao.people.models import Student
from daotao.planning.models import AnnualPlan
from daotao.testing import make_cohort

D = dt.date
LIST = reverse("admissions:list")
NEW = reverse("admissions:new")
PLACEMENT = reverse("admissions:placement")


class AdmissionsPageTestCase(AdmissionsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.diep = make_application(cls.tc, cls.h01, full_name="Trần Thị Ngọc Diệp", gender="female")
        cls.binh = make_application(cls.tc, cls.x01, full_name="Nguyễn Văn Bình", received=["QD-CU"])
        cls.an = make_application(cls.tc, cls.h02, full_name="Lê Văn An")
        cls.staff = make_application(cls.tc, cls.h02, full_name="Phạm Thị Hoa", gender="female", agency=cls.agency)

    def login(self, user):
        self.client.force_login(user)

    def detail(self, application):
        return reverse("admissions:detail", args=[application.pk])


def candidate(program, locality, **changes) -> dict:
    """The POST data of a candidate who meets every Trung cấp standard, with every document."""
    born = D(1987, 3, 14)
    data = {
        "full_name": "Đỗ Minh Khang",
        "national_id": national_id.make("052", "male", born, 4242),
        "date_of_birth": "14/03/1987",
        "gender": "male",
        "ethnicity": "Kinh",
        "party_status": "full",
        "party_joined_on": "19/05/2012",
        "education_level": "5",
        "theory_level": "0",
        "position": "Phó Trưởng phòng Nội vụ",
        "position_category": str(PositionCategory.objects.get(code="PHO-PHONG").pk),
        "grade": "specialist",
        "rating_last_year": "3",
        "rating_year_before": "4",
        "plan": str(AnnualPlan.objects.get(year=2026).pk),
        "program": str(program.pk),
        "mode": "non_concentrated",
        "funding": "supported",
        "locality": str(locality.pk),
        "documents": [str(d.document_type_id) for d in ProgramDocument.objects.filter(program=program, required=True)],
    }
    data.update(changes)
    return data


class AccessTests(AdmissionsPageTestCase):
    def test_anonymous_is_sent_to_sign_in(self):
        for url in (LIST, NEW, self.detail(self.diep), PLACEMENT):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302, url)
            self.assertTrue(response["Location"].startswith(reverse("login")), url)
        response = self.client.post(reverse("admissions:decision", args=[self.diep.pk]), {"decision": "admitted"})
        self.assertEqual(response.status_code, 302)

    def test_a_user_without_a_role_is_refused(self):
        self.login(self.nobody)
        for url in (LIST, NEW, self.detail(self.diep), PLACEMENT):
            self.assertEqual(self.client.get(url).status_code, 403, url)

    def test_only_the_office_places(self):
        for user in (self.coordinator, self.agency_user, self.board):
            self.login(user)
            self.assertEqual(self.client.get(PLACEMENT).status_code, 403)

    def test_the_board_reads_but_does_not_nominate(self):
        self.login(self.board)
        self.assertEqual(self.client.get(self.detail(self.an)).status_code, 200)
        self.assertEqual(self.client.get(NEW).status_code, 403)
        self.assertNotContains(self.client.get(LIST), NEW)

    def test_posts_only(self):
        self.login(self.office)
        for name in ("documents", "decision", "exception"):
            self.assertEqual(self.client.get(reverse(f"admissions:{name}", args=[self.diep.pk])).status_code, 405)


class ListTests(AdmissionsPageTestCase):
    def names(self, response):
        return [a.full_name for a in response.context["page"]]

    def test_the_office_sees_every_application_in_name_order(self):
        self.login(self.office)
        response = self.client.get(LIST)
        self.assertEqual(response.status_code, 200)
        # Vietnamese order: by given name (An, Bình, Diệp, Hoa).
        self.assertEqual(self.names(response), ["Lê Văn An", "Nguyễn Văn Bình", "Trần Thị Ngọc Diệp", "Phạm Thị Hoa"])
        self.assertContains(response, reverse("admissions:import"))
        self.assertContains(response, reverse("admissions:quota"))
        self.assertContains(response, NEW)
        self.assertContains(response, 'data-status="incomplete"')
        self.assertContains(response, self.diep.national_id)

    def test_coordinator_sees_their_locality_and_below(self):
        self.login(self.coordinator)
        response = self.client.get(LIST)
        self.assertEqual(self.names(response), ["Nguyễn Văn Bình", "Trần Thị Ngọc Diệp"])
        localities = [code for code, _label in response.context["form"].fields["locality"].choices if code]
        self.assertEqual(sorted(localities), ["H01", "X0101"])
        self.assertNotContains(response, self.an.national_id)

    def test_an_agency_sees_its_own_staff(self):
        self.login(self.agency_user)
        self.assertEqual(self.names(self.client.get(LIST)), ["Phạm Thị Hoa"])

    def test_filters_and_search(self):
        self.login(self.office)
        cases = [
            ({"locality": "H01"}, ["Nguyễn Văn Bình", "Trần Thị Ngọc Diệp"]),
            ({"status": "incomplete"}, ["Nguyễn Văn Bình"]),
            ({"program": "BD-CVC"}, []),
            ({"q": "ngoc diep"}, ["Trần Thị Ngọc Diệp"]),
            ({"q": self.an.national_id}, ["Lê Văn An"]),
        ]
        for query, expected in cases:
            self.assertEqual(self.names(self.client.get(LIST, query)), expected, query)
        # A filter that is not valid is ignored, not an error.
        self.assertEqual(len(self.names(self.client.get(LIST, {"year": "1999", "status": "bogus"}))), 4)

    def test_defaults_to_the_latest_plan_year(self):
        old = AnnualPlan.objects.create(year=2025, status="approved")
        make_application(self.tc, self.h01, plan=old, full_name="Võ Văn Tâm")
        self.login(self.office)
        response = self.client.get(LIST)
        self.assertEqual(len(self.names(response)), 4)
        self.assertEqual(response.context["form"].cleaned_data["year"], 2026)
        self.assertEqual(self.names(self.client.get(LIST, {"year": "2025"})), ["Võ Văn Tâm"])
        self.assertEqual(len(self.names(self.client.get(LIST, {"year": ""}))), 5)  # all years

    def test_flags_and_missing_documents_are_shown(self):
        holder = Student.objects.create(
            national_id=self.an.national_id, full_name="Lê Văn An", date_of_birth=self.an.date_of_birth, gender="male"
        )
        cohort = make_cohort("TC-H02-24", self.tc, self.h02, D(2024, 3, 1))
        Enrollment.objects.create(cohort=cohort, student=holder)
        from daotao.admissions import checks

        checks.refresh(Application.objects.filter(pk=self.an.pk).select_related("plan"))
        self.login(self.office)
        response = self.client.get(LIST)
        self.assertContains(response, "data-flag", count=1)
        self.assertContains(
            response, '<span class="badge bad" title="SYLL, BANG, SUC-KHOE, DANG-VIEN, DANH-GIA">5</span>', html=True
        )
        detail = self.client.get(self.detail(self.an))
        self.assertContains(detail, "TC-H02-24")

    def test_a_constant_number_of_queries(self):
        # Session, user, roles, unit; plan years, localities, programs; count, page.
        self.login(self.coordinator)
        with self.assertNumQueries(9):
            self.client.get(LIST)
        for i in range(30):
            make_application(self.tc, self.x01, full_name=f"Học Viên Thứ {i}", received=["QD-CU"])
        with self.assertNumQueries(9):
            response = self.client.get(LIST)
        self.assertEqual(response.context["page"].paginator.count, 32)


class FormTests(AdmissionsPageTestCase):
    def test_a_coordinator_nominates_from_their_locality(self):
        self.login(self.coordinator)
        response = self.client.get(NEW)
        self.assertEqual(response.status_code, 200)
        form = response.context["form"]
        self.assertEqual(form["locality"].value(), self.h01.pk)
        self.assertEqual(set(form.fields["locality"].queryset), {self.h01, self.x01})
        self.assertEqual(form["plan"].value(), self.plan.pk)

        response = self.client.post(NEW, candidate(self.tc, self.x01))
        application = Application.objects.get(full_name="Đỗ Minh Khang")
        self.assertRedirects(response, self.detail(application))
        self.assertEqual(application.status, Status.ELIGIBLE)
        self.assertEqual(application.submitted_by, self.coordinator)
        self.assertEqual(application.date_of_birth, D(1987, 3, 14))
        self.assertEqual(application.documents.filter(received=True).count(), 6)
        page = self.client.get(self.detail(application))
        self.assertContains(page, 'data-status="eligible"')
        self.assertContains(page, "14/03/1987")
        self.assertContains(page, 'data-outcome="passed"', count=5)

    def test_a_coordinator_cannot_choose_another_locality(self):
        self.login(self.coordinator)
        response = self.client.post(NEW, candidate(self.tc, self.h02))
        self.assertEqual(response.status_code, 200)
        self.assertIn("locality", response.context["form"].errors)
        self.assertFalse(Application.objects.filter(full_name="Đỗ Minh Khang").exists())

    def test_an_agency_nominates_its_own_staff_from_any_locality(self):
        self.login(self.agency_user)
        self.assertNotIn("agency", self.client.get(NEW).context["form"].fields)
        response = self.client.post(NEW, candidate(self.tc, self.h03, agency=str(self.other_agency.pk)))
        application = Application.objects.get(full_name="Đỗ Minh Khang")
        self.assertRedirects(response, self.detail(application))
        self.assertEqual((application.agency, application.locality), (self.agency, self.h03))

    def test_an_agency_edits_its_staff_keeping_the_agency(self):
        self.login(self.agency_user)
        url = reverse("admissions:edit", args=[self.staff.pk])
        data = candidate(self.tc, self.h02, national_id=self.staff.national_id, full_name="Phạm Thị Hoa")
        data.update(date_of_birth="12/04/1988", gender="female")
        self.assertRedirects(self.client.post(url, data), self.detail(self.staff))
        self.staff.refresh_from_db()
        self.assertEqual((self.staff.agency, self.staff.position), (self.agency, "Phó Trưởng phòng Nội vụ"))
        self.assertEqual(self.client.get(reverse("admissions:edit", args=[self.an.pk])).status_code, 404)

    def test_missing_documents_make_it_incomplete(self):
        self.login(self.office)
        self.client.post(NEW, candidate(self.tc, self.h03, documents=[], agency=str(self.agency.pk)))
        application = Application.objects.get(full_name="Đỗ Minh Khang")
        self.assertEqual(application.status, Status.INCOMPLETE)
        self.assertEqual(application.agency, self.agency)
        self.assertContains(self.client.get(self.detail(application)), _("Missing"), count=6)

    def test_a_bad_national_id_is_a_form_error(self):
        self.login(self.office)
        for number in ("05208700424", national_id.make("052", "female", D(1987, 3, 14), 4242)):
            response = self.client.post(NEW, candidate(self.tc, self.h01, national_id=number))
            self.assertEqual(response.status_code, 200)
            self.assertTrue(response.context["form"].errors["national_id"])
        self.assertContains(response, _("Digit 4 of the national ID does not match the gender."))
        self.assertFalse(Application.objects.filter(full_name="Đỗ Minh Khang").exists())

    def test_a_date_the_us_way_is_refused(self):
        self.login(self.office)
        response = self.client.post(NEW, candidate(self.tc, self.h01, date_of_birth="03/14/1987"))
        self.assertIn("date_of_birth", response.context["form"].errors)

    def test_a_second_nomination_for_the_same_program_and_year(self):
        self.login(self.coordinator)
        response = self.client.post(NEW, candidate(self.tc, self.h01, national_id=self.an.national_id))
        self.assertEqual(response.status_code, 200)
        [error] = response.context["form"].errors["national_id"]
        self.assertIn("TC-LLCT-HC", error)
        self.assertNotIn(self.h02.name, error)  # the other locality is not named
        self.assertEqual(Application.objects.filter(national_id=self.an.national_id).count(), 1)

    def test_editing(self):
        self.login(self.coordinator)
        url = reverse("admissions:edit", args=[self.binh.pk])
        form = self.client.get(url).context["form"]
        self.assertEqual(form["documents"].value(), [self.documents["QD-CU"].pk])
        data = candidate(self.tc, self.x01, national_id=self.binh.national_id, full_name="Nguyễn Văn Bình")
        data["date_of_birth"] = "12/04/1988"
        self.assertRedirects(self.client.post(url, data), self.detail(self.binh))
        self.binh.refresh_from_db()
        self.assertEqual(self.binh.status, Status.ELIGIBLE)
        self.assertEqual(self.binh.position, "Phó Trưởng phòng Nội vụ")

    def test_only_pending_applications_are_edited_and_only_in_scope(self):
        self.login(self.other_coordinator)
        self.assertEqual(self.client.get(reverse("admissions:edit", args=[self.diep.pk])).status_code, 404)
        Application.objects.filter(pk=self.an.pk).update(decision=Decision.REJECTED, status=Status.REJECTED)
        url = reverse("admissions:edit", args=[self.an.pk])
        self.assertRedirects(self.client.get(url), self.detail(self.an))
        self.client.post(url, candidate(self.tc, self.h02, national_id=self.an.national_id))
        self.assertEqual(Application.objects.get(pk=self.an.pk).full_name, "Lê Văn An")


class DetailTests(AdmissionsPageTestCase):
    def test_scope(self):
        for user, application, status in [
            (self.coordinator, self.diep, 200),
            (self.coordinator, self.binh, 200),  # a commune below H01
            (self.coordinator, self.an, 404),
            (self.other_coordinator, self.diep, 404),
            (self.agency_user, self.staff, 200),
            (self.agency_user, self.an, 404),
            (self.office, self.an, 200),
        ]:
            self.login(user)
            self.assertEqual(self.client.get(self.detail(application)).status_code, status, (user, application))

    def test_rules_with_reasons_and_the_checklist(self):
        self.login(self.coordinator)
        response = self.client.get(self.detail(self.binh))
        self.assertContains(response, 'data-outcome="passed"', count=5)
        self.assertContains(response, "01/01/2026")  # the age's reference date
        self.assertContains(response, self.binh.national_id)
        self.assertContains(response, 'data-document="QD-CU"')
        self.assertContains(response, _("Missing"), count=5)
        # The coordinator may update the dossier, not decide.
        self.assertContains(response, reverse("admissions:documents", args=[self.binh.pk]))
        self.assertNotContains(response, reverse("admissions:decision", args=[self.binh.pk]))

    def test_a_failed_rule_is_explained(self):
        young = make_application(
            self.tc, self.h01, full_name="Hồ Thị Mai", gender="female", date_of_birth=D(2000, 1, 1)
        )
        self.login(self.office)
        response = self.client.get(self.detail(young))
        self.assertContains(response, 'data-status="ineligible"')
        self.assertContains(response, 'data-outcome="failed"', count=1)

    def test_the_nominating_side_updates_the_dossier_with_a_file(self):
        self.login(self.coordinator)
        ids = {code: self.documents[code].pk for code in ("QD-CU", "SYLL", "BANG", "SUC-KHOE", "DANG-VIEN", "DANH-GIA")}
        data = {f"received_{pk}": "on" for pk in ids.values()}
        data[f"file_{ids['SYLL']}"] = SimpleUploadedFile("syll.pdf", b"%PDF-1.4 test", content_type="application/pdf")
        with self.settings(MEDIA_ROOT=self.media_root()):
            response = self.client.post(reverse("admissions:documents", args=[self.binh.pk]), data)
            self.assertRedirects(response, self.detail(self.binh))
            self.binh.refresh_from_db()
            self.assertEqual(self.binh.status, Status.ELIGIBLE)
            document = self.binh.documents.get(document_type_id=ids["SYLL"])
            self.assertNotIn("/media/", self.client.get(self.detail(self.binh)).content.decode())
            # The scan is served only through the application, to those who may see it.
            url = reverse("admissions:document-file", args=[self.binh.pk, document.pk])
            self.assertContains(self.client.get(self.detail(self.binh)), url)
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200)
            self.assertEqual(b"".join(response.streaming_content), b"%PDF-1.4 test")
            self.assertIn("syll.pdf", response["Content-Disposition"])
            self.login(self.other_coordinator)
            self.assertEqual(self.client.get(url).status_code, 404)
            self.client.logout()
            self.assertEqual(self.client.get(url).status_code, 302)

    def test_a_file_of_the_wrong_kind_changes_nothing(self):
        self.login(self.coordinator)
        pk = self.documents["SYLL"].pk
        data = {f"received_{pk}": "on", f"file_{pk}": SimpleUploadedFile("run.exe", b"MZ")}
        response = self.client.post(reverse("admissions:documents", args=[self.binh.pk]), data)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["documents_form"].errors)
        self.assertFalse(self.binh.documents.filter(document_type_id=pk).exists())

    def media_root(self):
        import tempfile

        path = tempfile.mkdtemp()
        self.addCleanup(__import__("shutil").rmtree, path, True)
        return path


class DecisionTests(AdmissionsPageTestCase):
    def decide(self, application, **data):
        return self.client.post(reverse("admissions:decision", args=[application.pk]), data)

    def test_admission_creates_the_student_and_is_audited_on_the_page(self):
        self.login(self.office)
        response = self.decide(self.diep, decision="admitted", number="25-QĐ/TCT", date="20/02/2026")
        self.assertRedirects(response, self.detail(self.diep))
        self.diep.refresh_from_db()
        self.assertEqual(self.diep.status, Status.ADMITTED)
        self.assertEqual(self.diep.decision_date, D(2026, 2, 20))
        self.assertEqual(self.diep.student.national_id, self.diep.national_id)
        page = self.client.get(self.detail(self.diep))
        self.assertContains(page, 'data-status="admitted"')
        self.assertContains(page, 'data-action="admission.decision"')
        self.assertContains(page, "25-QĐ/TCT")
        self.assertContains(page, "20/02/2026")
        self.assertEqual(AuditEntry.objects.filter(action="admission.decision").count(), 1)

    def test_an_incomplete_dossier_cannot_be_admitted(self):
        self.login(self.office)
        response = self.decide(self.binh, decision="admitted", number="25-QĐ/TCT", date="20/02/2026")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["decision_form"].non_field_errors())
        self.assertContains(response, _("The dossier is incomplete; nothing can be decided until it is complete."))
        self.binh.refresh_from_db()
        self.assertEqual((self.binh.decision, self.binh.student), (Decision.PENDING, None))
        self.assertFalse(AuditEntry.objects.exists())

    def test_a_rejection_needs_a_reason(self):
        self.login(self.office)
        response = self.decide(self.an, decision="rejected", number="", date="")
        self.assertIn("reason", response.context["decision_form"].errors)
        response = self.decide(self.an, decision="rejected", reason="Đã đủ chỉ tiêu")
        self.assertRedirects(response, self.detail(self.an))
        self.assertEqual(Application.objects.get(pk=self.an.pk).status, Status.REJECTED)

    def test_admission_needs_a_number_and_a_valid_date(self):
        self.login(self.office)
        response = self.decide(self.diep, decision="admitted", number="", date="20/02/2026")
        self.assertIn("number", response.context["decision_form"].errors)
        response = self.decide(self.diep, decision="admitted", number="25", date="31/02/2026")
        self.assertIn("date", response.context["decision_form"].errors)
        self.assertEqual(Application.objects.get(pk=self.diep.pk).decision, Decision.PENDING)

    def test_only_the_office_decides_and_records_exceptions(self):
        for user in (self.coordinator, self.agency_user, self.board):
            self.login(user)
            response = self.decide(self.diep, decision="admitted", number="1", date="20/02/2026")
            self.assertEqual(response.status_code, 403)
            response = self.client.post(reverse("admissions:exception", args=[self.diep.pk]), {})
            self.assertEqual(response.status_code, 403)
        self.assertEqual(Application.objects.get(pk=self.diep.pk).decision, Decision.PENDING)

    def test_an_exception_waives_a_failed_rule(self):
        young = make_application(
            self.tc, self.h01, full_name="Hồ Thị Mai", gender="female", date_of_birth=D(2000, 1, 1)
        )
        rule = self.tc.eligibility_rules.get(kind="age")
        self.login(self.office)
        url = reverse("admissions:exception", args=[young.pk])
        response = self.client.post(url, {"rule": rule.pk, "decided_by": " ", "decided_on": "10/02/2026"})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["exception_form"].errors)
        data = {
            "rule": rule.pk,
            "decided_by": "Ban Thường vụ Tỉnh ủy",
            "decision_number": "7-QĐ/TU",
            "decided_on": "10/02/2026",
        }
        self.assertRedirects(self.client.post(url, data), self.detail(young))
        young.refresh_from_db()
        self.assertEqual(young.status, Status.ELIGIBLE)
        page = self.client.get(self.detail(young))
        self.assertContains(page, 'data-outcome="waived"')
        self.assertContains(page, "Ban Thường vụ Tỉnh ủy")
        self.assertContains(page, 'data-action="admission.exception"')

    def test_a_rule_of_another_program_is_refused(self):
        other = self.cvc.eligibility_rules.first()
        self.login(self.office)
        response = self.client.post(
            reverse("admissions:exception", args=[self.diep.pk]),
            {"rule": other.pk, "decided_by": "Tỉnh ủy", "decided_on": "10/02/2026"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("rule", response.context["exception_form"].errors)


class PlacementTests(AdmissionsPageTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        from daotao.admissions import services

        for application in (cls.diep, cls.an):
            services.decide(application, cls.office, Decision.ADMITTED, "25-QĐ/TCT", D(2026, 2, 20))
        cls.open_class = make_cohort("TC-H01-26", cls.tc, cls.h01, D(2026, 3, 2))
        cls.other_program = make_cohort("BD-CVC-26", cls.cvc, cls.school, D(2026, 3, 2))
        cls.url = PLACEMENT + "?year=2026&program=TC-LLCT-HC"

    def test_lists_the_admitted_not_placed(self):
        self.login(self.office)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            [a.full_name for a in response.context["form"].fields["applications"].queryset],
            ["Lê Văn An", "Trần Thị Ngọc Diệp"],
        )
        self.assertEqual(list(response.context["form"].fields["cohort"].queryset), [self.open_class])
        self.assertEqual(self.client.get(PLACEMENT).status_code, 200)

    def test_place_into_an_existing_class(self):
        self.login(self.office)
        data = {"action": "place", "applications": [self.diep.pk, self.an.pk], "cohort": self.open_class.pk}
        self.assertRedirects(self.client.post(self.url, data), self.url)
        self.assertEqual(Enrollment.objects.filter(cohort=self.open_class).count(), 2)
        self.assertEqual(AuditEntry.objects.filter(action="admission.place").count(), 2)
        response = self.client.get(self.url)
        self.assertEqual(list(response.context["form"].fields["applications"].queryset), [])
        self.assertContains(self.client.get(self.detail(self.diep)), "TC-H01-26")

    def test_open_a_new_class(self):
        self.login(self.office)
        data = {
            "action": "open", "applications": [self.diep.pk], "new-code": "tc-h01-26b", "new-name": "Lớp TC khóa 2",
            "new-mode": "non_concentrated", "new-funding": "supported", "new-host_locality": self.h01.pk,
            "new-venue": "Trung tâm chính trị", "new-opening_date": "01/04/2026", "new-plan_year": "2026",
        }  # fmt: skip
        self.assertRedirects(self.client.post(self.url, data), self.url)
        cohort = Cohort.objects.get(code="TC-H01-26B")
        self.assertEqual((cohort.program, cohort.opening_date), (self.tc, D(2026, 4, 1)))
        self.assertEqual(list(Enrollment.objects.filter(cohort=cohort).values_list("student__national_id", flat=True)),
                         [self.diep.national_id])  # fmt: skip

    def test_errors_change_nothing(self):
        self.login(self.office)
        # A new class whose code is taken.
        data = {
            "action": "open", "applications": [self.diep.pk], "new-code": "TC-H01-26", "new-name": "Lớp",
            "new-mode": "concentrated", "new-funding": "supported", "new-host_locality": self.school.pk,
            "new-opening_date": "01/04/2026",
        }  # fmt: skip
        response = self.client.post(self.url, data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("code", response.context["new_form"].errors)
        # A plan year no plan may have (the planning page's and the import's rule).
        response = self.client.post(self.url, data | {"new-code": "TC-H01-26C", "new-plan_year": "1949"})
        self.assertEqual(response.context["new_form"].errors["plan_year"], ["Năm phải từ 1950 đến 2100."])
        # No candidate chosen; no class chosen; a class of another program.
        response = self.client.post(self.url, {"action": "place", "cohort": self.open_class.pk})
        self.assertIn("applications", response.context["form"].errors)
        response = self.client.post(self.url, {"action": "place", "applications": [self.diep.pk]})
        self.assertIn("cohort", response.context["form"].errors)
        response = self.client.post(
            self.url, {"action": "place", "applications": [self.diep.pk], "cohort": self.other_program.pk}
        )
        self.assertIn("cohort", response.context["form"].errors)
        # A candidate not admitted cannot be chosen.
        response = self.client.post(
            self.url, {"action": "place", "applications": [self.binh.pk], "cohort": self.open_class.pk}
        )
        self.assertIn("applications", response.context["form"].errors)
        self.assertFalse(Enrollment.objects.exists())
        self.assertEqual(Cohort.objects.count(), 2)
        self.assertFalse(AuditEntry.objects.filter(action="admission.place").exists())
