"""The profile page: who the user is, and their API tokens (list, create, revoke)."""

import datetime as dt

from django.test import Client
from django.urls import reverse

from daotao.accounts.models import ApiToken
from daotao.lib.vietnamese import SCHOOL_TZ
from daotao.testing import WorldTestCase

PROFILE = reverse("profile")
CREATE = reverse("api_token_create")


def revoke_url(token) -> str:
    return reverse("api_token_revoke", args=[token.pk])


class ProfileTests(WorldTestCase):
    def test_anonymous_is_sent_to_sign_in(self):
        self.assertRedirects(self.client.get(PROFILE), f"{reverse('login')}?next={PROFILE}")

    def test_shows_name_roles_and_unit(self):
        self.coordinator.first_name, self.coordinator.last_name = "Lan", "Nguyễn Thị"
        self.coordinator.save()
        self.client.force_login(self.coordinator)
        response = self.client.get(PROFILE)
        self.assertContains(response, "Nguyễn Thị")
        self.assertContains(response, "coord1")
        self.assertContains(response, "Cán bộ điều phối địa phương")
        self.assertContains(response, "Thành phố Bình An")

    def test_roles_are_shown_in_vietnamese(self):
        self.client.force_login(self.office)
        self.assertContains(self.client.get(PROFILE), "Phòng Quản lý đào tạo")

    def test_lists_own_tokens_with_dates(self):
        mine, _key = ApiToken.issue(self.office, "Bảng tính thống kê")
        ApiToken.objects.filter(pk=mine.pk).update(
            created_at=dt.datetime(2021, 1, 24, 18, 30, tzinfo=dt.UTC),  # 25/01 01:30 in Vietnam
            last_used_at=dt.datetime(2021, 3, 5, 9, 0, tzinfo=SCHOOL_TZ),
        )
        unused, _key = ApiToken.issue(self.office, "Chưa dùng")
        theirs, _key = ApiToken.issue(self.board, "Của người khác")
        self.client.force_login(self.office)
        response = self.client.get(PROFILE)
        self.assertContains(response, "Bảng tính thống kê")
        self.assertContains(response, mine.prefix)
        self.assertContains(response, "25/01/2021")
        self.assertContains(response, "05/03/2021")
        self.assertContains(response, "Chưa dùng")
        self.assertNotContains(response, "Của người khác")
        self.assertNotContains(response, theirs.prefix)
        self.assertEqual(list(response.context["tokens"]), [unused, mine])

    def test_query_count_does_not_grow_with_tokens(self):
        self.client.force_login(self.coordinator)
        ApiToken.issue(self.coordinator, "one")
        self.client.get(PROFILE)
        with self.assertNumQueries(5):  # session, user, roles, unit, tokens
            self.client.get(PROFILE)
        for index in range(10):
            ApiToken.issue(self.coordinator, f"more {index}")
        with self.assertNumQueries(5):
            self.client.get(PROFILE)


class CreateTokenTests(WorldTestCase):
    def test_key_is_shown_once_and_opens_the_api(self):
        self.client.force_login(self.coordinator)
        self.assertContains(self.client.get(PROFILE), f'action="{CREATE}"')
        response = self.client.post(CREATE, {"name": "  Bảng tính  "})
        self.assertEqual(response.status_code, 200)
        key = response.context["key"]
        self.assertContains(response, key)
        self.assertIn("no-store", response["Cache-Control"])
        token = ApiToken.objects.get(user=self.coordinator)
        self.assertEqual(token.name, "Bảng tính")
        self.assertTrue(key.startswith(token.prefix))
        # Only a hash is kept: the profile never shows the key again.
        self.assertNotIn(key, str(ApiToken.objects.filter(pk=token.pk).values().get()))
        self.assertNotContains(self.client.get(PROFILE), key)
        api = Client().get("/api/v1/students", headers={"Authorization": f"Bearer {key}"})
        self.assertEqual(api.status_code, 200)

    def test_a_name_is_required(self):
        self.client.force_login(self.office)
        for name in ("", "   ", "x" * 101):
            with self.subTest(name=name):
                response = self.client.post(CREATE, {"name": name})
                self.assertEqual(response.status_code, 200)
                self.assertTemplateUsed(response, "accounts/profile.html")
                self.assertTrue(response.context["form"].errors["name"])
        self.assertFalse(ApiToken.objects.exists())

    def test_without_a_staff_role_no_form_and_no_token(self):
        for user in (self.nobody, self.unscoped):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                response = self.client.get(PROFILE)
                self.assertEqual(response.status_code, 200)
                self.assertIsNone(response.context["form"])
                self.assertNotContains(response, f'action="{CREATE}"')
                self.assertEqual(self.client.post(CREATE, {"name": "x"}).status_code, 403)
        self.assertFalse(ApiToken.objects.exists())

    def test_only_post(self):
        self.client.force_login(self.office)
        self.assertEqual(self.client.get(CREATE).status_code, 405)

    def test_csrf_protected(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.office)
        self.assertEqual(client.post(CREATE, {"name": "x"}).status_code, 403)
        page = client.get(PROFILE)
        self.assertContains(page, "csrfmiddlewaretoken")
        token = page.context["csrf_token"]
        self.assertEqual(client.post(CREATE, {"name": "x", "csrfmiddlewaretoken": str(token)}).status_code, 200)
        self.assertEqual(ApiToken.objects.count(), 1)


class RevokeTokenTests(WorldTestCase):
    def test_revoke_own_token(self):
        token, key = ApiToken.issue(self.office, "Cũ")
        self.client.force_login(self.office)
        response = self.client.post(revoke_url(token), follow=True)
        self.assertRedirects(response, PROFILE)
        self.assertContains(response, "Cũ")  # named in the confirmation
        self.assertFalse(ApiToken.objects.filter(pk=token.pk).exists())
        self.assertEqual(Client().get("/api/v1/students", headers={"Authorization": f"Bearer {key}"}).status_code, 401)

    def test_another_users_token_is_not_found(self):
        theirs, _key = ApiToken.issue(self.board, "Của người khác")
        self.client.force_login(self.office)
        self.assertEqual(self.client.post(revoke_url(theirs)).status_code, 404)
        self.assertTrue(ApiToken.objects.filter(pk=theirs.pk).exists())

    def test_a_user_who_lost_their_role_may_still_revoke(self):
        token, _key = ApiToken.issue(self.nobody, "Cũ")
        self.client.force_login(self.nobody)
        self.assertRedirects(self.client.post(revoke_url(token)), PROFILE)
        self.assertFalse(ApiToken.objects.exists())

    def test_only_post_and_signed_in(self):
        token, _key = ApiToken.issue(self.office, "Cũ")
        self.assertRedirects(self.client.post(revoke_url(token)), f"{reverse('login')}?next={revoke_url(token)}")
        self.client.force_login(self.office)
        self.assertEqual(self.client.get(revoke_url(token)).status_code, 405)
        self.assertTrue(ApiToken.objects.filter(pk=token.pk).exists())
