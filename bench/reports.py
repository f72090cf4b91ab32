"""How fast is the yearly report on a large province? (docs/performance.md)

    python -m bench.reports [--database-url URL] [--enrollments N] [--cohorts N] [--years N]
                            [--repeat 5] [--year Y] [--explain]

Fills a database with ``gen_synthetic`` (default: the SQLite file bench/synthetic.sqlite3;
reused while the generation parameters are unchanged, regenerated otherwise), checks that one
hand-written SQL query gives exactly the numbers of the built-in report (its lines and
its quota table), then times
``annual_report(year, SYSTEM)`` against that query (median of --repeat runs after one
warm-up) and counts the report's queries, here and on a ten times smaller dataset.
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
from collections.abc import Callable
from pathlib import Path

from bench.machine import engine_version, machine

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = ROOT / "bench" / "synthetic.sqlite3"
MARKER_TABLE = "bench_dataset"
GOAL_SECONDS = 1.0
GOAL_RATIO = 2.0

# The lines of the built-in template "coordination-yearly" (daotao/reports/builtin.py).
LINE_KEYS = ("tc_opened", "tc_supported", "tc_self_funded", "tc_carried_over", "tc_active", "bd_cv", "bd_ldp", "bd_btx")

# The report's numbers in one statement: its 8 lines and its quota table.
# Every line counts cohorts that touch the year (opened on or before its end, not closed
# before its start), so one pass over those cohorts answers all of them. Each cohort's
# students are counted once, from the (cohort_id, status) index; MATERIALIZED keeps the
# database from re-running that count for every line that refers to it. The quota rows
# compare each locality's plan, line by line (program and funding), with the classes of
# that program and funding opened under it in that locality or below, summed per locality
# and program (docs/counting.md, "Quota achievement").
COORDINATION_SQL = """
WITH touching AS {materialized}(
    SELECT c.id, c.program_id, c.opening_date, p.code AS program, c.mode, c.funding,
           CASE WHEN c.opening_date >= %(start)s THEN 1 ELSE 0 END AS opened,
           (SELECT COUNT(*) FROM cohorts_enrollment e
             WHERE e.cohort_id = c.id AND e.status <> 'cancelled') AS students
      FROM cohorts_cohort c
      JOIN programs_program p ON p.id = c.program_id
     WHERE c.status <> 'cancelled'
       AND c.opening_date <= %(end)s
       AND (c.closing_date IS NULL OR c.closing_date >= %(start)s)
       AND p.code IN ('TC-LLCT-HC', 'BD-CV', 'BD-CVC', 'BD-LDP', 'BD-BTX')
), flagged AS (
    SELECT id, program_id, opening_date, students, opened,
           CASE WHEN program = 'TC-LLCT-HC' AND mode = 'non_concentrated' THEN 1 ELSE 0 END AS tc,
           CASE WHEN funding = 'supported' THEN 1 ELSE 0 END AS supported,
           CASE WHEN funding = 'self_funded' THEN 1 ELSE 0 END AS self_funded,
           CASE WHEN program IN ('BD-CV', 'BD-CVC') THEN 1 ELSE 0 END AS bd_cv,
           CASE WHEN program = 'BD-LDP' THEN 1 ELSE 0 END AS bd_ldp,
           CASE WHEN program = 'BD-BTX' THEN 1 ELSE 0 END AS bd_btx
      FROM touching
), moves AS (
    -- A transferred-out enrollment is left out of a line that also counts the class the
    -- student moved to: another counted enrollment in the same program, not itself
    -- transferred out of a class opened earlier (docs/counting.md).
    SELECT e.id,
           MAX(fc.tc * fc.opened * fd.tc * fd.opened) AS tc_opened,
           MAX(fc.tc * fc.opened * fc.supported * fd.tc * fd.opened * fd.supported) AS tc_supported,
           MAX(fc.tc * fc.opened * fc.self_funded * fd.tc * fd.opened * fd.self_funded) AS tc_self_funded,
           MAX(fc.tc * (1 - fc.opened) * fd.tc * (1 - fd.opened)) AS tc_carried_over,
           MAX(fc.tc * fd.tc) AS tc_active,
           MAX(fc.bd_cv * fc.opened * fd.bd_cv * fd.opened) AS bd_cv,
           MAX(fc.bd_ldp * fc.opened * fd.bd_ldp * fd.opened) AS bd_ldp,
           MAX(fc.bd_btx * fc.opened * fd.bd_btx * fd.opened) AS bd_btx
      FROM cohorts_enrollment e
      JOIN flagged fc ON fc.id = e.cohort_id
      JOIN cohorts_enrollment o
        ON o.student_id = e.student_id AND o.cohort_id <> e.cohort_id AND o.status <> 'cancelled'
      JOIN flagged fd ON fd.id = o.cohort_id AND fd.program_id = fc.program_id
     WHERE e.status = 'transferred'
       AND (o.status <> 'transferred' OR fd.opening_date > fc.opening_date
            OR (fd.opening_date = fc.opening_date AND fd.id > fc.id))
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
    SELECT u.path, c.program_id, c.funding, COUNT(*) AS classes,
           SUM((SELECT COUNT(*) FROM cohorts_enrollment e
                 WHERE e.cohort_id = c.id AND e.status <> 'cancelled')) AS students
      FROM cohorts_cohort c
      JOIN org_unit u ON u.id = c.host_locality_id
     WHERE c.status <> 'cancelled' AND c.plan_year = %(year)s
       AND c.program_id IN (SELECT program_id FROM planned)
     GROUP BY u.path, c.program_id, c.funding
), lines AS (
    SELECT pl.locality, pl.program, pl.classes AS planned_classes, pl.students AS planned_students,
           COALESCE(SUM(ac.classes), 0) AS classes, COALESCE(SUM(ac.students), 0) AS students
      FROM planned pl
      LEFT JOIN actual ac
        ON ac.program_id = pl.program_id AND ac.funding = pl.funding AND ac.path LIKE pl.path || '%%'
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


def coordination_counts_sql(year: int) -> dict:
    """The built-in yearly report's numbers in one hand-written query: each line as
    (classes, students), each quota row as (planned classes, planned students, classes
    opened, students enrolled)."""
    from django.db import connection

    result: dict = {"lines": {}, "quota": {}}
    with connection.cursor() as cursor:
        cursor.execute(*coordination_sql(year))
        for kind, locality, program, *figures in cursor.fetchall():
            if kind == "line":
                row = [int(value or 0) for value in figures]
                result["lines"] = {key: (row[2 * i], row[2 * i + 1]) for i, key in enumerate(LINE_KEYS)}
            else:
                result["quota"][(locality, program)] = tuple(int(value) for value in figures[:4])
    return result


def coordination_sql(year: int) -> tuple[str, dict]:
    from django.db import connection

    materialized = "MATERIALIZED "  # PostgreSQL 12+, SQLite 3.35+
    if connection.vendor == "sqlite":
        import sqlite3

        if sqlite3.sqlite_version_info < (3, 35):
            materialized = ""
    params = {"start": dt.date(year, 1, 1), "end": dt.date(year, 12, 31), "year": year}
    return COORDINATION_SQL.format(materialized=materialized), params


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


def _read_marker() -> dict | None:
    from django.db import connection

    if MARKER_TABLE not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT params FROM {MARKER_TABLE}")
        row = cursor.fetchone()
    return json.loads(row[0]) if row else None


def _write_marker(marker: dict) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (params TEXT NOT NULL)")
        cursor.execute(f"DELETE FROM {MARKER_TABLE}")
        cursor.execute(f"INSERT INTO {MARKER_TABLE} (params) VALUES (%s)", [json.dumps(marker)])


def ensure_dataset(params: dict, out=sys.stdout) -> dict:
    """The marker of a database holding the synthetic province of ``params``: generated when
    the database is empty, regenerated when the benchmark filled it with other parameters.
    A database with classes of its own is never touched."""
    from django.core.management import call_command
    from django.db import connection

    from daotao.cohorts.models import Cohort

    marker = _read_marker()
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
    _write_marker(marker)
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


def timed(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(median, fastest) seconds of ``repeat`` runs after one warm-up run."""
    run()  # warm-up: connection, caches, statement preparation
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), min(times)


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
    parser.add_argument("--database-url", default=f"sqlite:///{DEFAULT_SQLITE}")
    parser.add_argument("--enrollments", type=int, default=1_000_000)
    parser.add_argument("--cohorts", type=int, default=15_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--first-year", type=int, default=2016)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=repeat)
    parser.add_argument("--year", type=int, help="the year to report (default: the middle year)")
    parser.add_argument("--small-database-url", help="where the 10x smaller dataset lives (default: a sibling)")
    parser.add_argument("--no-small", action="store_true", help="skip the query count on the smaller dataset")


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
    add_dataset_arguments(parser, repeat=5)
    parser.add_argument("--no-jit", action="store_true", help="PostgreSQL: SET jit = off for this session")
    parser.add_argument("--explain", action="store_true", help="print the query plans of the report and the SQL")
    return parsed(parser, argv)


def parsed(parser: argparse.ArgumentParser, argv=None) -> argparse.Namespace:
    """The arguments of a benchmark on the synthetic dataset, with ``--query-count-only``
    (the test's) and the year by default in the middle of the dataset's years."""
    parser.add_argument("--query-count-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.year is None:
        args.year = args.first_year + (args.years - 1) // 2
    return args


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
    if args.no_jit and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET jit = off")

    year = args.year
    report = annual_report(year, SYSTEM)
    expected, by_sql = report_counts(report), coordination_counts_sql(year)
    if expected != by_sql:
        raise AssertionError(f"The hand-written SQL disagrees with the report for {year}: {by_sql} != {expected}")

    lines = list(ReportTemplate.objects.get(code=BUILTIN_TEMPLATE).lines.select_related("locality").order_by("order"))
    specs = [engine.CountSpec(engine.Period.year(year), line.relation, line.cohort_filter()) for line in lines]
    report_time, report_best = timed(lambda: annual_report(year, SYSTEM), args.repeat)
    lines_time, lines_best = timed(lambda: engine.count_many(specs, SYSTEM), args.repeat)
    sql_time, sql_best = timed(lambda: coordination_counts_sql(year), args.repeat)
    with CaptureQueriesContext(connection) as captured:
        annual_report(year, SYSTEM)
    queries = captured.captured_queries
    size = _data_size()
    small = None if args.no_small else small_query_count(args, params)

    ms = 1000
    print()
    print(f"database     {engine_version()}, {connection.settings_dict['NAME']}, {size['bytes'] / 2**20:.0f} MiB")
    print(
        f"data         {_thousands(size['classes'])} classes, {_thousands(size['students'])} students, "
        f"{_thousands(size['enrollments'])} enrollments (generated in {marker.get('generated_in', '?')} s)"
    )
    print(f"timing       year {year}, median (fastest) of {args.repeat} runs after one warm-up")
    print(
        f"report       annual_report({year}, SYSTEM): {report_time * ms:.1f} ms ({report_best * ms:.1f}) "
        f"in {len(queries)} queries"
    )
    for query in queries:
        print(f"               {float(query['time']) * ms:7.1f} ms  {query['sql'][:90]}")
    print(f"lines only   engine.count_many (the 8 lines): {lines_time * ms:.1f} ms ({lines_best * ms:.1f})")
    quota_rows = len(by_sql["quota"])
    print(
        f"SQL          one hand-written query, the 8 lines and the {quota_rows} quota rows: "
        f"{sql_time * ms:.1f} ms ({sql_best * ms:.1f}), numbers checked equal"
    )
    print(f"ratio        report / SQL = {report_time / sql_time:.2f}")
    print(f"machine      {machine()}")
    if small:
        constant = "constant" if small[0] == len(queries) else "NOT CONSTANT"
        print(
            f"query count  {len(queries)} on {_thousands(size['enrollments'])} enrollments, "
            f"{small[0]} on {_thousands(small[1])}: {constant}"
        )
    goals = [
        ("report under 1 s", report_time < GOAL_SECONDS),
        ("report within 2x SQL", report_time <= GOAL_RATIO * sql_time),
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
        sql, sql_params = coordination_sql(year)
        print(f"\nPlan of the hand-written SQL:\n{sql}")
        for line in _explain(sql, sql_params):
            print(f"    {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
