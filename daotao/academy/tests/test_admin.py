"""The Academy's office registers schools in the admin and sees the packages, read-only;
a school's installation shows neither."""

from django.test import override_settings
from django.urls import reverse

from daotao.academy.models import FiguresPackage, RegisteredSchool
from daotao.academy.tests.helpers import NORTH, AcademyTestCase, imported
from daotao.lib import signing
from daotao.testing import make_user


class AcademyAdminTests(AcademyTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.office.is_staff = True
        cls.office.save(update_fields=["is_staff"])
        cls.superuser = make_user("hv.root", is_superuser=True, is_staff=True)
        imported(cls.north_key, cls.north, NORTH)

    def test_the_office_registers_a_school(self):
        self.client.force_login(self.office)
        key = signing.new_private_key()
        data = {"code": "DNA", "name": "Trường Chính trị tỉnh Đồng Nai", "province": "Đồng Nai", "active": "on"}
        response = self.client.post(reverse("admin:academy_registeredschool_add"), {**data, "public_key": "ed25519:x"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Not a public key")
        response = self.client.post(
            reverse("admin:academy_registeredschool_add"), {**data, "public_key": signing.public_key_text(key)}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(RegisteredSchool.objects.get(code="DNA").key_id, signing.key_id(key))

    def test_packages_are_read_only(self):
        package = FiguresPackage.objects.get()
        for user in (self.office, self.superuser):
            self.client.force_login(user)
            self.assertEqual(self.client.get(reverse("admin:academy_figurespackage_changelist")).status_code, 200)
            self.assertEqual(
                self.client.get(reverse("admin:academy_figurespackage_change", args=[package.pk])).status_code, 200
            )
            self.assertEqual(self.client.get(reverse("admin:academy_figurespackage_add")).status_code, 403)
            self.assertEqual(
                self.client.get(reverse("admin:academy_figurespackage_delete", args=[package.pk])).status_code, 403
            )

    def test_a_school_installation_shows_neither(self):
        self.client.force_login(self.superuser)
        with override_settings(DAOTAO_ROLE="school"):
            self.assertEqual(self.client.get(reverse("admin:academy_registeredschool_changelist")).status_code, 403)
            self.assertNotContains(self.client.get(reverse("admin:index")), "academy")
        self.assertContains(self.client.get(reverse("admin:index")), "/admin/academy/")
