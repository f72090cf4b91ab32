"""What does the board's dashboard cost over the counting engine it asks? (docs/performance.md)

    python -m bench.dashboard [--database-url URL] [--size 100k|1m|10m] [--enrollments N] [--cohorts N]
                              [--years N] [--repeat 9] [--year Y]

On the synthetic province of ``bench.reports`` (the same database, generated or reused by
its ``ensure_dataset``), times ``board_dashboard(year, SYSTEM)`` and, interleaved with it
run for run, the engine alone on the same counts (``engine.count_many`` of the dashboard's
own specs, ``board.engine_specs``), after one warm-up of each; prints the median and the
spread (fastest to slowest) of both and their ratio, and counts the dashboard's queries
here and on a ten times smaller dataset (in a subprocess).

The synthetic province has classes, students, plans and quotas but no graduation decision,
evaluation round or career event: those parts of the dashboard run their queries on empty
tables here (their cost on the demo is in the tests' query count).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time

from bench.machine import engine_version, machine
from bench.reports import (
    _configure,
    _data_size,
    _session_jit,
    _thousands,
    add_dataset_arguments,
    dataset_params,
    ensure_dataset,
    parsed,
    small_query_count,
)

GOAL_SECONDS = 0.5  # the board's dashboard on 10.000.000 enrollments (issue 21)


def query_count(year: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from daotao.accounts.scope import SYSTEM
    from daotao.dashboards.board import board_dashboard

    with CaptureQueriesContext(connection) as queries:
        board_dashboard(year, SYSTEM)
    return len(queries.captured_queries)


def interleaved(runs: dict, repeat: int) -> dict[str, list[float]]:
    """Seconds of each run, ``repeat`` times, taking turns (one warm-up of each first), so
    that a slow moment of the shared machine falls on both."""
    for run in runs.values():
        run()
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            started = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - started)
    return times


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.dashboard", description=__doc__.split("\n\n")[0])
    add_dataset_arguments(parser, repeat=9)
    return parsed(parser, argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    _configure(args.database_url)
    params = dataset_params(args)
    out = sys.stderr if args.query_count_only else sys.stdout
    marker = ensure_dataset(params, out)

    from django.db import connection

    from daotao.accounts.scope import SYSTEM
    from daotao.cohorts.access import cohorts_seen_whole
    from daotao.dashboards import board
    from daotao.dashboards.board import board_dashboard, engine_specs
    from daotao.reports import engine

    year = args.year
    if args.query_count_only:
        board_dashboard(year, SYSTEM)
        print(json.dumps({"queries": query_count(year), "enrollments": _data_size()["enrollments"]}))
        return 0

    if args.no_jit and connection.vendor == "postgresql":
        _session_jit("off")()
    specs = engine_specs(year)
    shown = board_dashboard(year, SYSTEM)
    # The dashboard's engine figures are the engine's: checked before anything is timed.
    counts = engine.count_many(specs, SYSTEM)
    if shown.months != counts[-12:] or shown.key.opened != counts[1]:
        raise AssertionError("The dashboard's figures differ from the engine's")
    today = dt.date.today()
    load_before = os.getloadavg()[0]
    runs = {
        "dashboard": lambda: board_dashboard(year, SYSTEM),
        "engine": lambda: engine.count_many(specs, SYSTEM),
        # The other parts, each alone (what the dashboard adds to the engine).
        "quota": lambda: board.quota_of_year(year, SYSTEM),
        "graduation": lambda: board.graduation_of_year(year, SYSTEM),
        "coverage": lambda: board.coverage_figures(year, cohorts_seen_whole(SYSTEM)),
        "outcomes": lambda: board.outcomes_of_year(year, SYSTEM, today),
    }
    times = interleaved(runs, args.repeat)
    load_after = os.getloadavg()[0]
    queries = query_count(year)
    size = _data_size()
    small = None if args.no_small else small_query_count(args, params, "bench.dashboard")

    ms = 1000
    dashboard, alone = statistics.median(times["dashboard"]), statistics.median(times["engine"])
    print()
    print(f"database     {engine_version()}, {connection.settings_dict['NAME']}, {size['bytes'] / 2**20:.0f} MiB")
    print(
        f"data         {_thousands(size['classes'])} classes, {_thousands(size['students'])} students, "
        f"{_thousands(size['enrollments'])} enrollments (generated in {marker.get('generated_in', '?')} s)"
    )
    print(f"year         {year}: {shown.key.active.classes} classes ran in it, {shown.key.opened.classes} opened")
    print(
        f"timing       median (fastest–slowest) of {args.repeat} interleaved runs after one warm-up of each; "
        f"load average {load_before:.2f} before, {load_after:.2f} after"
    )
    for name, label in (
        ("dashboard", f"board_dashboard({year}, SYSTEM)"),
        ("engine", f"count_many, {len(specs)} specs"),
    ):
        print(
            f"{name:12} {label}: {statistics.median(times[name]) * ms:.1f} ms "
            f"({min(times[name]) * ms:.1f}–{max(times[name]) * ms:.1f})"
        )
    print(f"ratio        dashboard / engine = {dashboard / alone:.2f}")
    parts = ", ".join(f"{name} {statistics.median(times[name]) * ms:.1f}" for name in list(runs)[2:])
    print(f"parts        alone, median ms: {parts}")
    print(f"machine      {machine()}")
    line = f"query count  {queries} on {_thousands(size['enrollments'])} enrollments"
    if small:
        line += f", {small[0]} on {_thousands(small[1])}: {'constant' if small[0] == queries else 'NOT CONSTANT'}"
    print(line)
    goals = [(f"dashboard under {GOAL_SECONDS * 1000:.0f} ms", dashboard < GOAL_SECONDS)]
    if small:
        goals.append(("constant query count", small[0] == queries))
    print("goals        " + "; ".join(f"{name}: {'yes' if met else 'NO'}" for name, met in goals))
    return 0 if all(met for _name, met in goals) else 1


if __name__ == "__main__":
    sys.exit(main())
