"""How fast is the import of nominations? (docs/performance.md, "Nomination import")

    python -m bench.imports [--database-url URL] [--rows 10000] [--seed 2026]

Generates a workbook of ``--rows`` fictional candidates (seeded), creates a fresh database
(a temporary SQLite file, or with ``--database-url postgres://...`` a new PostgreSQL
database next to the one named, dropped at the end), migrates it, adds a province with
localities, the Trung cấp program with the shipped standards and the year's plan, then
times ``import_applications`` against a bare openpyxl read-only pass over the same file,
and once more on the same file (which must change nothing). Goal: under 20 s and within
4x the bare read.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.machine import engine_version, machine
from daotao.lib.liveserver import LiveServer

GOAL_SECONDS = 20.0
GOAL_RATIO = 4.0
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


def _bare_read(path: Path) -> tuple[float, int]:
    import openpyxl

    started = time.perf_counter()
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = sum(1 for _ in book.active.iter_rows(values_only=True))
    book.close()
    return time.perf_counter() - started, rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="postgres://... (a fresh database is created beside it)")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
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
    import django

    django.setup()
    from django.core.management import call_command
    from django.core.management.base import OutputWrapper

    from daotao.accounts.scope import SYSTEM
    from daotao.admissions.importing import import_applications
    from daotao.admissions.management.commands.import_applications import ProgressBar
    from daotao.admissions.models import Application, Status
    from daotao.admissions.tests.workbooks import fictional_rows, workbook

    call_command("migrate", verbosity=0)
    localities = _world()
    started = time.perf_counter()
    content = workbook(fictional_rows(options.rows, localities, seed=options.seed))
    generated = time.perf_counter() - started
    path = Path(tempfile.mkdtemp(prefix="daotao-bench-xlsx-")) / "ho-so.xlsx"
    path.write_bytes(content)
    try:
        print(f"machine:  {machine()}")
        print(f"database: {engine_version()}")
        print(f"workbook: {options.rows} rows, {len(content) / 1_048_576:.1f} MB, generated in {generated:.1f} s")
        bare, read_rows = _bare_read(path)
        assert read_rows == options.rows + 1, read_rows
        started = time.perf_counter()
        result = import_applications(path, year=YEAR, user=SYSTEM, progress=ProgressBar(OutputWrapper(sys.stderr)))
        imported = time.perf_counter() - started
        assert result.created == options.rows == Application.objects.count(), result
        started = time.perf_counter()
        again = import_applications(path, year=YEAR, user=SYSTEM)
        repeated = time.perf_counter() - started
        assert (again.created, again.updated, again.unchanged) == (0, 0, options.rows), again
        statuses = dict.fromkeys(Status.values, 0)
        for status in Application.objects.values_list("status", flat=True):
            statuses[status] += 1
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)
    ratio = imported / bare
    print(f"bare openpyxl read-only pass: {bare:6.2f} s")
    print(f"import (all rows created):    {imported:6.2f} s   ratio {ratio:.2f}x")
    print(f"same file again (unchanged):  {repeated:6.2f} s   ratio {repeated / bare:.2f}x")
    print(f"statuses: {', '.join(f'{k} {v}' for k, v in statuses.items() if v)}")
    met = imported < GOAL_SECONDS and ratio <= GOAL_RATIO
    print(f"goal (< {GOAL_SECONDS:.0f} s and <= {GOAL_RATIO:.0f}x the bare read): {'met' if met else 'MISSED'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
