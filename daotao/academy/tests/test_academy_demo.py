"""``load_academy_demo``: the Academy's people and three synthetic schools, a package a year."""

from io import StringIO

from django.core.management import CommandError, call_command
from django.test import Client, TestCase, override_settings

from daotao.academy.models import FiguresPackage, RegisteredSchool
from daotao.accounts.models import User


class AcademyDemoTests(TestCase):
    @override_settings(DAOTAO_ROLE="academy")
    def test_the_office_opens_the_schools_side_by_side(self):
        out = StringIO()
        call_command("load_academy_demo", stdout=out)
        self.assertEqual(RegisteredSchool.objects.count(), 3)
        self.assertEqual(FiguresPackage.objects.count(), 33)
        self.assertIn("vien.daotao", out.getvalue())
        call_command("load_academy_demo", stdout=StringIO())  # again: replaced, never doubled
        self.assertEqual(FiguresPackage.objects.count(), 33)
        office = User.objects.get(username="vien.daotao")
        self.assertTrue(office.check_password("daotao-demo-2020"))
        client = Client()
        client.force_login(office)
        page = client.get("/academy/?period=2020", headers={"accept-language": "vi"})
        self.assertEqual(page.status_code, 200)
        for school in RegisteredSchool.objects.all():
            self.assertContains(page, school.name)

    def test_only_in_an_academy_installation(self):
        with self.assertRaises(CommandError):
            call_command("load_academy_demo", stdout=StringIO())
