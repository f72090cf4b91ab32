"""Signing in and out, and the language the pages speak."""

from django.urls import reverse

from daotao.testing import PASSWORD, WorldTestCase


class SignInTests(WorldTestCase):
    def test_sign_in_page_is_vietnamese_even_for_an_english_browser(self):
        response = self.client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        self.assertContains(response, "Đăng nhập")
        self.assertEqual(response["Content-Language"], "vi")

    def test_english_can_be_chosen(self):
        self.client.post(reverse("set_language"), {"language": "en", "next": "/"})
        response = self.client.get(reverse("login"))
        self.assertContains(response, "Sign in")
        self.assertEqual(response["Content-Language"], "en")

    def test_sign_in_then_overview(self):
        response = self.client.post(reverse("login"), {"username": "office", "password": PASSWORD}, follow=True)
        self.assertRedirects(response, reverse("home"))
        self.assertContains(response, "Tổng quan")

    def test_wrong_password_redisplays_in_vietnamese(self):
        response = self.client.post(reverse("login"), {"username": "office", "password": "nope"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "mật khẩu chính xác")  # Django's own Vietnamese message
        self.assertFalse(response.wsgi_request.user.is_authenticated)

    def test_sign_out(self):
        self.client.force_login(self.office)
        response = self.client.post(reverse("logout"))
        self.assertRedirects(response, reverse("login"))
        self.assertRedirects(self.client.get(reverse("home")), f"{reverse('login')}?next=/staff/")

    def test_overview_counts_only_what_the_user_may_see(self):
        import datetime as dt

        from daotao.testing import enroll, make_cohort

        enroll(make_cohort("A", self.programs["TC-LLCT-HC"], self.h01, dt.date(2020, 1, 6)), 3)
        enroll(make_cohort("B", self.programs["TC-LLCT-HC"], self.h02, dt.date(2020, 1, 6)), 4)
        self.client.force_login(self.coordinator)
        response = self.client.get(reverse("home"))
        self.assertEqual(response.context["cohorts"], 1)
        self.assertEqual(response.context["students"], 3)
        self.assertContains(response, "Thành phố Bình An")
        self.assertNotContains(response, "Lớp B")
        # Signed in with no role: a home that says how to get one, not a refusal.
        self.client.force_login(self.nobody)
        self.assertTemplateUsed(self.client.get(reverse("home")), "dashboards/no_role.html")


class MalformedSessionCookieTests(WorldTestCase):
    def test_a_cookie_that_is_no_session_key_is_no_session(self):
        for value in ("abc\x00def12345678", "../../etc/passwd", "x" * 500):
            with self.subTest(value=value):
                self.client.cookies["sessionid"] = value
                response = self.client.get(reverse("home"))
                self.assertRedirects(response, f"{reverse('login')}?next=/staff/")

    def test_real_sessions_still_work(self):
        self.client.force_login(self.office)
        self.assertEqual(self.client.get(reverse("home")).status_code, 200)
