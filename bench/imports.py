"""How fast is the import of nominations? (docs/performance.md, "Nomination import")

    python -m bench.imports [--database-url URL] [--rows 10000] [--seed 2026] [--repeat 3]
                            [--profile FILE] [--debug]

Generates a workbook of ``--rows`` fictional candidates (seeded), creates a fresh database
(a temporary SQLite file, or with ``--database-url postgres://...`` a new PostgreSQL
database next to the one named, dropped at the end), migrates it, adds a province with
localities, the programs with the shipped standards and the year's plan. Then, ``--repeat``
times, interleaved so that a busy moment of the shared machine falls on all of them:

- a bare openpyxl read-only pass over the file (``iter_rows(values_only=True)``);
- ``import_applications`` of the file into the empty plan (every row created);
- the same file again (every row unchanged, nothing written);

and deletes what the import wrote before the next round, so that each import really
creates every row. Goal (issue 21): the median import within 3x the bare read of its own
round, and under 20 s; the exit status is 1 when it is missed. The import runs with DEBUG
off, as served (``--debug``: on). ``--profile FILE`` also writes a cProfile of one more
import (after the rounds) to FILE.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.machine import engine_version, machine
from daotao.lib.liveserver import LiveServer

GOAL_SECONDS = 20.0
GOAL_RATIO = 3.0
YEAR = 2026
LOCALITIES = 24


def _world() -> list[str]:
    """A province with its localities, the programs, the presets and the year's plan."""
    from daotao.admissions import presets
    from daotao.org.models import UnitKind
    from daotao.planning.models import AnnualPlan
    from daotao.programs.models import Program
    from daotao.testing import PROGRAMS, make_unit

    province = make_unit("BA", "Tỉnh Bình An", UnitKind.PROVINCE)
    codes = []
    for index in range(1, LOCALITIES + 1):
        district = make_unit(f"H{index:02d}", f"Huyện số {index}", UnitKind.DISTRICT, province)
        make_unit(f"X{index:02d}01", f"Xã số {index}", UnitKind.COMMUNE, district)
        codes += [district.code, f"X{index:02d}01"]
    for code, name, kind, category in PROGRAMS:
        Program.objects.create(code=code, name=name, kind=kind, category=category)
    presets.install()
    AnnualPlan.objects.create(year=YEAR, status="approved")
    return codes


def _bare_read(path: Path) -> int:
    """The floor: openpyxl's plain read-only pass over every row, values only."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = sum(1 for _ in book.active.iter_rows(values_only=True))
    book.close()
    return rows


def _timed(function, *args, **kwargs) -> tuple[object, float, float]:
    """What ``function`` returns, its wall time and the CPU time of this process (which on
    PostgreSQL leaves out the server's work)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def _clear() -> None:
    """Delete what an import wrote (the applications and their documents) and reclaim the
    space, so that the next import starts from the same empty tables."""
    from django.db import connection

    from daotao.admissions.models import Application, ApplicationDocument

    Application.objects.all().delete()  # their documents with them
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = (ApplicationDocument._meta.db_table, Application._meta.db_table)
            cursor.execute(f"VACUUM ANALYZE {', '.join(connection.ops.quote_name(t) for t in tables)}")
        else:
            cursor.execute("VACUUM")


def _quiet(done: int, total: int) -> None:
    """The progress callback the page's job passes, without the page."""


def _spread(values: list[float]) -> str:
    return f"{min(values):.2f}-{max(values):.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="postgres://... (a fresh database is created beside it)")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=3, help="rounds of (bare read, import, same file again)")
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of one more import to FILE")
    parser.add_argument(
        "--debug", action="store_true", help="with DEBUG on (Django's debug cursor logs every query and its values)"
    )
    options = parser.parse_args(argv)

    databases = LiveServer(options.database_url)  # only for its fresh database, dropped at the end
    url = databases._fresh_database()
    try:
        return _run(url, options)
    finally:
        from django.db import connections

        connections.close_all()
        databases._drop_database()


def _run(url: str, options) -> int:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "daotao.settings"
    # As the app server runs it (DEBUG is on by default outside production, and then every
    # value of every query is quoted again for the query log: SQLite's backend runs a
    # SELECT QUOTE(?) per 999 of them).
    os.environ["DAOTAO_DEBUG"] = "1" if options.debug else "0"
    import django

    django.setup()
    from django.core.management import call_command

    from daotao.accounts.scope import SYSTEM
    from daotao.admissions.importing import import_applications
    from daotao.admissions.models import Application, ApplicationDocument, Status
    from daotao.admissions.tests.workbooks import fictional_rows, workbook

    call_command("migrate", verbosity=0)
    localities = _world()
    started = time.perf_counter()
    content = workbook(fictional_rows(options.rows, localities, seed=options.seed))
    generated = time.perf_counter() - started
    path = Path(tempfile.mkdtemp(prefix="daotao-bench-xlsx-")) / "ho-so.xlsx"
    path.write_bytes(content)
    bares, imports, agains, loads, cpu_ratios = [], [], [], [], []
    try:
        print(f"machine:  {machine()}")
        print(f"database: {engine_version()}, DEBUG {'on' if options.debug else 'off'}")
        print(f"workbook: {options.rows} rows, {len(content) / 1_048_576:.1f} MB, generated in {generated:.1f} s")
        print("round  bare read   import   ratio  (CPU)   same file again   ratio   load average")
        for round_number in range(1, options.repeat + 1):
            if round_number > 1:
                _clear()
            read_rows, bare, bare_cpu = _timed(_bare_read, path)
            assert read_rows == options.rows + 1, read_rows
            result, imported, imported_cpu = _timed(import_applications, path, year=YEAR, user=SYSTEM, progress=_quiet)
            assert result.created == options.rows == Application.objects.count(), result
            documents = ApplicationDocument.objects.count()
            assert result.documents == documents > 0, (result, documents)
            again, repeated, _cpu = _timed(import_applications, path, year=YEAR, user=SYSTEM)
            assert (again.created, again.updated, again.unchanged) == (0, 0, options.rows), again
            load = os.getloadavg()[0]
            bares.append(bare), imports.append(imported), agains.append(repeated), loads.append(load)
            cpu_ratios.append(imported_cpu / bare_cpu)
            print(
                f"{round_number:5d}  {bare:7.2f} s  {imported:5.2f} s  {imported / bare:5.2f}x ({cpu_ratios[-1]:.2f}x)"
                f"   {repeated:13.2f} s   {repeated / bare:5.2f}x   {load:.2f}"
            )
        statuses = dict.fromkeys(Status.values, 0)
        for status in Application.objects.values_list("status", flat=True):
            statuses[status] += 1
        if options.profile:
            import cProfile

            _clear()
            cProfile.runctx(
                "import_applications(path, year=YEAR, user=SYSTEM)", globals(), locals(), filename=options.profile
            )
            print(f"profile of one more import: {options.profile}")
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)
    ratios = [imported / bare for imported, bare in zip(imports, bares, strict=True)]
    again_ratios = [repeated / bare for repeated, bare in zip(agains, bares, strict=True)]
    ratio, median_import = statistics.median(ratios), statistics.median(imports)
    print(f"bare openpyxl read-only pass: median {statistics.median(bares):5.2f} s  ({_spread(bares)} s)")
    print(
        f"import (all rows created):    median {median_import:5.2f} s  ({_spread(imports)} s)"
        f"   ratio median {ratio:.2f}x ({_spread(ratios)}x)"
    )
    print(
        f"same file again (unchanged):  median {statistics.median(agains):5.2f} s  ({_spread(agains)} s)"
        f"   ratio median {statistics.median(again_ratios):.2f}x ({_spread(again_ratios)}x)"
    )
    print(f"CPU time of this process, import / bare read: median {statistics.median(cpu_ratios):.2f}x")
    print(f"load average during the rounds: {_spread(loads)}")
    print(f"statuses: {', '.join(f'{k} {v}' for k, v in statuses.items() if v)}")
    met = median_import < GOAL_SECONDS and ratio <= GOAL_RATIO
    print(
        f"goal (median import < {GOAL_SECONDS:.0f} s and <= {GOAL_RATIO:.0f}x the bare read): "
        f"{'met' if met else 'MISSED'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
