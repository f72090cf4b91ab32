"""How fast is the yearly report on a large province? (docs/performance.md)

    python -m bench.reports [--database-url URL] [--size 100k|1m|10m] [--enrollments N] [--cohorts N]
                            [--repeat 15] [--year Y] [--explain]

Fills a database with ``gen_synthetic`` (default: the SQLite file bench/synthetic.sqlite3;
reused while the generation parameters are unchanged, regenerated otherwise), checks that
every form of one hand-written SQL query over the raw tables gives exactly the numbers of
the built-in report (its lines and its quota table), then times ``annual_report(year,
SYSTEM)`` against them, interleaved run for run (report, each SQL form, report, …, after
one warm-up of each): the median and spread of the report, of each form, and of the
fastest form of every round, which is the baseline of the ratio. Counts the report's
queries, here and on a ten times smaller dataset.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.machine import engine_version, machine

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = ROOT / "bench" / "synthetic.sqlite3"
MARKER_TABLE = "bench_dataset"
GOAL_SECONDS = 0.150
# The report may take at most this many times the fastest hand-written SQL: 1,3x from
# 10.000.000 enrollments on, 2x below (where the fixed cost of a report weighs most).
GOAL_RATIO_LARGE, GOAL_RATIO = 1.3, 2.0
LARGE = 10_000_000
# --size: enrollments and classes (the same ten years, so ten times the classes a year).
SIZES = {"100k": (100_000, 1_500), "1m": (1_000_000, 15_000), "10m": (10_000_000, 150_000)}

# The lines of the built-in template "coordination-yearly" (daotao/reports/builtin.py).
LINE_KEYS = ("tc_opened", "tc_supported", "tc_self_funded", "tc_carried_over", "tc_active", "bd_cv", "bd_ldp", "bd_btx")

# The report's numbers in one statement over the raw tables (never the classes' stored
# counts): its 8 lines and its quota table. The classes it reads are those that touch the
# year (opened on or before its end, not closed before its start: every line counts only
# such classes) and those opened under the year's plan (the quota table); each class's
# students are counted once, in ``classes``, for the lines and the quota table alike, in
# one of the ways ``STUDENT_COUNTS`` lists. The lines add up flags with ``SUM(CASE ...)``;
# a transferred student counts once in a line that covers both their classes (``moves``)
# and in a quota line that holds both (``quota_moves``; docs/counting.md). The quota rows
# compare each locality's plan, line by line (program and funding), with the classes of
# that program and funding opened under it in that locality or below, summed per locality
# and program (docs/counting.md, "Quota achievement").
COORDINATION_SQL = """
WITH base AS {materialized}(
    SELECT c.id, c.program_id, c.opening_date, c.funding, u.path, {flags},
           CASE WHEN c.opening_date <= %(end)s AND (c.closing_date IS NULL OR c.closing_date >= %(start)s)
                THEN 1 ELSE 0 END AS touching,
           CASE WHEN c.plan_year = %(year)s THEN 1 ELSE 0 END AS planned,
           CASE WHEN c.opening_date >= %(start)s THEN 1 ELSE 0 END AS opened
      FROM cohorts_cohort c
      JOIN programs_program p ON p.id = c.program_id
      JOIN org_unit u ON u.id = c.host_locality_id
     WHERE c.status <> 'cancelled'
       AND ((c.opening_date <= %(end)s AND (c.closing_date IS NULL OR c.closing_date >= %(start)s))
            OR c.plan_year = %(year)s)
), classes AS {materialized}(
    SELECT b.*, {students} AS students
      FROM base b{students_join}
), flagged AS (
    SELECT id, program_id, opening_date, students, opened, tc, supported, self_funded, bd_cv, bd_ldp, bd_btx
      FROM classes
     WHERE touching = 1
), moves AS (
    -- A transferred-out enrollment is left out of a line that also counts the class the
    -- student moved to: another counted enrollment in the same program, not itself
    -- transferred out of a class opened earlier (docs/counting.md). The class moved to is
    -- read from the class table by its key (a scan of ``flagged`` per enrollment would not be).
    SELECT e.id,
           MAX(fc.tc * fc.opened * fd.tc * fd.opened) AS tc_opened,
           MAX(fc.tc * fc.opened * fc.supported * fd.tc * fd.opened * fd.supported) AS tc_supported,
           MAX(fc.tc * fc.opened * fc.self_funded * fd.tc * fd.opened * fd.self_funded) AS tc_self_funded,
           MAX(fc.tc * (1 - fc.opened) * fd.tc * (1 - fd.opened)) AS tc_carried_over,
           MAX(fc.tc * fd.tc) AS tc_active,
           MAX(fc.bd_cv * fc.opened * fd.bd_cv * fd.opened) AS bd_cv,
           MAX(fc.bd_ldp * fc.opened * fd.bd_ldp * fd.opened) AS bd_ldp,
           MAX(fc.bd_btx * fc.opened * fd.bd_btx * fd.opened) AS bd_btx
      FROM flagged fc
      JOIN cohorts_enrollment e ON e.cohort_id = fc.id AND e.status = 'transferred'
      JOIN cohorts_enrollment o
        ON o.student_id = e.student_id AND o.cohort_id <> e.cohort_id AND o.status <> 'cancelled'
      JOIN (SELECT c.id, c.program_id, c.opening_date,
                   CASE WHEN c.opening_date >= %(start)s THEN 1 ELSE 0 END AS opened, {flags}
              FROM cohorts_cohort c
              JOIN programs_program p ON p.id = c.program_id
             WHERE c.status <> 'cancelled'
               AND c.opening_date <= %(end)s AND (c.closing_date IS NULL OR c.closing_date >= %(start)s)
           ) fd ON fd.id = o.cohort_id AND fd.program_id = fc.program_id
     WHERE o.status <> 'transferred' OR fd.opening_date > fc.opening_date
           OR (fd.opening_date = fc.opening_date AND fd.id > fc.id)
     GROUP BY e.id
), left_out AS (
    SELECT COALESCE(SUM(tc_opened), 0) AS out_tc_opened, COALESCE(SUM(tc_supported), 0) AS out_tc_supported,
           COALESCE(SUM(tc_self_funded), 0) AS out_tc_self_funded,
           COALESCE(SUM(tc_carried_over), 0) AS out_tc_carried_over, COALESCE(SUM(tc_active), 0) AS out_tc_active,
           COALESCE(SUM(bd_cv), 0) AS out_bd_cv, COALESCE(SUM(bd_ldp), 0) AS out_bd_ldp,
           COALESCE(SUM(bd_btx), 0) AS out_bd_btx
      FROM moves
), planned AS (
    SELECT u.path, u.code AS locality, p.code AS program, q.program_id, q.funding,
           q.classes, q.students
      FROM planning_quota q
      JOIN planning_annualplan a ON a.id = q.plan_id
      JOIN org_unit u ON u.id = q.locality_id
      JOIN programs_program p ON p.id = q.program_id
     WHERE a.year = %(year)s
), actual AS (
    SELECT path, program_id, funding, COUNT(*) AS classes, SUM(students) AS students
      FROM classes
     WHERE planned = 1
     GROUP BY path, program_id, funding
), quota_moves AS (
    -- A student who moved between two classes of one quota line counts once there.
    SELECT pl.path, pl.program_id, pl.funding, COUNT(*) AS students
      FROM planned pl
      JOIN classes ce ON ce.planned = 1 AND ce.program_id = pl.program_id AND ce.funding = pl.funding
                     AND ce.path LIKE pl.path || '%%'
      JOIN cohorts_enrollment e ON e.cohort_id = ce.id AND e.status = 'transferred'
     WHERE EXISTS (
        SELECT 1
          FROM cohorts_enrollment o
          JOIN cohorts_cohort co ON co.id = o.cohort_id
          JOIN org_unit cu ON cu.id = co.host_locality_id
         WHERE o.student_id = e.student_id AND o.cohort_id <> e.cohort_id AND o.status <> 'cancelled'
           AND co.status <> 'cancelled' AND co.plan_year = %(year)s
           AND co.program_id = ce.program_id AND co.funding = ce.funding AND cu.path LIKE pl.path || '%%'
           AND (o.status <> 'transferred' OR co.opening_date > ce.opening_date
                OR (co.opening_date = ce.opening_date AND co.id > ce.id)))
     GROUP BY pl.path, pl.program_id, pl.funding
), lines AS (
    SELECT pl.locality, pl.program, pl.classes AS planned_classes, pl.students AS planned_students,
           COALESCE(SUM(ac.classes), 0) AS classes,
           COALESCE(SUM(ac.students), 0) - COALESCE(MAX(qm.students), 0) AS students
      FROM planned pl
      LEFT JOIN actual ac
        ON ac.program_id = pl.program_id AND ac.funding = pl.funding AND ac.path LIKE pl.path || '%%'
      LEFT JOIN quota_moves qm
        ON qm.path = pl.path AND qm.program_id = pl.program_id AND qm.funding = pl.funding
     GROUP BY pl.path, pl.locality, pl.program, pl.funding, pl.classes, pl.students
)
SELECT 'line', NULL, NULL,
       SUM(tc * opened), SUM(tc * opened * students) - MAX(out_tc_opened),
       SUM(tc * opened * supported), SUM(tc * opened * supported * students) - MAX(out_tc_supported),
       SUM(tc * opened * self_funded), SUM(tc * opened * self_funded * students) - MAX(out_tc_self_funded),
       SUM(tc * (1 - opened)), SUM(tc * (1 - opened) * students) - MAX(out_tc_carried_over),
       SUM(tc), SUM(tc * students) - MAX(out_tc_active),
       SUM(bd_cv * opened), SUM(bd_cv * opened * students) - MAX(out_bd_cv),
       SUM(bd_ldp * opened), SUM(bd_ldp * opened * students) - MAX(out_bd_ldp),
       SUM(bd_btx * opened), SUM(bd_btx * opened * students) - MAX(out_bd_btx)
  FROM flagged CROSS JOIN left_out
UNION ALL
SELECT 'quota', locality, program, SUM(planned_classes), SUM(planned_students), SUM(classes), SUM(students),
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  FROM lines
 GROUP BY locality, program
"""

# The lines' flags of a class ``c`` of program ``p``.
FLAGS = """CASE WHEN p.code = 'TC-LLCT-HC' AND c.mode = 'non_concentrated' THEN 1 ELSE 0 END AS tc,
           CASE WHEN c.funding = 'supported' THEN 1 ELSE 0 END AS supported,
           CASE WHEN c.funding = 'self_funded' THEN 1 ELSE 0 END AS self_funded,
           CASE WHEN p.code IN ('BD-CV', 'BD-CVC') THEN 1 ELSE 0 END AS bd_cv,
           CASE WHEN p.code = 'BD-LDP' THEN 1 ELSE 0 END AS bd_ldp,
           CASE WHEN p.code = 'BD-BTX' THEN 1 ELSE 0 END AS bd_btx"""

# How ``classes`` counts each class's students from the enrollment table: (expression,
# join). Which is fastest depends on the size and the planner, so the benchmark runs each
# and takes the fastest of every round.
STUDENT_COUNTS = {
    # One COUNT(*) per class from the (cohort_id, status) index (an index-only scan).
    "correlated": (
        "(SELECT COUNT(*) FROM cohorts_enrollment e WHERE e.cohort_id = b.id AND e.status <> 'cancelled')",
        "",
    ),
    # The enrollments of every class read gives one GROUP BY, joined back to the classes.
    "grouped": (
        "COALESCE(n.students, 0)",
        """
      LEFT JOIN (SELECT e.cohort_id, COUNT(*) AS students
                   FROM cohorts_enrollment e
                  WHERE e.cohort_id IN (SELECT id FROM base) AND e.status <> 'cancelled'
                  GROUP BY e.cohort_id) n ON n.cohort_id = b.id""",
    ),
}


def sql_variants() -> dict[str, tuple[str, bool, bool]]:
    """The forms of the hand-written SQL the benchmark tries: each way of counting the
    students, with the common table expressions ``MATERIALIZED`` or left to the planner,
    and on PostgreSQL each with JIT as the server has it and with JIT off. Name ->
    (counting, materialized, jit off)."""
    from django.db import connection

    variants = {}
    for counting in STUDENT_COUNTS:
        for materialized in (True, False):
            for jit_off in (False, True) if connection.vendor == "postgresql" else (False,):
                name = f"{counting}{'' if materialized else ', not materialized'}{', jit off' if jit_off else ''}"
                variants[name] = (counting, materialized, jit_off)
    return variants


def coordination_counts_sql(year: int, counting: str = "correlated", materialized: bool = True) -> dict:
    """The built-in yearly report's numbers in one hand-written query: each line as
    (classes, students), each quota row as (planned classes, planned students, classes
    opened, students enrolled)."""
    from django.db import connection

    result: dict = {"lines": {}, "quota": {}}
    with connection.cursor() as cursor:
        cursor.execute(*coordination_sql(year, counting, materialized))
        for kind, locality, program, *figures in cursor.fetchall():
            if kind == "line":
                row = [int(value or 0) for value in figures]
                result["lines"] = {key: (row[2 * i], row[2 * i + 1]) for i, key in enumerate(LINE_KEYS)}
            else:
                result["quota"][(locality, program)] = tuple(int(value) for value in figures[:4])
    return result


def coordination_sql(year: int, counting: str = "correlated", materialized: bool = True) -> tuple[str, dict]:
    from django.db import connection

    keyword = "MATERIALIZED " if materialized else "NOT MATERIALIZED "  # PostgreSQL 12+, SQLite 3.35+
    if connection.vendor == "sqlite":
        import sqlite3

        if sqlite3.sqlite_version_info < (3, 35):
            keyword = ""
    students, join = STUDENT_COUNTS[counting]
    params = {"start": dt.date(year, 1, 1), "end": dt.date(year, 12, 31), "year": year}
    sql = COORDINATION_SQL.format(materialized=keyword, students=students, students_join=join, flags=FLAGS)
    return sql, params


def report_counts(report) -> dict:
    """The same numbers as ``coordination_counts_sql``, read from an AnnualReport."""
    return {
        "lines": {line.line.key: (line.counts.classes, line.counts.students) for line in report.lines},
        "quota": {
            (row.locality_code, row.program_code): (
                row.planned_classes,
                row.planned_students,
                row.actual_classes,
                row.actual_students,
            )
            for row in report.quota
        },
    }


# --- the dataset -----------------------------------------------------------------------


def _configure(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "daotao.settings"
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def read_marker(table: str = MARKER_TABLE) -> dict | None:
    """What a bench's dataset in this database was generated with (its marker table's row)."""
    from django.db import connection

    if table not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT params FROM {table}")
        row = cursor.fetchone()
    return json.loads(row[0]) if row else None


def write_marker(marker: dict, table: str = MARKER_TABLE) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {table} (params TEXT NOT NULL)")
        cursor.execute(f"DELETE FROM {table}")
        cursor.execute(f"INSERT INTO {table} (params) VALUES (%s)", [json.dumps(marker)])


def ensure_dataset(params: dict, out=sys.stdout) -> dict:
    """The marker of a database holding the synthetic province of ``params``: generated when
    the database is empty, regenerated when the benchmark filled it with other parameters.
    A database with classes of its own is never touched."""
    from django.core.management import call_command
    from django.db import connection

    from daotao.cohorts.models import Cohort

    marker = read_marker()
    if marker is not None and {key: marker.get(key) for key in params} == params:
        call_command("migrate", verbosity=0)
        return marker
    if marker is not None and connection.vendor == "sqlite":
        path = Path(connection.settings_dict["NAME"])
        connection.close()
        for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            file.unlink(missing_ok=True)
        print(f"Recreating {path} (generated with other parameters) ...", file=out)
    call_command("migrate", verbosity=0)
    if marker is not None and connection.vendor != "sqlite":
        print("Emptying the benchmark database (generated with other parameters) ...", file=out)
        call_command("flush", interactive=False, verbosity=0)
    elif Cohort.objects.exists():
        raise SystemExit(
            "The database holds classes the benchmark did not generate: give --database-url of an empty database."
        )
    started = time.perf_counter()
    call_command("gen_synthetic", stdout=out, **params)
    marker = {**params, "generated_in": round(time.perf_counter() - started, 1)}
    write_marker(marker)
    return marker


def _data_size() -> dict:
    from django.db import connection

    from daotao.cohorts.models import Cohort, Enrollment
    from daotao.people.models import Student

    size = {
        "classes": Cohort.objects.count(),
        "students": Student.objects.count(),
        "enrollments": Enrollment.objects.count(),
    }
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            size["bytes"] = cursor.fetchone()[0]
        else:
            name = connection.settings_dict["NAME"]
            size["bytes"] = sum(os.path.getsize(f) for f in (name, f"{name}-wal") if os.path.exists(f))
    return size


# --- measuring ---------------------------------------------------------------------------


@dataclass
class Run:
    """One of the things timed in turn: ``run`` is timed; ``before`` and ``after`` (not
    timed) set and reset what it needs (a session setting)."""

    run: Callable[[], object]
    before: Callable[[], object] = lambda: None
    after: Callable[[], object] = lambda: None


def interleaved(runs: dict[str, Run], repeat: int) -> dict[str, list[float]]:
    """Seconds of each run, ``repeat`` times, taking turns after one warm-up of each, so that
    a busy moment of the shared machine falls on all of them."""
    for one in runs.values():
        one.before()
        one.run()
        one.after()
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, one in runs.items():
            one.before()
            started = time.perf_counter()
            one.run()
            times[name].append(time.perf_counter() - started)
            one.after()
    return times


def _session_jit(value: str) -> Callable[[], None]:
    def set_jit() -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(f"SET jit = {value}")

    return set_jit


def report_query_count(year: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from daotao.accounts.scope import SYSTEM
    from daotao.reports.annual import annual_report

    with CaptureQueriesContext(connection) as queries:
        annual_report(year, SYSTEM)
    return len(queries.captured_queries)


def _explain(sql: str, params=None) -> list[str]:
    from django.db import connection

    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        return [" ".join(str(part) for part in row) for row in cursor.fetchall()]


def _small_database_url(url: str) -> str:
    """A sibling database for the ten times smaller dataset (created if missing)."""
    import dj_database_url

    config = dj_database_url.parse(url)
    if config["ENGINE"].endswith("sqlite3"):
        path = Path(config["NAME"])
        return f"sqlite:///{path.with_name(path.stem + '-small' + path.suffix)}"
    from urllib.parse import urlsplit, urlunsplit

    from django.db import connection

    name = f"{config['NAME']}_small"
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


def small_query_count(args, params: dict, module: str = "bench.reports") -> tuple[int, int]:
    """The queries of benchmark ``module`` on the ten times smaller dataset, and its
    enrollments, run in a subprocess (``--query-count-only``)."""
    url = args.small_database_url or _small_database_url(args.database_url)
    command = [
        sys.executable, "-m", module, "--query-count-only", "--database-url", url,
        "--enrollments", str(max(params["enrollments"] // 10, params["cohorts"] // 10)),
        "--cohorts", str(max(params["cohorts"] // 10, 1)), "--years", str(params["years"]),
        "--first-year", str(params["first_year"]), "--seed", str(params["seed"]), "--year", str(args.year),
    ]  # fmt: skip
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode:
        raise SystemExit(f"The smaller dataset failed:\n{result.stdout}\n{result.stderr}")
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    return answer["queries"], answer["enrollments"]


def _thousands(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def add_dataset_arguments(parser: argparse.ArgumentParser, *, repeat: int) -> None:
    """The options every benchmark on the ``gen_synthetic`` dataset takes: where it lives, how
    large it is, how many timed runs, which year, and the ten times smaller dataset."""
    parser.add_argument("--database-url", help=f"default: SQLite, {DEFAULT_SQLITE.name} (1m) or synthetic-SIZE")
    parser.add_argument("--size", choices=SIZES, help="100k, 1m or 10m enrollments (and 1.500 classes per 100k)")
    parser.add_argument("--enrollments", type=int)
    parser.add_argument("--cohorts", type=int)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--first-year", type=int, default=2016)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=repeat)
    parser.add_argument("--year", type=int, help="the year to report (default: the middle year)")
    parser.add_argument("--small-database-url", help="where the 10x smaller dataset lives (default: a sibling)")
    parser.add_argument("--no-small", action="store_true", help="skip the query count on the smaller dataset")
    parser.add_argument("--no-jit", action="store_true", help="PostgreSQL: SET jit = off for this session")


def dataset_params(args: argparse.Namespace) -> dict:
    """The generation parameters of the dataset the options name (``ensure_dataset``)."""
    return {
        "enrollments": args.enrollments,
        "cohorts": args.cohorts,
        "years": args.years,
        "first_year": args.first_year,
        "seed": args.seed,
    }


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.reports", description=__doc__.split("\n\n")[0])
    add_dataset_arguments(parser, repeat=15)
    parser.add_argument("--explain", action="store_true", help="print the query plans of the report and the SQL")
    return parsed(parser, argv)


def parsed(parser: argparse.ArgumentParser, argv=None) -> argparse.Namespace:
    """The arguments of a benchmark on the synthetic dataset, with ``--query-count-only``
    (the test's), the size (``--size``, else 1.000.000 enrollments in 15.000 classes, or
    the numbers given) and the year by default in the middle of the dataset's years."""
    parser.add_argument("--query-count-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    enrollments, cohorts = SIZES[args.size or "1m"]
    args.enrollments = args.enrollments or enrollments
    args.cohorts = args.cohorts or cohorts
    if args.database_url is None:
        name = DEFAULT_SQLITE if args.size in (None, "1m") else DEFAULT_SQLITE.with_stem(f"synthetic-{args.size}")
        args.database_url = f"sqlite:///{name}"
    if args.year is None:
        args.year = args.first_year + (args.years - 1) // 2
    return args


def _spread(times: list[float]) -> str:
    ms = 1000
    return f"{statistics.median(times) * ms:.1f} ms ({min(times) * ms:.1f}–{max(times) * ms:.1f})"


def main(argv=None) -> int:
    args = parse_args(argv)
    _configure(args.database_url)
    params = dataset_params(args)
    out = sys.stderr if args.query_count_only else sys.stdout
    marker = ensure_dataset(params, out)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from daotao.accounts.scope import SYSTEM
    from daotao.reports import engine
    from daotao.reports.annual import BUILTIN_TEMPLATE, annual_report
    from daotao.reports.models import ReportTemplate

    if args.query_count_only:
        annual_report(args.year, SYSTEM)
        print(json.dumps({"queries": report_query_count(args.year), "enrollments": _data_size()["enrollments"]}))
        return 0
    postgresql = connection.vendor == "postgresql"
    if args.no_jit and postgresql:
        _session_jit("off")()
    load_before = os.getloadavg()[0]

    year = args.year
    # The first report of this process: compiled, planned and run (later runs reuse the compiled statement).
    started = time.perf_counter()
    report = annual_report(year, SYSTEM)
    first_report = time.perf_counter() - started
    expected = report_counts(report)
    variants = sql_variants()
    if args.no_jit:
        variants = {name: variant for name, variant in variants.items() if not variant[2]}
    for name, (counting, materialized, _jit_off) in variants.items():
        by_sql = coordination_counts_sql(year, counting, materialized)
        if by_sql != expected:
            raise AssertionError(
                f"The hand-written SQL ({name}) disagrees with the report for {year}: {by_sql} != {expected}"
            )

    lines = list(ReportTemplate.objects.get(code=BUILTIN_TEMPLATE).lines.select_related("locality").order_by("order"))
    specs = [engine.CountSpec(engine.Period.year(year), line.relation, line.cohort_filter()) for line in lines]
    runs = {
        "report": Run(lambda: annual_report(year, SYSTEM)),
        "lines only": Run(lambda: engine.count_many(specs, SYSTEM)),
    }
    for name, (counting, materialized, jit_off) in variants.items():
        runs[f"SQL {name}"] = Run(
            lambda counting=counting, materialized=materialized: coordination_counts_sql(year, counting, materialized),
            *((_session_jit("off"), _session_jit("DEFAULT")) if jit_off else ()),
        )
    times = interleaved(runs, args.repeat)
    sql_names = [name for name in runs if name.startswith("SQL ")]
    best = [min(times[name][i] for name in sql_names) for i in range(args.repeat)]
    fastest = Counter(min(sql_names, key=lambda name, i=i: times[name][i]) for i in range(args.repeat))
    ratios = [r / b for r, b in zip(times["report"], best, strict=True)]
    captures = []
    for _ in range(5):  # each query's time: the median of five runs
        with CaptureQueriesContext(connection) as captured:
            annual_report(year, SYSTEM)
        captures.append(captured.captured_queries)
    queries = captures[0]
    query_ms = [statistics.median(float(run[i]["time"]) * 1000 for run in captures) for i in range(len(queries))]
    size = _data_size()
    load_after = os.getloadavg()[0]
    small = None if args.no_small else small_query_count(args, params)

    ms = 1000
    report_median, best_median = statistics.median(times["report"]), statistics.median(best)
    print()
    print(f"database     {engine_version()}, {connection.settings_dict['NAME']}, {size['bytes'] / 2**20:.0f} MiB")
    print(
        f"data         {_thousands(size['classes'])} classes, {_thousands(size['students'])} students, "
        f"{_thousands(size['enrollments'])} enrollments (generated in {marker.get('generated_in', '?')} s)"
    )
    print(
        f"timing       year {year}: median (fastest–slowest) of {args.repeat} interleaved rounds "
        f"after one warm-up of each; load average {load_before:.2f} before, {load_after:.2f} after"
    )
    print(
        f"report       annual_report({year}, SYSTEM): {_spread(times['report'])} in {len(queries)} queries "
        "(each query: median of 5 runs, to the ms)"
    )
    for query, took in zip(queries, query_ms, strict=True):
        print(f"               {took:7.1f} ms  {query['sql'][:90]}")
    print(f"first report {first_report * ms:.1f} ms (new process: the statements compiled and planned)")
    print(f"lines only   engine.count_many (the 8 lines): {_spread(times['lines only'])}")
    quota_rows = len(expected["quota"])
    print(f"SQL          one hand-written query over the raw tables, the 8 lines and the {quota_rows} quota rows, ")
    print("             numbers checked equal to the report's, each form:")
    for name in sql_names:
        print(f"               {name[4:]:40} {_spread(times[name])}, fastest in {fastest[name]} rounds")
    print(f"best SQL     the fastest form of each round: {_spread(best)}")
    print(
        f"ratio        report / best SQL = {report_median / best_median:.2f} "
        f"(median of the rounds' ratios {statistics.median(ratios):.2f}, {min(ratios):.2f}–{max(ratios):.2f})"
    )
    print(f"machine      {machine()}")
    if small:
        constant = "constant" if small[0] == len(queries) else "NOT CONSTANT"
        print(
            f"query count  {len(queries)} on {_thousands(size['enrollments'])} enrollments, "
            f"{small[0]} on {_thousands(small[1])}: {constant}"
        )
    limit = GOAL_RATIO_LARGE if size["enrollments"] >= LARGE else GOAL_RATIO
    goals = [
        (f"report under {GOAL_SECONDS * ms:.0f} ms", report_median < GOAL_SECONDS),
        (f"report within {limit}x the best SQL", report_median <= limit * best_median),
    ]
    if small:
        goals.append(("constant query count", small[0] == len(queries)))
    print("goals        " + "; ".join(f"{name}: {'yes' if met else 'NO'}" for name, met in goals))
    if args.explain:
        print("\nPlans of the report's queries:")
        for query in queries:
            print(f"\n{query['sql']}")
            for line in _explain(query["sql"]):
                print(f"    {line}")
        for name, (counting, materialized, jit_off) in variants.items():
            if jit_off:
                continue
            sql, sql_params = coordination_sql(year, counting, materialized)
            print(f"\nPlan of the hand-written SQL, {name}:\n{sql}")
            for line in _explain(sql, sql_params):
                print(f"    {line}")
    return 0 if all(met for _name, met in goals) else 1


if __name__ == "__main__":
    sys.exit(main())
