"""Who may call the API: staff with a scope, by session or Bearer token; JSON 401/403."""

from django.utils import timezone

from daotao.accounts.models import ApiToken
from daotao.api.tests.base import ApiTestCase
from daotao.testing import make_cohort

ENDPOINTS = [
    ("/api/v1/reports/cohort-stats", {"from": "2020-01-01", "to": "2020-12-31", "relation": "active"}),
    ("/api/v1/reports/annual", {"year": 2020}),
    ("/api/v1/cohorts/K1/enrollments", {}),
    ("/api/v1/students", {}),
    ("/api/v1/figures", {"from": "2020-01-01", "to": "2020-12-31"}),
]


class AuthTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_cohort("K1", cls.programs["BD-CV"], cls.school, timezone.localdate())

    def test_anonymous_gets_401_json_everywhere(self):
        for url, params in ENDPOINTS:
            with self.subTest(url=url):
                body = self.get_json(url, params, status=401)
                self.assertTrue(body["detail"])
                self.assertEqual(body["errors"], [])
                self.assertEqual(self.get(url, params)["WWW-Authenticate"], 'Bearer realm="DaoTao"')

    def test_staff_session_works_everywhere(self):
        for user in (self.office, self.board, self.superuser):
            for url, params in ENDPOINTS:
                with self.subTest(user=user.username, url=url):
                    self.get_json(url, params, user=user)

    def test_signed_in_without_a_staff_role_gets_403_json(self):
        for user in (self.nobody, self.unscoped):
            for url, params in ENDPOINTS:
                with self.subTest(user=user.username, url=url):
                    body = self.get_json(url, params, user=user, status=403)
                    self.assertTrue(body["detail"])

    def test_bearer_token_works_everywhere_and_records_its_use(self):
        key = self.key_for(self.office)
        for url, params in ENDPOINTS:
            with self.subTest(url=url):
                self.get_json(url, params, key=key)
        self.assertIsNotNone(ApiToken.objects.get(user=self.office).last_used_at)

    def test_scheme_name_is_case_insensitive(self):
        key = self.key_for(self.office)
        self.get_json("/api/v1/students", headers={"Authorization": f"bearer {key}"})

    def test_wrong_or_revoked_token_gets_401(self):
        key = self.key_for(self.office)
        for wrong in ("dt_" + "x" * 43, key[:-1], "not-a-token", "", key + " extra"):
            with self.subTest(key=wrong):
                body = self.get_json("/api/v1/students", key=wrong, status=401)
                self.assertTrue(body["detail"])
        ApiToken.objects.filter(user=self.office).delete()
        self.get_json("/api/v1/students", key=key, status=401)

    def test_inactive_users_token_gets_401(self):
        key = self.key_for(self.coordinator)
        self.coordinator.is_active = False
        self.coordinator.save()
        self.get_json("/api/v1/students", key=key, status=401)

    def test_token_of_a_user_without_a_staff_role_gets_403(self):
        self.get_json("/api/v1/students", key=self.key_for(self.nobody), status=403)
        self.get_json("/api/v1/students", key=self.key_for(self.unscoped), status=403)

    def test_a_bad_token_is_refused_even_with_a_session(self):
        self.get_json("/api/v1/students", user=self.office, key="dt_wrong", status=401)

    def test_other_schemes_fall_back_to_the_session(self):
        self.get_json("/api/v1/students", headers={"Authorization": "Basic b2ZmaWNlOng="}, status=401)
        self.get_json("/api/v1/students", user=self.office, headers={"Authorization": "Basic b2ZmaWNlOng="})

    def test_a_garbled_session_cookie_is_no_session(self):
        for value in ("not-a-session-key", "abc\x00def", "x" * 5000):
            with self.subTest(value=value[:20]):
                self.client.cookies["sessionid"] = value
                self.get_json("/api/v1/students", status=401)

    def test_unknown_addresses_answer_json_404(self):
        for url in ("/api/v1/", "/api/v1/nothing", "/api/v1/students/", "/api/v1/cohorts/K1"):
            with self.subTest(url=url):
                self.get_json(url, status=404)

    def test_wrong_method_is_405(self):
        self.client.force_login(self.office)
        response = self.client.post("/api/v1/students")
        self.assertEqual(response.status_code, 405)
        self.assertEqual(response["Allow"], "GET")
