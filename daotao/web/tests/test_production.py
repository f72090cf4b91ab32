"""Production settings (DAOTAO_ENV=production): Django's deployment checks pass with the
secrets from the environment, the server refuses to start without them or with debug on,
and the app servers serve the collected static files themselves (whitenoise).

Each case runs ``manage.py`` in a subprocess: settings are read once per process."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")


def production_env(**extra) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DAOTAO_", "DJANGO_")) and key not in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL")
    }
    env.update(
        DAOTAO_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="daotao.truong.example.vn",
        DATABASE_URL="sqlite:////nonexistent/daotao.sqlite3",  # the checks below never connect
    )
    env.update(extra)
    return env


def manage(*args, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, MANAGE, *args], env=env, capture_output=True, text=True, timeout=120, cwd=settings.BASE_DIR
    )


class ProductionSettingsTests(SimpleTestCase):
    def test_deployment_checks_pass(self):
        result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("no issues", result.stdout)

    def test_refuses_to_start_without_its_secrets_or_with_debug(self):
        for missing in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"):
            with self.subTest(missing=missing):
                env = production_env()
                del env[missing]
                result = manage("check", env=env)
                self.assertNotEqual(result.returncode, 0)
                self.assertIn(f"needs {missing}", result.stderr)
        result = manage("check", env=production_env(DAOTAO_DEBUG="1"))
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("DAOTAO_DEBUG", result.stderr)

    def test_static_files_are_collected_and_served_by_the_app_with_long_caching(self):
        with tempfile.TemporaryDirectory() as static_root:
            env = production_env(DAOTAO_STATIC_ROOT=static_root)
            collected = manage("collectstatic", "--noinput", env=env)
            self.assertEqual(collected.returncode, 0, collected.stderr)
            script = (
                "import django, os, sys\n"
                "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'daotao.settings')\n"
                "django.setup()\n"
                "from django.templatetags.static import static\n"
                "from django.test import Client\n"
                "url = static('css/daotao.css')\n"
                "response = Client(HTTP_HOST='daotao.truong.example.vn').get(url, secure=True)\n"
                "body = b''.join(response.streaming_content)\n"
                "print(url, response.status_code, response['Cache-Control'], len(body), sep='|')\n"
            )
            served = subprocess.run(
                [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120,
                cwd=settings.BASE_DIR,
            )  # fmt: skip
            self.assertEqual(served.returncode, 0, served.stderr)
            url, status, cache_control, size = served.stdout.strip().split("|")
            self.assertRegex(url, r"^/static/css/daotao\.[0-9a-f]{12}\.css$")  # hashed name
            self.assertEqual(status, "200")
            self.assertIn("max-age=315360000", cache_control)
            self.assertGreater(int(size), 1000)
