"""A process killed while it counts keeps nothing of the request: neither the rows of who was
counted nor an increment, so the visitor counts when they come back, exactly once.

The counting runs in a process of its own (``manage.py shell``) on a fresh database beside
the test database (``LiveServer(serve=False)``: a temporary SQLite file, or a new PostgreSQL
database when the suite runs on PostgreSQL). A trigger makes the article's increment, the
request's last write, wait; the process is killed with SIGKILL while it waits:

- SQLite: the process holds the transaction (rows and visit written, not committed);
- PostgreSQL: the one statement runs in the server, which notices the client gone
  (``client_connection_check_interval``) and abandons it.
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

from daotao.lib.liveserver import PUBLISHED_ARTICLE, ROOT, LiveServer

COUNT = """
import datetime as dt
from django.db import connection
from daotao.portal.counting import Visitor, count
from daotao.portal.models import Article
article = Article.objects.get(slug="khai-giang")
{prepare}
count(dt.date(2026, 3, 2), Visitor(key="c:{cookie}"), visit=True, article_pk=article.pk)
"""

SQLITE_PAUSE = """
import time
connection.ensure_connection()
def pause():
    open({marker!r}, "w").close()
    time.sleep(120)
    return 0
connection.connection.create_function("test_pause", 0, pause)
with connection.cursor() as cursor:
    cursor.execute(
        "CREATE TEMP TRIGGER test_pause BEFORE UPDATE ON portal_article BEGIN SELECT test_pause(); END"
    )
"""

POSTGRESQL_PAUSE = """
with connection.cursor() as cursor:
    cursor.execute("SET client_connection_check_interval = '100ms'")
"""

POSTGRESQL_TRIGGER = """
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute(
        "CREATE FUNCTION test_pause() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN PERFORM pg_sleep(120); RETURN NEW; END $$"
    )
    cursor.execute(
        "CREATE TRIGGER test_pause BEFORE UPDATE ON portal_article FOR EACH ROW EXECUTE FUNCTION test_pause()"
    )
"""

DROP_POSTGRESQL_TRIGGER = """
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("DROP TRIGGER test_pause ON portal_article")
"""

POSTGRESQL_WAITING = """
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND pid <> pg_backend_pid() AND {condition}"
    )
    print(cursor.fetchone()[0])
"""

STATE = """
import json
from daotao.portal.models import Article, CountedKey, DailyVisits
print(json.dumps({
    "rows": CountedKey.objects.count(),
    "visits": sum(DailyVisits.objects.values_list("visits", flat=True)),
    "views": Article.objects.get(slug="khai-giang").view_count,
}))
"""


class KilledWhileCountingTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.database = LiveServer(database_url=os.environ.get("DATABASE_URL"), serve=False)
        cls.database.__enter__()
        cls.addClassCleanup(cls.database.__exit__, None, None, None)
        cls.database.python(PUBLISHED_ARTICLE)
        cls.postgresql = cls.database.pg_name is not None

    def state(self) -> dict:
        return json.loads(self.database.python(STATE).strip().splitlines()[-1])

    def start(self, code: str) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
            cwd=ROOT,
            env=self.database.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        self.addCleanup(process.kill)
        return process

    def wait_for(self, condition, process: subprocess.Popen, what: str) -> None:
        deadline = time.monotonic() + 120
        while not condition():
            if process.poll() is not None:
                self.fail(f"the counting process ended before {what}:\n{process.stdout.read().decode()}")
            if time.monotonic() > deadline:
                self.fail(f"waited two minutes for {what}")
            time.sleep(0.1)

    def backends(self, condition: str) -> int:
        return int(self.database.python(POSTGRESQL_WAITING.format(condition=condition)).strip().splitlines()[-1])

    def test_a_kill_between_the_rows_and_the_increment_keeps_nothing(self):
        before = self.state()
        if self.postgresql:
            self.database.python(POSTGRESQL_TRIGGER)
            process = self.start(COUNT.format(prepare=POSTGRESQL_PAUSE, cookie="killed-visitor-000001"))
            self.wait_for(lambda: self.backends("wait_event = 'PgSleep'") == 1, process, "the statement waited")
        else:
            marker = Path(tempfile.mkdtemp(prefix="daotao-crash-")) / "paused"
            prepare = SQLITE_PAUSE.format(marker=str(marker))
            process = self.start(COUNT.format(prepare=prepare, cookie="killed-visitor-000001"))
            self.wait_for(marker.exists, process, "the transaction waited")
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        if self.postgresql:
            deadline = time.monotonic() + 60
            while self.backends("state = 'active'") and time.monotonic() < deadline:
                time.sleep(0.2)
            self.database.python(DROP_POSTGRESQL_TRIGGER)
        self.assertEqual(self.state(), before)

        # The visitor comes back (a retry of the lost request): counted once, rows and all.
        self.database.python(COUNT.format(prepare="", cookie="killed-visitor-000001"))
        self.database.python(COUNT.format(prepare="", cookie="killed-visitor-000001"))
        after = self.state()
        self.assertEqual(
            (after["rows"], after["visits"], after["views"]),
            (before["rows"] + 2, before["visits"] + 1, before["views"] + 1),
        )
