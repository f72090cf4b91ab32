"""The first administrator's checklist and the identity page."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from daotao.accounts import roles
from daotao.audit.models import AuditEntry
from daotao.onboarding import setup
from daotao.planning.models import AnnualPlan, Quota
from daotao.programs.models import Program
from daotao.school import identity
from daotao.school.models import School
from daotao.testing import make_lecturer, make_unit, make_user

CHECKLIST = reverse("onboarding:checklist")
IDENTITY = reverse("onboarding:identity")


class ChecklistTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = make_user("admin", None, is_superuser=True, is_staff=True)
        cls.office = make_user("office", roles.TRAINING_OFFICE)

    def steps(self) -> dict[str, bool]:
        response = self.client.get(CHECKLIST)
        self.assertEqual(response.status_code, 200)
        return {step.key: step.done for step in response.context["steps"]}

    def test_steps_follow_the_records(self):
        self.client.force_login(self.admin)
        self.assertEqual(set(self.steps().values()), {False})
        setup.identity_save(
            user=self.admin, values={"name": "Trường Chính trị tỉnh A", "parent": "Tỉnh ủy A", "province": "A"}
        )
        self.assertTrue(self.steps()["identity"])
        response = self.client.post(CHECKLIST)  # the button: the shipped catalogue
        self.assertRedirects(response, CHECKLIST)
        self.assertEqual(Program.objects.count(), 5)
        self.assertTrue(self.steps()["programs"])
        province = make_unit("A", "Tỉnh A", "province")
        school = make_unit("SCH", "Trường Chính trị tỉnh A", "school", province)
        faculty = make_unit("K-1", "Khoa Lý luận cơ sở", "faculty", school)
        district = make_unit("H01", "Huyện Một", "district", province)
        self.assertTrue(self.steps()["units"])
        self.assertFalse(self.steps()["people"])  # accounts (the office's), but no lecturer
        make_lecturer("Nguyễn Thị Hằng", faculty)
        self.assertTrue(self.steps()["people"])
        plan = AnnualPlan.objects.create(year=timezone.localdate().year, title="Kế hoạch")
        self.assertFalse(self.steps()["plan"])
        Quota.objects.create(
            plan=plan,
            program=Program.objects.get(code="TC-LLCT-HC"),
            locality=district,
            funding="supported",
            classes=1,
            students=50,
        )
        steps = self.steps()
        self.assertTrue(steps["plan"])
        self.assertFalse(steps["history"])
        response = self.client.get(CHECKLIST)
        self.assertEqual((response.context["done"], response.context["total"]), (5, 5))

    def test_a_fixed_number_of_queries(self):
        self.client.force_login(self.office)
        self.client.get(CHECKLIST)
        with self.assertNumQueries(12):
            self.client.get(CHECKLIST)

    def test_only_the_training_office(self):
        for role in (roles.SCHOOL_BOARD, roles.LECTURER, roles.EDITOR):
            self.client.force_login(make_user(f"u-{role}", role))
            self.assertEqual(self.client.get(CHECKLIST).status_code, 403)
            self.assertEqual(self.client.post(CHECKLIST).status_code, 403)
            self.assertEqual(self.client.get(IDENTITY).status_code, 403)
        self.assertFalse(Program.objects.exists())
        self.client.logout()
        self.assertRedirects(self.client.get(CHECKLIST), f"/accounts/login/?next={CHECKLIST}")

    def test_the_office_finds_it_in_the_menu(self):
        self.client.force_login(self.office)
        self.assertContains(self.client.get(reverse("home")), f'href="{CHECKLIST}"')


class IdentityPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.office = make_user("office", roles.TRAINING_OFFICE)

    def form(self, **changes) -> dict:
        data = {
            "name": "Trường Chính trị tỉnh Hòa Bình", "parent": "Tỉnh ủy Hòa Bình", "province": "Hòa Bình",
            "place": "", "address": "Phường Phương Lâm", "phone": "", "email": "", "website": "",
            "document_style": "party", "document_code": "TCT",
            "default-title": "HIỆU TRƯỞNG", "default-deputy_title": "", "default-name": "Bùi Văn Khánh",
        }  # fmt: skip
        for kind in ("diploma", "certificate", "confirmation", "results_pack", "graduation", "survey_results",
                     "annual_report", "quota_table"):  # fmt: skip
            data.update({f"{kind}-title": "HIỆU TRƯỞNG", f"{kind}-deputy_title": "", f"{kind}-name": ""})
        return {**data, **changes}

    def test_saves_the_identity_and_its_signers_audited(self):
        self.client.force_login(self.office)
        self.assertEqual(self.client.get(IDENTITY).status_code, 200)
        logo = SimpleUploadedFile("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "image/svg+xml")
        data = self.form(**{"logo": logo, "diploma-deputy_title": "Phó Hiệu trưởng", "diploma-name": "Lý Thị Hoa"})
        response = self.client.post(IDENTITY, data)
        self.assertRedirects(response, CHECKLIST)
        school = identity.current()
        self.assertEqual(
            (school.name, school.place, school.signer().name),
            ("Trường Chính trị tỉnh Hòa Bình", "Hòa Bình", "Bùi Văn Khánh"),
        )
        self.assertEqual(school.signer("diploma").lines, ["KT. HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG"])
        self.assertTrue(school.logo_digest)
        self.assertEqual(AuditEntry.objects.filter(action="school.signer").count(), 2)
        entry = AuditEntry.objects.get(action="school.identity")
        self.assertEqual(entry.username, "office")
        # The header shows it at once.
        self.assertContains(self.client.get(CHECKLIST), "Trường Chính trị tỉnh Hòa Bình")

    def test_a_hostile_logo_is_refused_and_nothing_saved(self):
        self.client.force_login(self.office)
        logo = SimpleUploadedFile("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')
        response = self.client.post(IDENTITY, self.form(logo=logo))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors["logo"])
        self.assertFalse(School.objects.exists())

    def test_missing_name_redisplays(self):
        self.client.force_login(self.office)
        response = self.client.post(IDENTITY, self.form(name=""))
        self.assertEqual(response.status_code, 200)
        self.assertIn("name", response.context["form"].errors)
        self.assertFalse(School.objects.exists())


class SetupPendingTests(TestCase):
    """Until the identity is set, the office's home leads to the checklist; the board's does not."""

    def test_the_office_is_led_to_the_checklist(self):
        office, board = make_user("office", roles.TRAINING_OFFICE), make_user("bgh", roles.SCHOOL_BOARD)
        self.client.force_login(office)
        self.assertContains(self.client.get(reverse("home")), "chưa được thiết lập")
        self.client.force_login(board)
        self.assertNotContains(self.client.get(reverse("home")), "chưa được thiết lập")
        setup.identity_save(
            user=office, values={"name": "Trường Chính trị tỉnh A", "parent": "Tỉnh ủy A", "province": "A"}
        )
        self.client.force_login(office)
        self.assertNotContains(self.client.get(reverse("home")), "chưa được thiết lập")
