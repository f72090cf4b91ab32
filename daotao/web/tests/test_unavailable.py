"""When the database cannot be reached, people get a clear page (503, in Vietnamese, with
Retry-After), not a stack trace; when it is back, pages work again. The database is made
unreachable for real: the connection is pointed at a file or port where no database is."""

from __future__ import annotations

import json
import socket

from django.db import connection
from django.test import Client, TransactionTestCase

from daotao.accounts.models import TOKEN_PREFIX
from daotao.testing import make_user


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class DatabaseUnavailableTests(TransactionTestCase):
    def unreachable(self):
        """Point the connection where no database answers, until the test ends."""
        saved = dict(connection.settings_dict)
        connection.close()
        if connection.vendor == "sqlite":
            connection.settings_dict["NAME"] = "/nonexistent-directory/daotao.sqlite3"
        else:
            connection.settings_dict["PORT"] = str(_closed_port())

        def restore():
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(saved)

        self.addCleanup(restore)
        return restore

    def test_a_clear_page_while_the_database_is_away_and_service_after(self):
        make_user("office", "training_office")
        client = Client(raise_request_exception=False)
        self.assertEqual(client.get("/").status_code, 200)
        back = self.unreachable()
        for url in ("/", "/rss/", "/sitemap.xml"):
            with self.subTest(url=url):
                response = client.get(url)
                self.assertEqual(response.status_code, 503)
                self.assertEqual(response["Retry-After"], "30")
                self.assertContains(response, "không kết nối được cơ sở dữ liệu", status_code=503)
                self.assertNotContains(response, "Traceback", status_code=503)
        # The API answers in its own JSON shape (a token is looked up in the database).
        key = f"{TOKEN_PREFIX}0123456789abcdef"
        response = client.get("/api/v1/students", headers={"Authorization": f"Bearer {key}"})
        self.assertEqual((response.status_code, response["Retry-After"]), (503, "30"))
        self.assertIn("không kết nối được cơ sở dữ liệu", json.loads(response.content)["detail"])
        back()
        self.assertEqual(client.get("/").status_code, 200)

    def test_other_errors_get_the_plain_error_page(self):
        from django.test import RequestFactory

        from daotao.web.errors import server_error

        try:
            raise ValueError("boom")
        except ValueError:
            response = server_error(RequestFactory().get("/"))
        self.assertEqual(response.status_code, 500)
        self.assertIn("Đã xảy ra lỗi", response.content.decode())
        self.assertNotIn("boom", response.content.decode())

    def test_other_errors_under_the_api_answer_json(self):
        from django.test import RequestFactory

        from daotao.web.errors import server_error

        try:
            raise ValueError("boom")
        except ValueError:
            response = server_error(RequestFactory().get("/api/v1/students"))
        self.assertEqual((response.status_code, response["Content-Type"]), (500, "application/json; charset=utf-8"))
        self.assertEqual(json.loads(response.content)["errors"], [])
        self.assertIn("Hệ thống gặp lỗi", json.loads(response.content)["detail"])
        self.assertNotIn("boom", response.content.decode())
