"""What do the exact counters cost the portal under load? (docs/performance.md, "The portal under load")

    python -m bench.portal [--database-url URL] [--cache-url URL] [--conn-max-age N]
                           [--connections 32 128] [--kinds cookieless returning new]
                           [--pairs 5] [--slice 3] [--workers N] [--threads N] [--no-kill]

Starts DaoTao twice under gunicorn on loopback (``daotao.lib.liveserver``), each on a fresh
database beside --database-url and with the cache of --cache-url: once with counting off
(``DAOTAO_PORTAL_COUNTING=0``), once with it on; both hold one published article and run
the whole time. For each number of connections and each kind of visitor, a load generator
(``daotao.lib.loadgen``, keep-alive connections) asks for the article page in short slices
that alternate between the two servers (--pairs pairs of --slice seconds, the order
swapped every pair), so that both see the same machine; each pair gives a ratio
(counted / uncounted requests per second) and the median of the pairs is the result.

Kinds of visitor:

* ``cookieless``: every request a first visit without a cookie, from a user agent of its
  own (all requests come from 127.0.0.1, so each hashes to a new visitor): the visit and
  the view counted, and the cookie handed out marked as counted too;
* ``returning``: a fixed pool of visitors with cookies, all counted before the measure:
  nothing is counted and nothing written;
* ``new``: every request a new visitor with a cookie of its own (the visit and the view).

In one pair per number of connections (of the ``cookieless`` kind) one gunicorn worker of
each server is killed with SIGKILL in the middle of its slice; the master starts another.
A request that got no answer is sent again with the same visitor (counting is idempotent
per visitor and day, so a retry never counts twice). At the end the counters must equal
exactly the number of distinct visitors answered 200 (visits and views alike), and the
rows of who was counted must equal the counters; with counting off nothing moves.

CPU per request comes from /proc over each slice: gunicorn (master and workers), the
database server (the PostgreSQL backends of the server's own database; SQLite runs inside
gunicorn) and Redis. Goals: counted at least 0.9 times the requests per second of
uncounted (median of the pairs) for every number of connections and kind; no error after
retries; counts exact. The exit status is 1 when one is missed. ``--control`` makes both
servers count: the ratios then show the method's own noise on this machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.machine import machine
from daotao.lib.liveserver import LiveServer, process_table, redis_reachable
from daotao.lib.loadgen import LoadResult, run_load
from daotao.lib.vietnamese import format_decimal

GOAL_RATIO = 0.9
KINDS = ("cookieless", "returning", "new")
KILL_KIND = "cookieless"
RETRIES = 20
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")

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
from daotao.portal.models import Article, CountedKey, DailyVisits
article = Article.objects.get(slug="khai-giang")
print(json.dumps({
    "visits": DailyVisits.objects.aggregate(total=Sum("visits"))["total"] or 0,
    "views": article.view_count,
    "visit_rows": CountedKey.objects.filter(article_id=None, alias=False).count(),
    "view_rows": CountedKey.objects.filter(article_id=article.pk, alias=False).count(),
    "alias_rows": CountedKey.objects.filter(alias=True).count(),
}))
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


# --- CPU accounting (Linux /proc) -----------------------------------------------------------


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def cpu_sample(server: LiveServer, finished_backends: bool) -> dict[str, dict[int, int]]:
    """Clock ticks used so far, per process: the server's gunicorn (the master with its
    finished workers, and the live workers), its database server (the PostgreSQL backends of
    its own database; with ``finished_backends`` also those that ended, which the postmaster
    collects, whoever they served) and Redis."""
    master = server._process.pid
    sample: dict[str, dict[int, int]] = {"app": {}, "db": {}, "cache": {}}
    for pid, process in process_table().items():
        name, parent, (utime, stime, cutime, cstime) = process.name, process.parent, process.times
        if pid == master:
            sample["app"][pid] = utime + stime + cutime + cstime  # a killed worker's time lands here
        elif parent == master:
            sample["app"][pid] = utime + stime
        elif name == "postgres" and parent == 1 and finished_backends:
            sample["db"][pid] = cutime + cstime
        elif name == "postgres" and server.pg_name and server.pg_name in _command_line(pid):
            sample["db"][pid] = utime + stime
        elif name == "redis-server":
            sample["cache"][pid] = utime + stime
    return sample


def cpu_used(before: dict[str, dict[int, int]], after: dict[str, dict[int, int]]) -> dict[str, int]:
    """Ticks used between two samples, by the processes alive at the second (a process that
    ended meanwhile takes its last ticks with it)."""
    return {part: sum(max(ticks - before[part].get(pid, 0), 0) for pid, ticks in after[part].items()) for part in after}


def settle(server: LiveServer, timeout: float = 60) -> None:
    """After a worker was killed: wait until the master runs all its workers and they are idle
    (a new worker spends a second or more importing Django)."""
    server.wait_for_workers(timeout)
    deadline = time.monotonic() + timeout
    before = cpu_sample(server, False)
    while time.monotonic() < deadline:
        time.sleep(0.5)
        after = cpu_sample(server, False)
        if cpu_used(before, after)["app"] <= 2:
            return
        before = after


# --- the servers ------------------------------------------------------------------------------


@dataclass
class Slice:
    mode: str  # "off" or "on"
    connections: int
    kind: str
    pair: int
    result: LoadResult
    cpu: dict[str, int]  # ticks during the slice
    killed: bool = False

    @property
    def per_second(self) -> float:
        return self.result.per_second


class Portal:
    """One live server with its article; counting on or off; the visitors it answered."""

    def __init__(self, mode: str, args: argparse.Namespace, run_id: str):
        self.mode = mode
        # --control: both servers count, to see what the method itself makes of two equals.
        self.counting = mode == "on" or args.control
        self.run_id = run_id
        self.prefix = f"bench-portal-{run_id}-{mode}"
        env = {"DAOTAO_PORTAL_COUNTING": "1" if self.counting else "0"}
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
        self.requests_per_connection = args.requests_per_connection
        self.pool = args.pool
        postgresql = (args.database_url or "").startswith(("postgres://", "postgresql://"))
        self.finished_backends = postgresql and not args.conn_max_age
        self.visitors: set[str] = set()  # distinct visitors answered 200
        self.retried = 0
        self.errors = 0
        self.error_samples: list[str] = []
        self.slices = 0

    def __enter__(self) -> Portal:
        self.server.__enter__()
        try:
            self.path = self.server.python(SETUP).strip().splitlines()[-1]
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

    def visitor(self, kind: str, tag: str, n: int) -> tuple[str, dict[str, str]]:
        """Request ``n`` of a slice: who it comes from, and its headers (the same on a retry)."""
        if kind == "cookieless":
            user_agent = f"{BROWSER} Edition/{tag}-{n}"
            return user_agent, {"User-Agent": user_agent}
        cookie = f"bench-{self.run_id}-pool-{n % self.pool:06d}" if kind == "returning" else f"{tag}-{n:08d}"
        return cookie, {"User-Agent": BROWSER, "Cookie": f"dt_visitor={cookie}"}

    def load(self, kind: str, connections: int, *, seconds: float = 120, count: int | None = None) -> LoadResult:
        self.slices += 1
        tag = f"bench-{self.run_id}-{self.mode}-{self.slices:04d}"
        per_connection = self.requests_per_connection

        def headers_of(n: int) -> dict[str, str]:
            headers = {**self.visitor(kind, tag, n)[1], "Accept-Language": "vi"}
            if per_connection and n % per_connection == per_connection - 1:
                headers["Connection"] = "close"  # spreads the connections over the workers
            return headers

        result = run_load(
            "127.0.0.1",
            self.server.port,
            connections=connections,
            path_of=lambda n: self.path,
            headers_of=headers_of,
            seconds=seconds,
            count=count,
            retries=RETRIES,
        )
        self.visitors.update(self.visitor(kind, tag, n)[0] for n in result.answered)
        self.retried += result.retried
        self.errors += result.errors
        others = {status: n for status, n in result.statuses.items() if status != 200}
        if others:
            self.error_samples.append(f"{kind} {connections}: statuses other than 200: {others}")
        self.error_samples += [f"{kind} {connections}: {sample}" for sample in result.error_samples]
        return result

    def measure(self, kind: str, connections: int, seconds: float, pair: int, kill: bool) -> Slice:
        killer = None
        if kill:
            killer = threading.Timer(seconds / 2, self.server.kill_worker)
            killer.start()
        before = cpu_sample(self.server, self.finished_backends)
        result = self.load(kind, connections, seconds=seconds)
        after = cpu_sample(self.server, self.finished_backends)
        if killer is not None:
            killer.join()
        cpu = cpu_used(before, after)
        return Slice(self.mode, connections, kind, pair, result, cpu, killed=kill)


# --- summaries ---------------------------------------------------------------------------------


@dataclass
class Group:
    """The pairs of one number of connections and one kind of visitor."""

    connections: int
    kind: str
    slices: list[Slice] = field(default_factory=list)
    load: tuple[float, float] = (0.0, 0.0)  # load average (1 min) before and after

    def of(self, mode: str) -> list[Slice]:
        return [piece for piece in self.slices if piece.mode == mode]

    def ratios(self) -> list[float]:
        off = {piece.pair: piece for piece in self.of("off")}
        return [
            piece.per_second / off[piece.pair].per_second
            for piece in self.of("on")
            if piece.pair in off and off[piece.pair].per_second
        ]

    def median_ratio(self) -> float:
        return statistics.median(self.ratios()) if self.ratios() else 0.0

    def per_second(self, mode: str) -> float:
        return statistics.median(piece.per_second for piece in self.of(mode))

    def cpu_ms(self, mode: str, part: str) -> float:
        """CPU milliseconds per request (slices with a killed worker left out)."""
        pieces = [piece for piece in self.of(mode) if not piece.killed]
        requests = sum(piece.result.requests for piece in pieces)
        return sum(piece.cpu[part] for piece in pieces) * TICK_MS / requests if requests else 0.0

    def latency(self, mode: str, p: float) -> float:
        return statistics.median(piece.result.percentile(p) for piece in self.of(mode))


def vn(value: float, decimals: int = 2) -> str:
    """A number written the Vietnamese way (1.040; 0,93), for the Markdown table."""
    return format_decimal(value, decimals)


HEADER = (
    f"{'conns':>5} {'kind':<10} {'off req/s':>9} {'on req/s':>9} {'ratio':>6} {'(min-max)':>12}  "
    f"{'cpu ms/req app':>15} {'db':>11} {'cache':>11}  {'p50 ms off/on':>13}  load"
)


def line(group: Group) -> str:
    ratios = group.ratios()

    def pair(part: str) -> str:
        return f"{group.cpu_ms('off', part):.2f}/{group.cpu_ms('on', part):.2f}"

    spread = f"({min(ratios):.2f}-{max(ratios):.2f})"
    latency = f"{group.latency('off', 50):.0f}/{group.latency('on', 50):.0f}"
    return (
        f"{group.connections:>5} {group.kind:<10} {group.per_second('off'):>9.1f} {group.per_second('on'):>9.1f} "
        f"{group.median_ratio():>6.3f} {spread:>12}  {pair('app'):>15} {pair('db'):>11} {pair('cache'):>11}  "
        f"{latency:>13}  {group.load[0]:.2f}->{group.load[1]:.2f}"
    )


def markdown(groups: list[Group]) -> str:
    lines = [
        "| connections | visitors | uncounted req/s | counted req/s | ratio (median) | min–max | "
        "CPU ms/request app off → on | database | cache | load average |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for group in groups:
        ratios = group.ratios()
        lines.append(
            f"| {group.connections} | {group.kind} | {vn(group.per_second('off'), 0)} | "
            f"{vn(group.per_second('on'), 0)} | **{vn(group.median_ratio())}** | "
            f"{vn(min(ratios))}–{vn(max(ratios))} | "
            f"{vn(group.cpu_ms('off', 'app'))} → {vn(group.cpu_ms('on', 'app'))} | "
            f"{vn(group.cpu_ms('off', 'db'))} → {vn(group.cpu_ms('on', 'db'))} | "
            f"{vn(group.cpu_ms('off', 'cache'))} → {vn(group.cpu_ms('on', 'cache'))} | "
            f"{vn(group.load[0])}–{vn(group.load[1])} |"
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
    parser.add_argument("--slice", type=float, default=3.0, help="seconds of each slice (default 3)")
    parser.add_argument("--pairs", type=int, default=5, help="pairs of slices per connections and kind (default 5)")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds per server first (default 2)")
    parser.add_argument("--connections", type=int, nargs="+", default=[32, 128])
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=list(KINDS))
    parser.add_argument("--pool", type=int, default=400, help="returning visitors, counted first (default 400)")
    parser.add_argument("--workers", type=int, default=default_workers(), help="gunicorn workers (default: CPU count)")
    parser.add_argument("--threads", type=int, default=8, help="threads per gunicorn worker (default 8)")
    parser.add_argument("--no-kill", action="store_true", help="do not kill a worker during the run")
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
        "--control",
        action="store_true",
        help="both servers count (a control: the ratios show what the method makes of two equal servers)",
    )
    parser.add_argument("--markdown", action="store_true", help="also print the table as Markdown")
    args = parser.parse_args(argv)
    if not 0.5 <= args.slice <= 60 or not 0 <= args.warmup <= 30 or not 1 <= args.pairs <= 50:
        parser.error("--slice must be in [0.5, 60], --warmup in [0, 30], --pairs in [1, 50]")
    if any(n < 1 or n > 1024 for n in args.connections):
        parser.error("--connections must be between 1 and 1024")
    if not 1 <= args.pool <= 100_000:
        parser.error("--pool must be between 1 and 100000")
    if (args.cache_url or "").startswith("redis://") and not redis_reachable(*_redis_address(args.cache_url)):
        parser.error(f"no Redis answers at {args.cache_url}")
    return args


def _redis_address(url: str) -> tuple[str, int]:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or 6379


def exactness(portal: Portal, counters: dict[str, int]) -> tuple[bool, str]:
    """Counted on: visits and views equal the distinct visitors answered 200, and the rows of
    who was counted equal both. Counted off: nothing at all."""
    expected = len(portal.visitors) if portal.counting else 0
    got = (counters["visits"], counters["views"], counters["visit_rows"], counters["view_rows"])
    exact = got == (expected,) * 4 and (portal.counting or counters["alias_rows"] == 0)
    text = (
        f"{portal.mode}: {len(portal.visitors)} distinct visitors answered; visits {got[0]}, views {got[1]}, "
        f"rows {got[2]} + {got[3]} (+ {counters['alias_rows']} handed-out cookies): "
        + ("exact" if exact else f"NOT EXACT (expected {expected})")
    )
    return exact, text


def main(argv=None) -> int:
    args = parse_args(argv)
    run_id = secrets.token_hex(4)
    started = time.monotonic()
    before = machine()  # with the load average before the servers start
    kill = not args.no_kill and KILL_KIND in args.kinds
    print(
        f"Starting DaoTao twice (counting {'on, on: a control' if args.control else 'off, on'}): "
        f"{args.workers} gunicorn workers x {args.threads} threads; "
        f"{args.pairs} pairs of {args.slice:g} s slices per connections and kind ...",
        flush=True,
    )
    groups: list[Group] = []
    with Portal("off", args, run_id) as off, Portal("on", args, run_id) as on:
        info = on.describe()
        for portal in (off, on):
            if args.warmup:
                portal.load("new", 32, seconds=args.warmup)
            if "returning" in args.kinds:
                portal.load("returning", 32, count=args.pool)  # each returning visitor counted once
        print(HEADER, flush=True)
        for connections in args.connections:
            for kind in args.kinds:
                group = Group(connections, kind)
                load_before = os.getloadavg()[0]
                for pair in range(args.pairs):
                    killing = kill and kind == KILL_KIND and pair == args.pairs // 2
                    for portal in (off, on) if pair % 2 == 0 else (on, off):
                        group.slices.append(portal.measure(kind, connections, args.slice, pair, killing))
                    if killing:
                        settle(off.server)
                        settle(on.server)
                group.load = (load_before, os.getloadavg()[0])
                groups.append(group)
                print(line(group), flush=True)
        results = {portal.mode: (portal, portal.counters()) for portal in (off, on)}
        server_log = [
            line_
            for line_ in (off.server.log() + on.server.log()).splitlines()
            if line_.strip() and "robots-check-" not in line_  # LiveServer's probe for "it answers"
        ]

    print()
    print(f"database     {info['database']}{' beside ' + args.database_url if args.database_url else ''}")
    print(f"cache        {info['cache']}")
    print(
        f"server       gunicorn {info['gunicorn']} (gthread), {args.workers} workers x {args.threads} threads, "
        f"Django {info['django']}, CONN_MAX_AGE {info['conn_max_age']}"
    )
    turnover = (
        f"connections closed after about {args.requests_per_connection} requests"
        if args.requests_per_connection
        else "connections kept open"
    )
    print(f"load         {args.pairs} pairs of {args.slice:g} s slices, off and on alternating; {turnover}")
    print(f"machine      {before}, {platform.platform(terse=True)}")
    print(
        "cpu          milliseconds per request, uncounted/counted: app = gunicorn (SQLite inside it), db = the "
        "PostgreSQL backends of the server's database"
        + (" and every finished backend" if off.finished_backends else "")
        + ", cache = Redis (the whole server); slices with a killed worker left out"
    )
    kills = sum(piece.killed for group in groups for piece in group.slices)
    print(f"retries      {off.retried} (off), {on.retried} (on) requests sent again; {kills} workers killed")

    goals = []
    for group in groups:
        goals.append(
            (
                f"{group.connections} {group.kind}: {group.median_ratio():.2f} >= {GOAL_RATIO}",
                group.median_ratio() >= GOAL_RATIO,
            )
        )
    goals.append(("no errors", off.errors == 0 and on.errors == 0))
    for portal, counters in results.values():
        exact, text = exactness(portal, counters)
        print(f"counted      {text}")
        goals.append((f"{portal.mode} exact", exact))
    print("goals        " + "; ".join(f"{name}: {'yes' if met else 'NO'}" for name, met in goals))
    trouble = off.error_samples + on.error_samples
    if trouble:
        print("errors")
        print("\n".join(f"  {line_}" for line_ in trouble[:20]))
    if server_log:
        print("server log (last lines)")
        print("\n".join(f"  {line_}" for line_ in server_log[-10:]))
    if args.markdown:
        print()
        print(markdown(groups))
    print(f"\n(total {time.monotonic() - started:.0f} s, load average at the end {os.getloadavg()[0]:.2f})")
    return 0 if all(met for _, met in goals) else 1


if __name__ == "__main__":
    sys.exit(main())
