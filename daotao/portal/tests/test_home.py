"""The home page: featured and latest news, the newest of each category, menu, banners,
visitor box; a constant number of queries."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from daotao.accounts.scope import SYSTEM
from daotao.onboarding import setup
from daotao.portal.models import ArticleStatus, BannerPlacement
from daotao.portal.tests.world import PortalTestCase, make_article, make_banner
from daotao.school import identity

URL = reverse("portal:home")


class HomePageTests(PortalTestCase):
    def test_the_home_page_is_at_the_root(self):
        self.assertEqual(URL, "/")
        self.assertEqual(reverse("home"), "/staff/")

    def test_featured_latest_and_categories(self):
        featured = make_article(self.activities, "Hội nghị tổng kết", featured=True)
        latest = make_article(self.training, "Khai giảng lớp Trung cấp")
        make_article(self.research, "Hội thảo khoa học", status=ArticleStatus.DRAFT)
        make_article(self.research, "Tin hẹn giờ", published_at=timezone.now() + dt.timedelta(hours=1))
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["featured"], [featured])
        self.assertEqual(response.context["latest"], [latest, featured])
        self.assertEqual(
            [(category, articles) for category, articles in response.context["sections"]],
            [(self.activities, [featured]), (self.training, [latest])],
        )
        self.assertContains(response, f'href="{latest.get_absolute_url()}"')
        self.assertNotContains(response, "Hội thảo khoa học")
        self.assertNotContains(response, "Tin hẹn giờ")

    def test_school_name_logo_menu_and_visitor_box(self):
        response = self.client.get(URL)
        self.assertContains(response, "Trường Chính trị tỉnh Bình An")
        self.assertContains(response, 'src="/static/portal/logo.svg"')
        for category in (self.activities, self.training, self.research):
            self.assertContains(response, f'<a href="/tin-tuc/{category.slug}/">{category.name}</a>', html=True)
        self.assertContains(response, 'class="visitor-box"')
        self.assertContains(response, "Trang chủ")

    def test_the_logo_is_configurable(self):
        logo = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><circle cx="4" cy="4" r="4"/></svg>'
        setup.identity_save(
            user=SYSTEM,
            values={"name": "Trường Chính trị tỉnh Khác", "parent": "Tỉnh ủy Khác", "province": "Khác"},
            logo=logo,
        )
        response = self.client.get(URL)
        address = f"/logo/{identity.digest(logo)}/"
        self.assertContains(response, f'src="{address}"')
        self.assertContains(response, "Trường Chính trị tỉnh Khác")
        self.assertEqual(self.client.get(address).content, logo)

    def test_only_active_banners_in_their_places(self):
        today = timezone.localdate()
        make_banner("Chiến dịch đầu trang", today, today, placement=BannerPlacement.TOP)
        make_banner("Ngày Sách và Văn hóa đọc", today - dt.timedelta(days=30), today + dt.timedelta(days=30))
        make_banner("Chiến dịch đã qua", today - dt.timedelta(days=30), today - dt.timedelta(days=1))
        response = self.client.get(URL)
        self.assertEqual([b.title for b in response.context["top_banners"]], ["Chiến dịch đầu trang"])
        self.assertEqual([b.title for b in response.context["sidebar_banners"]], ["Ngày Sách và Văn hóa đọc"])
        self.assertContains(response, 'alt="Ngày Sách và Văn hóa đọc"')
        self.assertNotContains(response, "Chiến dịch đã qua")

    def test_an_empty_portal_still_works(self):
        response = self.client.get(URL)
        self.assertContains(response, "Chưa có tin nào.")

    def test_query_count_does_not_grow_with_articles(self):
        for category in (self.activities, self.training):
            make_article(category, featured=True)
        self.client.get(URL)  # fills the visitor box's cache
        count = self.queries(URL)
        for category in (self.activities, self.training, self.research):
            for _ in range(6):
                make_article(category, featured=True)
        make_banner("Chiến dịch", timezone.localdate(), timezone.localdate())
        with self.assertNumQueries(count):
            response = self.client.get(URL)
        self.assertEqual(len(response.context["sections"]), 3)

    def test_only_get_and_head(self):
        self.assertEqual(self.client.post(URL).status_code, 405)
        self.assertEqual(self.client.head(URL).status_code, 200)


class SignedInHeaderTests(PortalTestCase):
    def test_links_for_who_may_follow_them(self):
        for user, staff_pages, admin in (
            (self.office, True, False),
            (self.coordinator, True, False),
            (self.editor, False, True),
            (self.nobody, False, False),
        ):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(URL)
                self.assertEqual(f'href="{reverse("home")}"' in response.content.decode(), staff_pages)
                self.assertEqual('href="/admin/"' in response.content.decode(), admin)
                self.assertNotContains(response, 'href="/accounts/login/"')
