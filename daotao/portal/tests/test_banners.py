"""Banners are shown from their first to their last day inclusive, in the school's local dates."""

import datetime as dt

import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from daotao.portal.models import Banner, BannerPlacement
from daotao.portal.tests.world import PortalTestCase, local, make_banner

D = dt.date


class BannerRangeTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.book_day = make_banner(
            "Hưởng ứng Ngày Sách và Văn hóa đọc Việt Nam (21/4/2021 - 21/4/2024)",
            D(2021, 4, 21),
            D(2024, 4, 21),
            link="/tin-tuc/tin-hoat-dong/",
        )

    def test_active_on_a_day(self):
        for day, shown in (
            (D(2021, 4, 20), False),
            (D(2021, 4, 21), True),  # first day
            (D(2022, 12, 31), True),
            (D(2024, 4, 21), True),  # last day
            (D(2024, 4, 22), False),
        ):
            with self.subTest(day=day):
                self.assertEqual(list(Banner.objects.active(on=day)), [self.book_day] if shown else [])
                self.assertEqual(self.book_day.is_active(day), shown)

    def test_today_is_the_local_day_near_midnight(self):
        for moment, shown in (
            (local(2021, 4, 20, 23, 59, 59), False),
            (local(2021, 4, 21, 0, 0, 0), True),  # 17:00 UTC on the 20th
            (local(2024, 4, 21, 23, 59, 59), True),  # 16:59 UTC on the 21st
            (local(2024, 4, 22, 0, 0, 0), False),  # still the 21st in UTC
        ):
            with self.subTest(moment=moment), time_machine.travel(moment, tick=False):
                self.assertEqual(Banner.objects.active().exists(), shown)
                response = self.client.get(reverse("portal:home"))
                self.assertEqual(self.book_day in response.context["sidebar_banners"], shown)

    def test_the_page_links_the_banner(self):
        with time_machine.travel(local(2023, 1, 1, 9), tick=False):
            response = self.client.get(reverse("portal:home"))
        self.assertContains(
            response,
            '<a href="/tin-tuc/tin-hoat-dong/"><img src="/media/portal/banners/banner.png" '
            'alt="Hưởng ứng Ngày Sách và Văn hóa đọc Việt Nam (21/4/2021 - 21/4/2024)" '
            'title="Hưởng ứng Ngày Sách và Văn hóa đọc Việt Nam (21/4/2021 - 21/4/2024)" loading="lazy"></a>',
            html=True,
        )

    def test_placement_and_order(self):
        Banner.objects.filter(pk=self.book_day.pk).update(order=1)
        with time_machine.travel(local(2023, 1, 1, 9), tick=False):
            second = make_banner("Thứ hai", D(2023, 1, 1), D(2023, 1, 1), order=2)
            first = make_banner("Thứ nhất", D(2023, 1, 1), D(2023, 1, 1), order=0)
            top = make_banner("Đầu trang", D(2023, 1, 1), D(2023, 1, 1), placement=BannerPlacement.TOP)
            response = self.client.get(reverse("portal:home"))
        self.assertEqual(response.context["top_banners"], [top])
        self.assertEqual(response.context["sidebar_banners"], [first, self.book_day, second])

    def test_the_last_day_is_not_before_the_first(self):
        with self.assertRaises(ValidationError):
            make_banner("Sai", D(2024, 1, 2), D(2024, 1, 1))
        make_banner("Một ngày", D(2024, 1, 1), D(2024, 1, 1))
        with self.assertRaises(IntegrityError):
            Banner.objects.create(title="Sai", image="x.png", starts_on=D(2024, 1, 2), ends_on=D(2024, 1, 1))

    def test_links_are_this_site_or_http(self):
        for link in ("javascript:alert(1)", "//evil.example/", "ftp://x.example/", "data:text/html,x", "tin-tuc"):
            with self.subTest(link=link), self.assertRaises(ValidationError):
                make_banner("Sai", D(2024, 1, 1), D(2024, 1, 1), link=link)
        for link in ("https://binhan.example/sach", "http://binhan.example", "/tin-tuc/tin-hoat-dong/", ""):
            with self.subTest(link=link):
                make_banner("Đúng", D(2024, 1, 1), D(2024, 1, 1), link=link)
