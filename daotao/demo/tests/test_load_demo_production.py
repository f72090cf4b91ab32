"""``load_demo`` refuses to run with DAOTAO_ENV=production (its users have published
passwords): a clear message, a non-zero exit, nothing written."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings

from daotao.accounts.models import User
from daotao.org.models import Unit
from daotao.web.tests.test_production import manage, production_env

REFUSAL = "Không nạp dữ liệu mẫu khi DAOTAO_ENV=production"


class LoadDemoInProductionTests(TestCase):
    @override_settings(PRODUCTION=True)
    def test_refused_and_nothing_written(self):
        with self.assertRaisesMessage(CommandError, "DAOTAO_ENV=production"):
            call_command("load_demo")
        self.assertFalse(User.objects.exists())
        self.assertFalse(Unit.objects.exists())

    def test_the_command_exits_non_zero_with_the_message(self):
        with tempfile.TemporaryDirectory() as folder:
            database = Path(folder) / "daotao.sqlite3"
            env = production_env(DATABASE_URL=f"sqlite:///{database}")
            migrated = manage("migrate", "--noinput", "-v", "0", env=env)
            self.assertEqual(migrated.returncode, 0, migrated.stderr)
            result = manage("load_demo", env=env)
            self.assertNotEqual(result.returncode, 0)
            self.assertIn(REFUSAL, result.stderr)
            with sqlite3.connect(database) as db:
                self.assertEqual(db.execute("SELECT COUNT(*) FROM accounts_user").fetchone(), (0,))
                self.assertEqual(db.execute("SELECT COUNT(*) FROM org_unit").fetchone(), (0,))
