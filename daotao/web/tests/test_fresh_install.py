"""``manage.py migrate`` alone gives a working site: the database cache's table comes with
the migrations (``daotao/web/migrations/0001_cache_tables.py``), so every public page of the
portal answers on a new database that never saw ``createcachetable``. The migration is
idempotent (a table made by createcachetable is kept) and reversible.

Runs DaoTao under gunicorn on a database of its own (a temporary SQLite file, or a new
PostgreSQL database when the suite runs on PostgreSQL), with the default cache."""

from __future__ import annotations

import importlib
import os
import urllib.error
import urllib.request

from django.test import SimpleTestCase, override_settings

from daotao.lib.liveserver import PUBLISHED_ARTICLE, LiveServer

TABLES = """
from django.db import connection
print("daotao_cache" in connection.introspection.table_names())
"""

migration = importlib.import_module("daotao.web.migrations.0001_cache_tables")


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class FreshInstallTests(SimpleTestCase):
    def test_migrate_alone_gives_a_working_portal(self):
        with LiveServer(database_url=os.environ.get("DATABASE_URL")) as server:
            self.assertEqual(server.python(TABLES).split()[-1], "True")
            article = server.python(PUBLISHED_ARTICLE).split()[-1]
            pages = ["/", "/tin-tuc/tin-hoat-dong/", article, "/tim-kiem/?q=khai+giang", "/rss/", "/sitemap.xml"]
            answers = {page: status_of(server.url + page) for page in pages}
            self.assertEqual(answers, dict.fromkeys(pages, 200), server.log()[-3000:])
            self.assertEqual(status_of(server.url + "/tin-tuc/khong-co/"), 404)

            # Reversed, the table goes; migrated again, it comes back.
            server.manage("migrate", "web", "zero", "--noinput")
            self.assertEqual(server.python(TABLES).split()[-1], "False")
            # An install that made it with createcachetable first: migrate keeps it.
            server.manage("createcachetable")
            server.manage("migrate", "--noinput")
            self.assertEqual(server.python(TABLES).split()[-1], "True")
            self.assertEqual(status_of(server.url + article), 200)


class CacheTablesTests(SimpleTestCase):
    """Which tables the migration makes: the default one always, and every database cache's."""

    @override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
    def test_with_a_cache_that_is_not_the_database(self):
        self.assertEqual(migration.cache_tables(), ["daotao_cache"])

    @override_settings(
        CACHES={
            "default": {"BACKEND": "daotao.lib.cache.DatabaseCache", "LOCATION": "school_cache"},
            "other": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "daotao_cache"},
        }
    )
    def test_with_database_caches(self):
        self.assertEqual(migration.cache_tables(), ["daotao_cache", "school_cache"])
