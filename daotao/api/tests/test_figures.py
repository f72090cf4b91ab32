"""GET /api/v1/figures: the school's signed figures package, for the training office and
the board; everyone else 403, bad dates 400/422, no key 503, always JSON."""

import datetime as dt

from django.conf import settings
from django.test import override_settings

from daotao.api.tests.base import JSON, ApiTestCase
from daotao.lib import signing
from daotao.national.package import figures_package
from daotao.national.signing import school_key
from daotao.testing import enroll, make_cohort

URL = "/api/v1/figures"
YEAR = {"from": "2020-01-01", "to": "2020-12-31"}


class FiguresApiTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        enroll(make_cohort("TC20-01", cls.programs["TC-LLCT-HC"], cls.h01, dt.date(2020, 3, 2)), 12)
        enroll(make_cohort("CV20-01", cls.programs["BD-CV"], cls.school, dt.date(2020, 5, 4), mode="concentrated"), 8)

    def test_the_office_takes_the_signed_file(self):
        document = self.get_json(URL, YEAR, key=self.key_for(self.office))
        package = document["package"]
        public = signing.public_key_text(school_key())
        signing.verify(public, package, document["signature"])
        self.assertEqual(package["school"]["key_id"], signing.key_id(public))
        expected = figures_package(dt.date(2020, 1, 1), dt.date(2020, 12, 31), key_id=signing.key_id(public))
        self.assertEqual(package | {"created_at": None}, expected | {"created_at": None})
        totals = [line for line in package["lines"] if line["relation"] == "opened" and line["mode"] is None
                  and line["funding"] is None and line["locality"] is None]  # fmt: skip
        self.assertEqual({line["program"]: line["students"] for line in totals}, {"BD-CV": 8, "TC-LLCT-HC": 12})
        # Dates as people write them.
        written = self.get_json(URL, {"from": "1/1/2020", "to": "31/12/2020"}, user=self.board)
        self.assertEqual(written["package"]["period"], {"from": "2020-01-01", "to": "2020-12-31"})

    def test_only_who_sees_every_class(self):
        for user in (self.superuser, self.office, self.board):
            with self.subTest(user=user.username):
                self.get_json(URL, YEAR, user=user)
        for user in (self.coordinator, self.other_coordinator):
            with self.subTest(user=user.username):
                body = self.get_json(URL, YEAR, user=user, status=403)
                self.assertTrue(body["detail"])
                self.assertEqual(body["errors"], [])
        for user in (self.nobody, self.unscoped):
            with self.subTest(user=user.username):
                self.get_json(URL, YEAR, user=user, status=403)
        self.client.logout()
        self.get_json(URL, YEAR, status=401)

    def test_bad_periods(self):
        key = self.key_for(self.office)
        self.assert_bad_input(self.get(URL, {"from": "31/02/2020", "to": "2020-12-31"}, key=key), 400, "from")
        self.assert_bad_input(self.get(URL, {"from": "2020-12-31", "to": "2020-01-01"}, key=key), 400, "to")
        self.assert_bad_input(self.get(URL, {"from": "2020-01-01", "to": "2035-12-31"}, key=key), 400, "to")
        self.assert_bad_input(self.get(URL, {"from": "1900-01-01", "to": "1900-12-31"}, key=key), 400, "from")
        self.assert_bad_input(self.get(URL, {"from": "2020-01-01"}, key=key), 422, "to")
        self.assert_bad_input(self.get(URL, {"from": "x", "to": "2020-12-31"}, key=key), 422, "from")

    def test_without_the_schools_key(self):
        self.assertTrue(settings.DAOTAO_FIGURES_KEY_FILE)
        for path in ("", "/nonexistent/figures-key.pem"):
            with self.subTest(path=path), override_settings(DAOTAO_FIGURES_KEY_FILE=path):
                response = self.get(URL, YEAR, user=self.office)
                self.assertEqual(response.status_code, 503)
                self.assertEqual(response["Content-Type"], JSON)
                self.assertTrue(response.json()["detail"])
                self.assertNotIn("nonexistent", response.json()["detail"])
