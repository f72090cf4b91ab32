"""A user's own password (``accounts.passwords``): changed when signed in, whatever the
role; set anew through a link sent by email, through a real SMTP server on loopback. The
messages are Vietnamese (Django's for the password rules), an address is never told to
have an account or not, a link works once, and guessing the current password counts as
failed sign-ins (django-axes)."""

from __future__ import annotations

import datetime as dt
import re

import time_machine
from django.contrib.auth import SESSION_KEY
from django.test import Client, override_settings
from django.urls import reverse

from daotao.accounts.models import User
from daotao.testing import PASSWORD, TeachingWorldTestCase, make_user
from daotao.testing_smtp import SmtpTestMixin, body

CHANGE = reverse("password_change")
RESET = reverse("password_reset")
NEW_PASSWORD = "Sen-hong-tren-dinh-2026"
OFFICE_ADDRESS = "203.0.113.5"
SITE = "https://daotao.truong.test"
START = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)


class PasswordTestCase(TeachingWorldTestCase):
    """The teaching world: a lecturer (``gv1``) and a student (``hv1``) among the personas."""

    def sign_in(self, username, password, client=None, address=OFFICE_ADDRESS):
        """A real sign-in through the page (the password checked, django-axes counting)."""
        client = client or self.client
        client.logout()
        return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)

    def assertSignedIn(self, response, client=None):
        self.assertEqual(response.status_code, 302, response.content[:300])
        self.assertTrue((client or self.client).session.get(SESSION_KEY))

    def assertNotSignedIn(self, response, client=None):
        self.assertIn(response.status_code, (200, 429))
        self.assertFalse((client or self.client).session.get(SESSION_KEY))

    def password_is(self, user, password) -> bool:
        return User.objects.get(pk=user.pk).check_password(password)


class PasswordChangeTests(PasswordTestCase):
    def change(self, old, new1, new2=None, address=OFFICE_ADDRESS):
        data = {"old_password": old, "new_password1": new1, "new_password2": new1 if new2 is None else new2}
        return self.client.post(CHANGE, data, REMOTE_ADDR=address)

    def test_a_lecturer_and_a_student_change_their_password(self):
        for user in (self.lecturer_user, self.student_user):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                page = self.client.get(CHANGE)
                self.assertContains(page, "<h1>Đổi mật khẩu</h1>", html=True)
                self.assertContains(page, "Mật khẩu hiện tại")

                # The current password wrong: the form again, in Vietnamese, nothing changed.
                response = self.change("khong-phai-mat-khau", NEW_PASSWORD)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Mật khẩu cũ không chính xác")
                self.assertContains(response, 'name="old_password"')
                self.assertTrue(self.password_is(user, PASSWORD))

                # Right: the page says so, and the new password signs in, the old one no longer.
                response = self.change(PASSWORD, NEW_PASSWORD)
                self.assertRedirects(response, reverse("password_change_done"))
                self.assertContains(self.client.get(reverse("password_change_done")), "Đã đổi mật khẩu")
                self.assertNotSignedIn(self.sign_in(user.username, PASSWORD))
                self.assertSignedIn(self.sign_in(user.username, NEW_PASSWORD))

    def test_the_password_rules_speak_vietnamese(self):
        User.objects.filter(pk=self.student_user.pk).update(email="hoahoc@truong.test")
        self.client.force_login(self.student_user)
        cases = [
            ("12345678", "Mật khẩu này hoàn toàn là số."),
            ("password", "Mật khẩu này quá phổ biến."),
            ("Ab1-x", "Mật khẩu quá ngắn: cần có ít nhất 8 ký tự."),
            ("hoahoc@truong", "Mật khẩu quá giống với địa chỉ email."),
        ]
        for new, message in cases:
            with self.subTest(new=new):
                response = self.change(PASSWORD, new)
                self.assertContains(response, message)
        response = self.change(PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "x")
        self.assertContains(response, "Hai trường mật khẩu không giống nhau.")
        self.assertTrue(self.password_is(self.student_user, PASSWORD))

    def test_the_other_sessions_are_signed_out_this_one_stays(self):
        elsewhere = Client()
        elsewhere.force_login(self.lecturer_user)
        self.client.force_login(self.lecturer_user)
        self.change(PASSWORD, NEW_PASSWORD)
        self.assertEqual(self.client.get(reverse("profile")).status_code, 200)
        self.assertRedirects(elsewhere.get(reverse("profile")), f"{reverse('login')}?next={reverse('profile')}")

    def test_guessing_the_current_password_waits_as_a_sign_in_does(self):
        """In a session left open, the current password is no oracle: five wrong ones make
        the account wait at this address, the right one included, as five failed sign-ins do."""
        self.enterContext(time_machine.travel(START, tick=False))  # within the minute's wait
        self.client.force_login(self.lecturer_user)
        for _attempt in range(4):
            self.assertEqual(self.change("doan-mo", NEW_PASSWORD).status_code, 200)
        locked = self.change("doan-mo", NEW_PASSWORD)
        self.assertContains(locked, "Có quá nhiều lần đăng nhập sai vào tài khoản này", status_code=429)
        self.assertEqual(self.change(PASSWORD, NEW_PASSWORD).status_code, 429)
        self.assertTrue(self.password_is(self.lecturer_user, PASSWORD))
        # The sign-in page waits too, from this address only.
        self.assertEqual(self.sign_in("gv1", PASSWORD, client=Client()).status_code, 429)
        elsewhere = Client()
        self.assertSignedIn(self.sign_in("gv1", PASSWORD, client=elsewhere, address="198.51.100.20"), elsewhere)

    def test_the_right_current_password_forgets_the_wrong_ones(self):
        """Four wrong current passwords, then the right one: the change is a sign-in, and a
        typo at the next sign-in does not lock the account."""
        from axes.models import AccessAttempt

        self.enterContext(time_machine.travel(START, tick=False))
        self.client.force_login(self.lecturer_user)
        for _attempt in range(4):
            self.assertEqual(self.change("doan-mo", NEW_PASSWORD).status_code, 200)
        self.assertTrue(AccessAttempt.objects.filter(username="gv1").exists())
        self.assertEqual(self.change(PASSWORD, NEW_PASSWORD).status_code, 302)
        self.assertFalse(AccessAttempt.objects.filter(username="gv1").exists())
        self.assertEqual(self.sign_in("gv1", "go-nham", client=Client()).status_code, 200)
        self.assertSignedIn(self.sign_in("gv1", NEW_PASSWORD, client=(fresh := Client())), fresh)

    def test_every_role_and_none_may_change_it_anonymous_signs_in_first(self):
        for user in (self.office, self.board, self.coordinator, self.nobody, self.superuser, self.other_lecturer_user):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(CHANGE).status_code, 200)
                self.assertEqual(self.client.get(reverse("password_change_done")).status_code, 200)
        self.client.logout()
        for address in (CHANGE, reverse("password_change_done")):
            self.assertRedirects(self.client.get(address), f"{reverse('login')}?next={address}")
        self.assertRedirects(self.client.post(CHANGE, {"old_password": PASSWORD}), f"{reverse('login')}?next={CHANGE}")

    def test_the_profile_links_to_it(self):
        self.client.force_login(self.student_user)
        self.assertContains(self.client.get(reverse("profile")), f'href="{CHANGE}"')


@override_settings(DAOTAO_SITE_URL=SITE)
class PasswordResetTests(SmtpTestMixin, PasswordTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.lecturer_user.email = "hang.giangvien@truong.test"
        cls.lecturer_user.first_name, cls.lecturer_user.last_name = "Hằng", "Nguyễn Thị Thu"
        cls.lecturer_user.save()

    def ask(self, email, client=None, **extra):
        return (client or self.client).post(RESET, {"email": email}, **extra)

    def link_in(self, message) -> str:
        found = re.search(rf"{re.escape(SITE)}(/accounts/password/reset/\S+/\S+/)", body(message))
        self.assertIsNotNone(found, body(message))
        return found.group(1)

    def set_password(self, link, password, client=None):
        """Open the link as a browser does (it leads to the form) and send the new password."""
        client = client or self.client
        opened = client.get(link, follow=True)
        if not opened.context or not opened.context.get("validlink"):
            return opened
        form_address = opened.redirect_chain[-1][0]
        return client.post(form_address, {"new_password1": password, "new_password2": password})

    def test_an_account_with_no_password_yet_gets_a_link(self):
        # An account made by the people workbook has no password until its holder sets one;
        # a holder whose first link expired asks for another here.
        self.lecturer_user.set_unusable_password()
        self.lecturer_user.save()
        self.ask("HANG.giangvien@truong.test")
        [message] = self.smtp.messages
        self.set_password(self.link_in(message), "mat-khau-moi-2026")
        self.assertSignedIn(self.sign_in("gv1", "mat-khau-moi-2026"))

    def test_the_sign_in_page_leads_to_it(self):
        page = self.client.get(reverse("login"))
        self.assertContains(page, f'<a href="{RESET}">Quên mật khẩu?</a>', html=True)
        form = self.client.get(RESET)
        self.assertContains(form, "Quên mật khẩu?")
        self.assertContains(form, 'type="email"')

    def test_the_email_arrives_in_vietnamese_and_its_link_works_once(self):
        response = self.ask("hang.giangvien@truong.test")
        self.assertRedirects(response, reverse("password_reset_done"))
        self.assertContains(self.client.get(reverse("password_reset_done")), "Xin kiểm tra hộp thư")

        [message] = self.smtp.messages
        self.assertEqual(message["To"], "hang.giangvien@truong.test")
        # (A long encoded subject is folded onto a line of its own: a space before it once parsed.)
        self.assertEqual(
            message["Subject"].strip(), "Đặt mật khẩu mới cho tài khoản DaoTao – Trường Chính trị tỉnh Bình An"
        )
        text = body(message)
        for expected in (
            "Kính gửi đồng chí Nguyễn Thị Thu Hằng,",
            "Trường Chính trị tỉnh Bình An",
            "Tên đăng nhập của đồng chí: gv1",
            "chỉ đặt được mật khẩu một lần và hết hạn sau 72 giờ",
            "Nếu đồng chí không yêu cầu việc này, xin bỏ qua thư",
        ):
            self.assertIn(expected, text)

        link = self.link_in(message)
        done = self.set_password(link, NEW_PASSWORD, client=Client())
        self.assertRedirects(done, reverse("password_reset_complete"))
        self.assertTrue(self.password_is(self.lecturer_user, NEW_PASSWORD))
        self.assertContains(Client().get(reverse("password_reset_complete")), "Đã đặt mật khẩu mới")
        self.assertSignedIn(self.sign_in("gv1", NEW_PASSWORD))
        self.assertNotSignedIn(self.sign_in("gv1", PASSWORD))

        # The same link again: refused with a clear page, no form, the password kept.
        again = self.set_password(link, "Mat-khau-khac-2026", client=Client())
        self.assertEqual(again.status_code, 200)
        self.assertContains(again, "Đường dẫn không còn dùng được")
        self.assertNotContains(again, 'name="new_password1"')
        self.assertTrue(self.password_is(self.lecturer_user, NEW_PASSWORD))

    def test_the_new_password_follows_the_rules(self):
        self.ask("hang.giangvien@truong.test")
        response = self.set_password(self.link_in(self.smtp.messages[0]), "12345678")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Mật khẩu này hoàn toàn là số.")
        self.assertTrue(self.password_is(self.lecturer_user, PASSWORD))

    def test_an_unknown_address_gets_the_same_page_and_no_email(self):
        known = self.ask("hang.giangvien@truong.test")
        self.smtp.clear()
        inactive = make_user("cu", email="nghi.huu@truong.test", is_active=False)
        for address in ("khong-co@truong.test", inactive.email):
            with self.subTest(address=address):
                response = self.ask(address)
                self.assertEqual((response.status_code, response["Location"]), (known.status_code, known["Location"]))
                self.assertEqual(self.smtp.messages, [])

    def test_no_mailbox_is_flooded(self):
        """Three links an hour to one address (whatever its case); the fourth ask gets the
        same page and no email. An hour later, links go again."""
        with time_machine.travel(START, tick=False):
            answers = [
                self.ask(address) for address in ["hang.giangvien@truong.test"] * 2 + ["Hang.GiangVien@truong.test"]
            ]
            self.assertEqual(len(self.smtp.messages), 3)
            refused = self.ask("hang.giangvien@truong.test")
            self.assertEqual(
                (refused.status_code, refused["Location"]), (answers[0].status_code, answers[0]["Location"])
            )
            self.assertEqual(len(self.smtp.messages), 3)
        with time_machine.travel(START + dt.timedelta(hours=1, minutes=1), tick=False):
            self.ask("hang.giangvien@truong.test")
            self.assertEqual(len(self.smtp.messages), 4)

    def test_no_client_sprays_addresses(self):
        """Twenty asks an hour from one client, whatever the addresses; then the same page
        and no email, while another client still gets its link."""
        with time_machine.travel(START, tick=False):
            for n in range(20):
                self.ask(f"khong-co-{n}@truong.test")
            self.ask("hang.giangvien@truong.test")
            self.assertEqual(self.smtp.messages, [])
            self.ask("hang.giangvien@truong.test", client=Client(REMOTE_ADDR="198.51.100.20"))
            self.assertEqual(len(self.smtp.messages), 1)

    def test_the_address_is_matched_whatever_its_case(self):
        self.ask("Hang.GiangVien@Truong.Test")
        self.assertEqual([m["To"] for m in self.smtp.messages], ["hang.giangvien@truong.test"])

    def test_the_link_starts_from_the_site_address_not_the_request_host(self):
        self.ask("hang.giangvien@truong.test", HTTP_HOST="localhost")
        self.assertTrue(self.link_in(self.smtp.messages[0]).startswith("/accounts/password/reset/"))
        self.assertNotIn("localhost", body(self.smtp.messages[0]))

    def test_bad_input_is_refused_in_vietnamese(self):
        for email in ("khong-phai-email", "<script>alert(1)</script>@x", "a" * 300 + "@truong.test", ""):
            with self.subTest(email=email[:30]):
                response = self.ask(email)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, 'class="errorlist')
                self.assertNotContains(response, "<script>alert(1)</script>")
        self.assertEqual(self.smtp.messages, [])

    def test_a_broken_or_foreign_link_sets_nothing(self):
        self.ask("hang.giangvien@truong.test")
        link = self.link_in(self.smtp.messages[0])
        uid = link.split("/")[-3]
        other_uid = link.replace(uid, "MTIzNDU2Nzg5")  # another user's id, the same token
        for address in (link[:-5] + "xxxx/", other_uid, f"/accounts/password/reset/{uid}/set-password/"):
            with self.subTest(address=address):
                response = Client().get(address, follow=True)
                self.assertContains(response, "Đường dẫn không còn dùng được")
                posted = Client().post(address, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
                self.assertContains(posted, "Đường dẫn không còn dùng được")
                self.assertIsNone(posted.context["form"])
        self.assertTrue(self.password_is(self.lecturer_user, PASSWORD))

    def test_a_new_password_ends_the_wait_of_a_locked_account(self):
        self.enterContext(time_machine.travel(START, tick=False))  # within the minute's wait
        for _attempt in range(5):
            locked = self.sign_in("gv1", "sai-mat-khau")
        self.assertEqual(locked.status_code, 429)
        self.assertContains(locked, f'href="{RESET}"', status_code=429)  # the way out, on the page
        self.ask("hang.giangvien@truong.test")
        self.set_password(self.link_in(self.smtp.messages[0]), NEW_PASSWORD, client=Client())
        self.assertSignedIn(self.sign_in("gv1", NEW_PASSWORD))

    def test_the_pages_are_there_for_anyone_signed_in_or_not(self):
        self.client.force_login(self.student_user)
        for address in (RESET, reverse("password_reset_done"), reverse("password_reset_complete")):
            with self.subTest(address=address):
                self.assertEqual(self.client.get(address).status_code, 200)
