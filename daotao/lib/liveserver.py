"""DaoTao served by gunicorn on loopback, on a database of its own, for the tests and
benchmarks that need real concurrent requests (separate processes, separate connections).

``LiveServer(database_url=..., cache_url=...)`` as a context manager: creates a fresh
database beside the one given (a temporary SQLite file, or a new PostgreSQL database on
the same server), migrates it, starts gunicorn on a free loopback port (unless
``serve=False``: the database alone, for tests that run their own processes on it), and
removes everything on exit. No Django import: it drives ``manage.py`` in subprocesses.
``kill_worker`` kills one gunicorn worker (not the master, which starts another).
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Process:
    name: str
    parent: int
    zombie: bool
    times: list[int]  # utime, stime, cutime, cstime, in clock ticks


def process_table() -> dict[int, Process]:
    """Every process of the machine from /proc: its command name, parent, state and CPU times."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()
        table[int(entry.name)] = Process(
            name=text[text.index("(") + 1 : text.rindex(")")],
            parent=int(fields[1]),
            zombie=fields[0] == "Z",
            times=[int(value) for value in fields[11:15]],
        )
    return table


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# The Redis database the tests use (tests clear it; keep other data elsewhere). Two suites
# running at once (CI runs SQLite and PostgreSQL side by side) each need their own.
# For ``LiveServer.python``: one published article in its category; prints its address.
PUBLISHED_ARTICLE = """
from django.utils import timezone
from daotao.portal.models import Article, Category
category = Category.objects.create(name="Tin hoạt động", slug="tin-hoat-dong")
article = Article.objects.create(
    title="Khai giảng lớp Trung cấp lý luận chính trị - hành chính", slug="khai-giang",
    category=category, summary="Tóm tắt", body="<p>Nội dung</p>", status="published",
    published_at=timezone.now(),
)
print(article.get_absolute_url())
"""

REDIS_TEST_URL = os.environ.get("DAOTAO_TEST_REDIS_URL") or "redis://127.0.0.1:6379/15"


def redis_reachable(host: str = "127.0.0.1", port: int = 6379) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def require_redis() -> None:
    """Skip a test without Redis, or fail it where ``DAOTAO_REQUIRE_REDIS=1`` (CI)."""
    import unittest

    if redis_reachable():
        return
    if os.environ.get("DAOTAO_REQUIRE_REDIS") == "1":
        raise AssertionError("DAOTAO_REQUIRE_REDIS=1 but no Redis answers on 127.0.0.1:6379")
    raise unittest.SkipTest("no Redis server on 127.0.0.1:6379 (CI requires one)")


class LiveServer:
    def __init__(
        self,
        database_url: str | None = None,
        cache_url: str | None = None,
        workers: int = 2,
        threads: int = 8,
        env: dict[str, str] | None = None,
        serve: bool = True,
    ):
        self.base_url_of_database = database_url or ""
        self.cache_url = cache_url
        self.workers = workers
        self.threads = threads
        self.extra_env = env or {}
        self.serve = serve
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._tmp = None
        self._pg_name = None
        self._process = None
        self._log = None

    # --- database ---------------------------------------------------------------
    def _fresh_database(self) -> str:
        given = self.base_url_of_database
        if given.startswith(("postgres://", "postgresql://")):
            import psycopg

            parts = urlsplit(given)
            self._pg_name = f"daotao_live_{os.getpid()}_{secrets.token_hex(3)}"
            self._admin_url = urlunsplit(parts._replace(path="/postgres"))
            with psycopg.connect(self._admin_url, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{self._pg_name}"')
            return urlunsplit(parts._replace(path=f"/{self._pg_name}"))
        self._tmp = tempfile.mkdtemp(prefix="daotao-live-")
        return f"sqlite:///{self._tmp}/db.sqlite3"

    def _drop_database(self) -> None:
        if self._pg_name:
            import psycopg

            with psycopg.connect(self._admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self._pg_name}" WITH (FORCE)')
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)

    # --- processes ---------------------------------------------------------------
    @property
    def env(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "DJANGO_SETTINGS"))}
        env.update(
            DJANGO_SETTINGS_MODULE="daotao.settings",
            DATABASE_URL=self.database_url,
            DAOTAO_DEBUG="0",
            ALLOWED_HOSTS="127.0.0.1,localhost",
            PYTHONUNBUFFERED="1",
        )
        if self.cache_url:
            env["CACHE_URL"] = self.cache_url
            env["DAOTAO_CACHE_PREFIX"] = f"live-{secrets.token_hex(4)}"
        else:
            env.pop("CACHE_URL", None)
        env.update(self.extra_env)
        return env

    def manage(self, *args: str, input: str | None = None) -> str:
        """Run ``manage.py`` against the server's database; its standard output."""
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            input=input,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def python(self, code: str) -> str:
        """Run Python code in a Django shell against the server's database."""
        return self.manage("shell", "--no-imports", "-c", code)

    def __enter__(self) -> LiveServer:
        self.database_url = self._fresh_database()
        try:
            self.manage("migrate", "--noinput", "-v", "0")  # the cache table comes with it
            if self.serve:
                self._start()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _start(self) -> None:
        self._log = tempfile.TemporaryFile()
        self._process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "daotao.wsgi:application",
                f"--bind=127.0.0.1:{self.port}",
                f"--workers={self.workers}",
                f"--threads={self.threads}",
                "--worker-class=gthread",
                "--backlog=2048",
                "--timeout=60",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self._process.returncode}:\n{self.log()}")
            try:
                urllib.request.urlopen(f"{self.url}/robots-check-{secrets.token_hex(2)}", timeout=2)
                return
            except urllib.error.HTTPError:
                return  # it answers (a 404 is an answer)
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer on {self.url}:\n{self.log()}")

    @property
    def pg_name(self) -> str | None:
        """The PostgreSQL database the server runs on (None on SQLite)."""
        return self._pg_name

    def worker_pids(self) -> list[int]:
        """The gunicorn workers (the master's children) now running."""
        if self._process is None:
            return []
        master = self._process.pid
        return sorted(
            pid for pid, process in process_table().items() if process.parent == master and not process.zombie
        )

    def kill_worker(self) -> int:
        """Kill one gunicorn worker with SIGKILL, as a crash would; its pid. The master
        starts another (``wait_for_workers``)."""
        pids = self.worker_pids()
        if not pids:
            raise RuntimeError("no gunicorn worker to kill")
        os.kill(pids[0], signal.SIGKILL)
        return pids[0]

    def wait_for_workers(self, timeout: float = 60) -> None:
        """Wait until the master runs all its workers again and the server answers."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.worker_pids()) >= self.workers:
                try:
                    urllib.request.urlopen(f"{self.url}/robots-check-{secrets.token_hex(2)}", timeout=5)
                    return
                except urllib.error.HTTPError:
                    return
                except OSError:
                    pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start its workers again:\n{self.log()}")

    def log(self) -> str:
        if self._log is None:
            return ""
        self._log.seek(0)
        return self._log.read().decode(errors="replace")

    def __exit__(self, *exc) -> None:
        if self._process and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._drop_database()
