"""What do the exact counters cost the portal under load? (docs/performance.md, "Portal under load")

    python -m bench.portal [--database-url URL] [--cache-url URL] [--seconds 10] [--warmup 2]
                           [--connections 32 128] [--workers N] [--threads N]

Starts DaoTao twice under gunicorn on loopback (``daotao.lib.liveserver``), each on a fresh
database beside --database-url and with the cache of --cache-url: once with counting off
(``DAOTAO_PORTAL_COUNTING=0``), once with it on. Both servers hold one published article.
For each number of connections, counting off and then on, a load generator
(``daotao.lib.loadgen``, keep-alive connections) asks for the article page for --warmup
seconds (not measured) and then for --seconds (measured). Every request is a new visitor
(its own ``dt_visitor`` cookie, a desktop browser's user agent), so with counting on each
answered request must add exactly one visit and one view: the counters are read before and
after the measured run and compared with the requests answered 200.

Goals: with counting on, at least 0.7 times the requests per second of counting off, no
errors, no lost (or extra) counts.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.machine import machine
from daotao.lib.liveserver import LiveServer, redis_reachable
from daotao.lib.loadgen import LoadResult, run_load

GOAL_RATIO = 0.7
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"

SETUP = """
import datetime as dt
from django.utils import timezone
from daotao.portal.models import Article, Category
category = Category.objects.create(name="Tin hoạt động", slug="tin-hoat-dong")
article = Article.objects.create(
    title="Khai giảng lớp Trung cấp lý luận chính trị - hành chính", slug="khai-giang",
    category=category, summary="Tóm tắt của tin khai giảng.",
    body="<p>" + "Nội dung của tin khai giảng lớp Trung cấp. " * 40 + "</p>",
    status="published", published_at=timezone.now() - dt.timedelta(hours=1),
)
print(article.get_absolute_url())
"""

# All days summed: a run that straddles local midnight counts into two daily rows.
COUNTERS = """
import json
from django.db.models import Sum
from daotao.portal.models import Article, DailyVisits
print(json.dumps({
    "visits": DailyVisits.objects.aggregate(total=Sum("visits"))["total"] or 0,
    "views": Article.objects.get(slug="khai-giang").view_count,
}))
"""

# Rows a database cache table holds after weeks of counting: the dedupe keys of earlier days.
# Django's database cache deletes expired rows only when a write finds more than MAX_ENTRIES
# rows (2.000.000, daotao/lib/env.py), or when an expired key is read again.
FILL_CACHE = """
import datetime as dt
from django.conf import settings
from django.db import connection, transaction
entry = settings.CACHES["default"]
table = connection.ops.quote_name(entry["LOCATION"])
prefix = entry.get("KEY_PREFIX") or ""
expired = connection.ops.adapt_datetimefield_value(dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
batch = 100_000
for start in range(0, {rows}, batch):
    rows = [
        (f"{{prefix}}:1:portal:visit:2000-01-01:c:earlier-visitor-{{i:012d}}", "gAVLAS4=", expired)
        for i in range(start, min(start + batch, {rows}))
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {{table}} (cache_key, value, expires) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO {{table}} (cache_key, value, expires) VALUES (%s, %s, %s)", rows)
with connection.cursor() as cursor:
    cursor.execute(("VACUUM ANALYZE " if connection.vendor == "postgresql" else "ANALYZE ") + table)
    cursor.execute(f"SELECT COUNT(*) FROM {{table}}")
    print(cursor.fetchone()[0])
"""

DESCRIBE = """
import json
import django, gunicorn
from django.conf import settings
from django.core.cache import cache
from bench.machine import engine_version
backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
if backend == "RedisCache":
    backend += " (Redis " + cache._cache.get_client().info()["redis_version"] + ")"
elif backend == "DatabaseCache":
    backend += " (table " + settings.CACHES["default"]["LOCATION"] + ")"
print(json.dumps({
    "database": engine_version(),
    "cache": backend,
    "django": django.get_version(),
    "gunicorn": gunicorn.__version__,
    "conn_max_age": settings.DATABASES["default"]["CONN_MAX_AGE"],
}))
"""


@dataclass
class Run:
    mode: str  # "off" or "on"
    connections: int
    result: LoadResult
    visits: int  # counted during the measured run
    views: int
    cpu: dict[str, float]  # share of the whole machine, 0-1

    @property
    def answered(self) -> int:
        return self.result.statuses.get(200, 0)

    @property
    def expected(self) -> int:
        """What the counters should have gained: every answered request, or nothing when off."""
        return self.answered if self.mode == "on" else 0

    @property
    def exact(self) -> bool:
        return self.visits == self.expected and self.views == self.expected

    def counted(self) -> str:
        if self.exact:
            return "exact" if self.mode == "on" else "exact (0)"
        return f"visits {self.visits - self.expected:+d}, views {self.views - self.expected:+d}"


# --- CPU accounting (Linux /proc; nothing elsewhere) ------------------------------------------


def _processes() -> dict[int, tuple[str, int, list[int]]]:
    """pid -> (command name, parent pid, [utime, stime, cutime, cstime]) of every process."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        table[int(entry.name)] = (name, int(fields[1]), [int(value) for value in fields[11:15]])
    return table


def _cpu_sample(server: LiveServer) -> dict[str, int]:
    """Clock ticks used so far: by the whole machine (busy of total), gunicorn (master and
    workers), this process (the load generator), and the database and cache servers
    (PostgreSQL's postmaster with its live and finished backends, Redis)."""
    try:
        ticks = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    except OSError:
        return {}
    processes = _processes()
    master = server._process.pid
    sample = {"total": sum(ticks), "busy": sum(ticks) - ticks[3] - ticks[4], "app": 0, "loadgen": 0, "db": 0}
    for pid, (name, parent, (utime, stime, cutime, cstime)) in processes.items():
        if pid == master or parent == master:
            sample["app"] += utime + stime
        elif pid == os.getpid():
            sample["loadgen"] += utime + stime
        elif name == "postgres" and parent == 1:
            sample["db"] += utime + stime + cutime + cstime  # finished backends are in cutime
        elif name == "postgres" and processes.get(parent, ("",))[0] == "postgres":
            sample["db"] += utime + stime
        elif name == "redis-server":
            sample["db"] += utime + stime
    return sample


def _cpu_shares(before: dict[str, int], after: dict[str, int]) -> dict[str, float]:
    """Shares of the whole machine (all cores) during the run; "other" is everyone else."""
    if not before or not after or after["total"] == before["total"]:
        return {}
    total = after["total"] - before["total"]
    shares = {key: (after[key] - before[key]) / total for key in ("busy", "app", "loadgen", "db")}
    shares["other"] = max(shares["busy"] - shares["app"] - shares["loadgen"] - shares["db"], 0.0)
    shares["idle"] = max(1.0 - shares["busy"], 0.0)
    return shares


# --- running ---------------------------------------------------------------------------------


class Portal:
    """One live server with its article; counting on or off."""

    def __init__(self, mode: str, args: argparse.Namespace, run_id: str):
        self.mode = mode
        self.prefix = f"bench-portal-{run_id}-{mode}"
        env = {"DAOTAO_PORTAL_COUNTING": "1" if mode == "on" else "0"}
        if args.conn_max_age is not None:
            env["DB_CONN_MAX_AGE"] = str(args.conn_max_age)
        if args.cache_url:
            env["DAOTAO_CACHE_PREFIX"] = self.prefix  # also lets us remove our keys from Redis afterwards
        self.server = LiveServer(
            database_url=args.database_url,
            cache_url=args.cache_url,
            workers=args.workers,
            threads=args.threads,
            env=env,
        )
        self.cache_url = args.cache_url
        self.cache_rows = args.cache_rows
        self.requests_per_connection = args.requests_per_connection
        self.run_id = run_id

    def __enter__(self) -> Portal:
        self.server.__enter__()
        try:
            self.path = self.server.python(SETUP).strip().splitlines()[-1]
            if self.cache_rows:
                self.server.python(FILL_CACHE.format(rows=self.cache_rows))
        except BaseException:
            self.server.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.server.__exit__(*exc)
        finally:
            self._forget_redis_keys()

    def _forget_redis_keys(self) -> None:
        if not (self.cache_url or "").startswith(("redis://", "rediss://")):
            return
        try:
            import redis

            client = redis.Redis.from_url(self.cache_url)
            batch = []
            for key in client.scan_iter(match=f"{self.prefix}:*", count=1000):
                batch.append(key)
                if len(batch) == 1000:
                    client.delete(*batch)
                    batch = []
            if batch:
                client.delete(*batch)
        except Exception as error:  # a leftover key expires by itself the next day
            print(f"(could not remove the benchmark's Redis keys: {error})", file=sys.stderr)

    def describe(self) -> dict:
        return json.loads(self.server.python(DESCRIBE).strip().splitlines()[-1])

    def counters(self) -> dict[str, int]:
        return json.loads(self.server.python(COUNTERS).strip().splitlines()[-1])

    def load(self, connections: int, seconds: float, label: str) -> LoadResult:
        tag = f"bench-{self.run_id}-{self.mode}{connections}{label}"

        per_connection = self.requests_per_connection

        def headers_of(n: int) -> dict[str, str]:
            headers = {"User-Agent": BROWSER, "Cookie": f"dt_visitor={tag}-{n:08d}", "Accept-Language": "vi"}
            if per_connection and n % per_connection == per_connection - 1:
                headers["Connection"] = "close"  # the load generator opens a new one
            return headers

        return run_load(
            "127.0.0.1",
            self.server.port,
            connections=connections,
            path_of=lambda n: self.path,
            headers_of=headers_of,
            seconds=seconds,
        )

    def measure(self, connections: int, args: argparse.Namespace) -> Run:
        if args.warmup > 0:
            self.load(connections, args.warmup, "w")  # counted too: the readings come after it
        before = self.counters()
        cpu_before = _cpu_sample(self.server)
        result = self.load(connections, args.seconds, "m")
        cpu_after = _cpu_sample(self.server)
        after = self.counters()
        return Run(
            mode=self.mode,
            connections=connections,
            result=result,
            visits=after["visits"] - before["visits"],
            views=after["views"] - before["views"],
            cpu=_cpu_shares(before=cpu_before, after=cpu_after),
        )


# --- printing ----------------------------------------------------------------------------------

HEADER = (
    f"{'counting':8} {'conns':>5} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}  "
    f"{'cpu app/db/load/other/idle':>26}  counted"
)


def row(run: Run) -> str:
    result = run.result
    cpu = run.cpu
    cpu_text = "/".join(f"{cpu[key]:.0%}" for key in ("app", "db", "loadgen", "other", "idle")) if cpu else "-"
    return (
        f"{run.mode:8} {run.connections:>5} {result.requests:>9} {result.per_second:>8.1f} "
        f"{result.percentile(50):>8.1f} {result.percentile(99):>8.1f} {result.errors:>6}  "
        f"{cpu_text:>26}  {run.counted()}"
    )


def problems(run: Run) -> list[str]:
    """What went wrong in a run, in words: statuses other than 200, error samples."""
    lines = []
    others = {status: n for status, n in run.result.statuses.items() if status != 200}
    if others:
        lines.append(f"  {run.mode} {run.connections}: statuses other than 200: {others}")
    for sample in run.result.error_samples:
        lines.append(f"  {run.mode} {run.connections}: {sample}")
    return lines


def markdown(runs: list[Run]) -> str:
    """The table for docs/performance.md."""
    lines = [
        "| counting | connections | requests | req/s | p50 ms | p99 ms | errors | counted |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        result = run.result
        lines.append(
            f"| {run.mode} | {run.connections} | {result.requests} | {result.per_second:.0f} | "
            f"{result.percentile(50):.1f} | {result.percentile(99):.1f} | {result.errors} | {run.counted()} |"
        )
    return "\n".join(lines)


# --- main -------------------------------------------------------------------------------------


def default_workers() -> int:
    """One gunicorn worker process per core.

    Rendering a page is CPU work under the GIL, so a worker process uses at most one core
    and more processes than cores only take turns; the threads of each worker (--threads)
    cover the waits on the database and the cache. The usual (2 x cores) + 1 is advice for
    sync workers, which wait on I/O with a whole process; here it would also give the
    load generator, which runs on the same cores, less room.
    """
    return max(os.cpu_count() or 1, 1)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.portal", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=None,
        help="a fresh database is created beside this one (default: a temporary SQLite file; "
        "e.g. postgres://postgres@127.0.0.1:5432/postgres)",
    )
    parser.add_argument("--cache-url", default=None, help="default: the database cache; e.g. redis://127.0.0.1:6379/0")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured seconds of each run (default 10)")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds before each run (default 2)")
    parser.add_argument("--connections", type=int, nargs="+", default=[32, 128])
    parser.add_argument("--workers", type=int, default=default_workers(), help="gunicorn workers (default: CPU count)")
    parser.add_argument("--threads", type=int, default=8, help="threads per gunicorn worker (default 8)")
    parser.add_argument(
        "--requests-per-connection",
        type=int,
        default=10,
        help="ask the server to close a connection after about this many requests (0: never); "
        "otherwise each keep-alive connection stays with the gunicorn worker that accepted it",
    )
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=None,
        help="DB_CONN_MAX_AGE of the servers (default: the settings' default, 0: a new connection per request)",
    )
    parser.add_argument(
        "--cache-rows",
        type=int,
        default=0,
        help="database cache only: first fill its table with this many expired keys, as weeks of counting leave it",
    )
    parser.add_argument("--markdown", action="store_true", help="also print the table as Markdown")
    args = parser.parse_args(argv)
    if args.seconds <= 0 or args.seconds > 120 or args.warmup < 0 or args.warmup > 30:
        parser.error("--seconds must be in (0, 120] and --warmup in [0, 30]")
    if args.cache_rows and (args.cache_url or "db://").split("://")[0] != "db":
        parser.error("--cache-rows is for the database cache")
    if not 0 <= args.cache_rows <= 1_900_000:
        parser.error("--cache-rows must be between 0 and 1900000 (the database cache culls above 2000000)")
    if any(n < 1 or n > 1024 for n in args.connections):
        parser.error("--connections must be between 1 and 1024")
    if (args.cache_url or "").startswith("redis://") and not redis_reachable(*_redis_address(args.cache_url)):
        parser.error(f"no Redis answers at {args.cache_url}")
    return args


def _redis_address(url: str) -> tuple[str, int]:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or 6379


def main(argv=None) -> int:
    args = parse_args(argv)
    run_id = secrets.token_hex(4)
    started = time.monotonic()
    before = machine()  # with the load average before the servers start
    print(
        f"Starting DaoTao twice (counting off, on): {args.workers} gunicorn workers x {args.threads} threads, "
        f"{args.seconds:g} s per run after {args.warmup:g} s of warm-up ...",
        flush=True,
    )
    runs: list[Run] = []
    with Portal("off", args, run_id) as off, Portal("on", args, run_id) as on:
        info = on.describe()
        # Off and on alternate for each number of connections, so both see the same machine.
        print(HEADER, flush=True)
        for connections in args.connections:
            for portal in (off, on):
                runs.append(portal.measure(connections, args))
                print(row(runs[-1]), flush=True)
        server_errors = [
            line
            for line in (off.server.log() + on.server.log()).splitlines()
            if line.strip() and "robots-check-" not in line  # LiveServer's probe for "it answers"
        ]

    print()
    print(f"database     {info['database']}{' beside ' + args.database_url if args.database_url else ''}")
    print(f"cache        {info['cache']}{f', {args.cache_rows} expired keys put in first' if args.cache_rows else ''}")
    print(
        f"server       gunicorn {info['gunicorn']} (gthread), {args.workers} workers x {args.threads} threads, "
        f"Django {info['django']}, CONN_MAX_AGE {info['conn_max_age']}"
    )
    turnover = (
        f"connections closed after about {args.requests_per_connection} requests"
        if args.requests_per_connection
        else "connections kept open"
    )
    print(
        f"load         {args.seconds:g} s per run after {args.warmup:g} s warm-up, a new visitor per request, "
        f"{turnover}"
    )
    print(f"machine      {before}, {platform.platform(terse=True)}")
    print(
        "cpu          shares of the whole machine during each run: app = gunicorn, db = PostgreSQL and Redis "
        "servers, load = the load generator, other = everything else (and time taken by the hypervisor), "
        "idle = no core busy"
    )

    goals = []
    for connections in args.connections:
        pair = {run.mode: run for run in runs if run.connections == connections}
        ratio = pair["on"].result.per_second / pair["off"].result.per_second if pair["off"].result.per_second else 0
        print(f"ratio {connections:>4}   on / off = {ratio:.2f}")
        goals.append((f"{connections}: on >= {GOAL_RATIO} x off", ratio >= GOAL_RATIO))
    goals.append(("no errors", all(run.result.errors == 0 for run in runs)))
    goals.append(("no lost counts", all(run.exact for run in runs)))
    print("goals        " + "; ".join(f"{name}: {'yes' if met else 'NO'}" for name, met in goals))
    trouble = [line for run in runs for line in problems(run)]
    if trouble:
        print("errors")
        print("\n".join(trouble))
    if server_errors:
        print("server log (last lines)")
        print("\n".join(f"  {line}" for line in server_errors[-15:]))
    if args.markdown:
        print()
        print(markdown(runs))
    print(f"\n(total {time.monotonic() - started:.0f} s)")
    return 0 if all(met for _, met in goals) else 1


if __name__ == "__main__":
    sys.exit(main())
