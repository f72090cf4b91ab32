"""A fault test: the process running an import is killed (SIGKILL, as a crash or an
operator's kill -9 would) while it is writing; the database holds none of that import's
rows afterwards, and the same file then imports whole.

The import runs as ``manage.py import_applications`` in its own process against a fresh
database (SQLite file or PostgreSQL, as the suite runs), and is killed once its progress
shows the writing half under way (past 50%)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.test import SimpleTestCase

from daotao.admissions.tests.workbooks import fictional_rows, workbook
from daotao.lib.liveserver import ROOT, LiveServer

ROWS = 4000
YEAR = 2026
LOCALITIES = 8

WORLD = f"""
from daotao.admissions import presets
from daotao.org.models import UnitKind
from daotao.planning.models import AnnualPlan
from daotao.programs.models import Program
from daotao.testing import PROGRAMS, make_unit
province = make_unit("BA", "Tỉnh Bình An", UnitKind.PROVINCE)
for index in range(1, {LOCALITIES} + 1):
    make_unit(f"H{{index:02d}}", f"Huyện số {{index}}", UnitKind.DISTRICT, province)
for code, name, kind, category in PROGRAMS:
    Program.objects.create(code=code, name=name, kind=kind, category=category)
presets.install()
AnnualPlan.objects.create(year={YEAR}, status="approved")
"""

COUNTS = """
from daotao.admissions.models import Application, ApplicationDocument
from daotao.audit.models import AuditEntry
from daotao.people.models import Student
models = (Application, Student, ApplicationDocument, AuditEntry)
print(*(model.objects.count() for model in models))
"""


class KilledImportTests(SimpleTestCase):
    def setUp(self):
        self.server = LiveServer(os.environ.get("DATABASE_URL"))
        self.server.database_url = self.server._fresh_database()
        self.addCleanup(self.server._drop_database)
        self.server.manage("migrate", "--noinput", "-v", "0")
        self.server.python(WORLD)
        folder = Path(tempfile.mkdtemp(prefix="daotao-killed-"))
        self.addCleanup(shutil.rmtree, folder, ignore_errors=True)
        self.path = folder / "ho-so.xlsx"
        localities = [f"H{index:02d}" for index in range(1, LOCALITIES + 1)]
        self.path.write_bytes(workbook(fictional_rows(ROWS, localities, seed=7)))

    def writing_now(self) -> bool:
        """Whether another connection holds a write transaction on the import's table."""
        url = self.server.database_url
        if url.startswith("sqlite"):
            probe = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=0, isolation_level=None)
            try:
                probe.execute("BEGIN IMMEDIATE")
                probe.execute("ROLLBACK")
                return False
            except sqlite3.OperationalError:  # "database is locked": the importer writes
                return True
            finally:
                probe.close()
        import psycopg

        with psycopg.connect(url, autocommit=True) as probe:
            locks = probe.execute(
                "SELECT count(*) FROM pg_locks l JOIN pg_class c ON l.relation = c.oid "
                "WHERE c.relname = 'admissions_application' AND l.mode = 'RowExclusiveLock' AND l.granted"
            ).fetchone()[0]
        return locks > 0

    def counts(self) -> list[int]:
        return [int(number) for number in self.server.python(COUNTS).split()]

    def test_a_killed_import_leaves_nothing_and_the_file_imports_afterwards(self):
        before = self.counts()
        self.assertEqual(before[:3], [0, 0, 0])
        process = subprocess.Popen(
            [sys.executable, "manage.py", "import_applications", str(self.path), "--year", str(YEAR)],
            cwd=ROOT,
            env=self.server.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        # Checking is the first half of the progress; at 50% the writing begins.
        seen = []
        for line in process.stderr:
            seen.append(line)
            match = re.search(r"(\d+)%", line)
            if match and int(match.group(1)) >= 50:
                break
        # Kill it as soon as the database shows its write transaction holding the lock.
        killed = False
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline:
            if self.writing_now():
                process.send_signal(signal.SIGKILL)
                killed = True
                break
        process.wait(timeout=120)
        process.stderr.close()
        self.assertTrue(killed, f"the import ended before it could be killed while writing: {seen}")
        self.assertEqual(process.returncode, -signal.SIGKILL)

        self.assertEqual(self.counts(), before)  # nothing of the killed import

        output = self.server.manage("import_applications", str(self.path), "--year", str(YEAR), "-v", "0")
        self.assertIn(f"{ROWS:,}".replace(",", "."), output)
        self.assertEqual(self.counts()[0], ROWS)
