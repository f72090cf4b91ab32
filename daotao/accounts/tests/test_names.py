"""A user's name in the Vietnamese order, family first: "Nguyễn Thị Thu Hằng", never
"Hằng Nguyễn Thị Thu" (``last_name`` holds the family and middle names, ``first_name`` the
given name), in the header, the profile, the admin and the lists that name who recorded what."""

from __future__ import annotations

import datetime as dt
import re

from django.test import SimpleTestCase
from django.urls import reverse

from daotao.accounts.models import User
from daotao.surveys.models import CareerEvent
from daotao.testing import DemoTestCase, WorldTestCase, make_student


def header(response) -> str:
    """The text of the page's header (the school, the menu, the user box)."""
    html = response.content.decode()
    found = re.search(r'<header class="site-header">(.*?)</header>', html, re.S)
    return re.sub(r"<[^>]+>", " ", found.group(1))


class FullNameTests(SimpleTestCase):
    def test_family_and_middle_names_then_the_given_name(self):
        user = User(username="hang", first_name="Hằng", last_name="Nguyễn Thị Thu")
        self.assertEqual(user.get_full_name(), "Nguyễn Thị Thu Hằng")
        self.assertEqual(user.get_short_name(), "Hằng")

    def test_a_missing_part_leaves_no_stray_space(self):
        cases = [(("Hằng", ""), "Hằng"), (("", "Nguyễn"), "Nguyễn"), (("", ""), ""), ((" Hằng ", " Lê "), "Lê Hằng")]
        for (first, last), full in cases:
            with self.subTest(first=first, last=last):
                self.assertEqual(User(first_name=first, last_name=last).get_full_name(), full)


class DemoNamesTests(DemoTestCase):
    def test_the_header_names_the_demo_lecturer_family_first(self):
        self.client.force_login(User.objects.get(username="giangvien.hang"))
        response = self.client.get(reverse("profile"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("Nguyễn Thị Thu Hằng", header(response))
        self.assertNotIn("Hằng Nguyễn", response.content.decode())

    def test_the_offices_accounts_read_as_their_names(self):
        names = dict(User.objects.values_list("username", "last_name").filter(username__in=["daotao", "bgh"]))
        # Made by the people workbook's service: the given name is the last word.
        self.assertEqual(names, {"daotao": "Phòng Quản lý đào", "bgh": "Ban Giám"})
        expected = {
            "daotao": "Phòng Quản lý đào tạo",
            "bgh": "Ban Giám hiệu",
            "bientap": "Ban Biên tập",
            "admin": "Quản trị hệ thống",
            "diaphuong.x01": "Điều phối Phường Bình An",
            "coquan.snv": "Cán bộ Sở Nội vụ",
            "hocvien.demo": "Học viên demo",
        }
        for username, full_name in expected.items():
            with self.subTest(username=username):
                self.assertEqual(User.objects.get(username=username).get_full_name(), full_name)


class NamesOnPagesTests(WorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.office.first_name, cls.office.last_name = "Lan", "Trần Thị"
        cls.office.save()

    def test_profile_and_header(self):
        self.client.force_login(self.office)
        response = self.client.get(reverse("profile"))
        self.assertContains(response, "<h1>Trần Thị Lan</h1>", html=True)
        self.assertIn("Trần Thị Lan", header(response))

    def test_who_recorded_a_career_event(self):
        student = make_student("Lê Văn Tám", locality=self.h01)
        CareerEvent.objects.create(
            student=student,
            kind="appointment",
            date=dt.date(2026, 3, 2),
            decision_number="01/QĐ",
            recorded_by=self.office,
        )
        self.client.force_login(self.office)
        for address in (reverse("surveys:outcome_list"), reverse("surveys:outcome_student", args=[student.pk])):
            with self.subTest(address=address):
                self.assertContains(self.client.get(address), "Trần Thị Lan")

    def test_the_admin_asks_and_lists_the_name_family_first(self):
        self.client.force_login(self.superuser)
        form = self.client.get(reverse("admin:accounts_user_change", args=[self.office.pk])).content.decode()
        self.assertLess(form.index('name="last_name"'), form.index('name="first_name"'))
        self.assertIn("Họ và tên đệm", form)
        listing = self.client.get(reverse("admin:accounts_user_changelist"))
        self.assertContains(listing, "Trần Thị Lan")
