"""When the database cannot be reached, people get a clear page (503, in Vietnamese, with
Retry-After), not a stack trace; when it is back, pages work again. The database is made
unreachable for real: the connection is pointed at a file or port where no database is."""

from __future__ import annotations

import socket

from django.db import connection
from django.test import Client, TransactionTestCase

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
        back()
        self.assertEqual(client.get("/").status_code, 200)

    def test_other_errors_get_the_plain_error_page(self):
        from django.test import RequestFactory

        from daotao.web.views import server_error

        try:
            raise ValueError("boom")
        except ValueError:
            response = server_error(RequestFactory().get("/"))
        self.assertEqual(response.status_code, 500)
        self.assertIn("Đã xảy ra lỗi", response.content.decode())
        self.assertNotIn("boom", response.content.decode())
