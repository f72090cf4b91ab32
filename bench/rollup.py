"""How does the Academy's national dashboard hold with every school's packages? (docs/performance.md)

    python -m bench.rollup [--database-url postgres://…/daotao_rollup] [--schools 34] [--years 10]
                           [--programs 15] [--localities 30] [--classes 180] [--repeat 15] [--regenerate]

PostgreSQL only (the Academy's deployment). Generates ``--schools`` schools × ``--years``
calendar years of synthetic signed packages (``academy/synthetic.py``, ``realistic_year``:
``--programs`` programs and ``--localities`` localities a school, ``--classes`` classes
opened a year and about as many carried over, with every line the format holds, a quota
year and graduates), registers the schools' keys and imports every package through
``import_figures``' service (``academy/importing.py``, ``figures_import``: read, checked,
signature verified, totals recomputed, written, audited), timing each import. The database
is reused while the generation parameters are unchanged (``--regenerate`` to import again).

Then, as the Academy's training office, with ``DAOTAO_ROLE=academy``, times the national
dashboard of the middle year rendered through the test client (``GET /academy/?period=Y``:
middleware, session, the figures, three sections with their charts, the template) and,
interleaved with it run for run after one warm-up of each, the baseline: the same rows
read and summed by three hand-written SQL statements (the period's programs' totals per
school, its quota lines per school, the totals of every calendar year). Prints the median
and the spread (fastest–slowest) of both, their ratio, ``national_dashboard`` alone, and
the page's queries with every school and with ten of them (the others' packages deleted
in a transaction rolled back). Exit status 1 when the page takes 1 s or more or the
number of queries differs.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.dashboard import interleaved
from bench.machine import engine_version, machine
from bench.reports import _configure as configure_django
from bench.reports import _thousands, read_marker, write_marker

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 1.0
MARKER_TABLE = "bench_rollup"
FEW_SCHOOLS = 10

BASELINE_SQL = (
    # The period's programs' totals per school, by relation and kind (the schools' table).
    """
    SELECT p.school_id, l.relation, l.program_kind, SUM(l.classes), SUM(l.students)
      FROM academy_figureline l JOIN academy_figurespackage p ON p.id = l.package_id
     WHERE p.period_from = %(start)s AND p.period_to = %(end)s
       AND l.mode = '' AND l.funding = '' AND l.locality = '' AND l.relation IN ('opened', 'active')
     GROUP BY 1, 2, 3
    """,
    # The period's quota lines per school (the provinces' quota).
    """
    SELECT p.school_id, SUM(q.planned), SUM(q.achieved), COUNT(*), COUNT(*) FILTER (WHERE q.achieved < q.planned)
      FROM academy_quotaline q JOIN academy_figurespackage p ON p.id = q.package_id
     WHERE p.period_from = %(start)s AND p.period_to = %(end)s
     GROUP BY 1
    """,
    # The totals of every calendar year (the trend).
    """
    SELECT p.calendar_year, l.relation, SUM(l.classes), SUM(l.students)
      FROM academy_figureline l JOIN academy_figurespackage p ON p.id = l.package_id
     WHERE p.calendar_year IS NOT NULL AND l.mode = '' AND l.funding = '' AND l.locality = ''
       AND l.relation IN ('opened', 'carried_over', 'active', 'closed')
     GROUP BY 1, 2
    """,
)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.rollup", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/daotao_rollup")
    parser.add_argument("--schools", type=int, default=34)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--first-year", type=int, default=2016)
    parser.add_argument("--programs", type=int, default=15)
    parser.add_argument("--localities", type=int, default=30)
    parser.add_argument("--classes", type=int, default=180, help="classes opened a year by a school")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--regenerate", action="store_true", help="import every package again")
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.exit(
            2,
            "bench.rollup runs on PostgreSQL only (the Academy's database): give --database-url postgres://…\n",
        )
    if args.schools <= FEW_SCHOOLS:
        parser.exit(2, f"--schools must be more than {FEW_SCHOOLS} (the query count compares {FEW_SCHOOLS}).\n")
    return args


def _configure(args) -> None:
    os.environ["DAOTAO_ROLE"] = "academy"
    # The copies import_figures keeps of each file (audit/imports.py), out of the checkout.
    os.environ.setdefault("DAOTAO_MEDIA_ROOT", str(Path(tempfile.gettempdir()) / "daotao-bench-rollup-media"))
    configure_django(args.database_url)


def _params(args) -> dict:
    keys = ("schools", "years", "first_year", "programs", "localities", "classes", "seed")
    return {key: getattr(args, key) for key in keys}


def generate(args, out=sys.stdout) -> dict:
    """Register the schools and import their packages (see the module); the seconds each
    import took."""
    from django.db import connection

    from daotao.academy import synthetic
    from daotao.academy.importing import figures_import
    from daotao.academy.models import FiguresPackage, RegisteredSchool
    from daotao.lib import signing

    FiguresPackage.objects.all().delete()
    RegisteredSchool.objects.all().delete()
    rng = random.Random(args.seed)
    programs = synthetic.realistic_programs(args.programs)
    localities = synthetic.realistic_localities(args.localities)
    times, sizes, started = [], [], time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="daotao-rollup-") as folder:
        for number in range(args.schools):
            key = signing.new_private_key()
            code = f"T{number + 1:02d}"
            school = RegisteredSchool(
                code=code,
                name=f"Trường Chính trị tỉnh Số {number + 1}",
                province=f"Tỉnh Số {number + 1}",
                public_key=signing.public_key_text(key),
            )
            school.full_clean()
            school.save()
            for year in range(args.first_year, args.first_year + args.years):
                document = synthetic.realistic_year(
                    key, rng, name=school.name, province=school.province, year_number=year, programs=programs,
                    localities=localities, classes_per_year=args.classes,
                )  # fmt: skip
                path = Path(folder) / f"{code}-{year}.json"
                path.write_bytes(synthetic.file_bytes(document))
                sizes.append(path.stat().st_size)
                begun = time.perf_counter()
                figures_import(path)
                times.append(time.perf_counter() - begun)
            print(f"  {code}: {args.years} packages imported", file=out)
    # What autovacuum does after such inserts: the statistics, and the visibility map that
    # lets the programs' totals be read from their index alone.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {
        "generated_in": round(time.perf_counter() - started, 1),
        "import_median": statistics.median(times),
        "import_max": max(times),
        "size_median": statistics.median(sizes),
    }


def page_queries(client, address: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200, response.status_code
    return len(queries.captured_queries)


def few_schools_queries(client, address: str, period) -> tuple[int, int]:
    """The page's queries with only ``FEW_SCHOOLS`` schools (the others deleted, then
    restored by rolling back), and how many schools it then shows."""
    from django.db import transaction

    from daotao.academy.dashboard import national_dashboard
    from daotao.academy.models import FiguresPackage, RegisteredSchool

    with transaction.atomic():
        others = list(RegisteredSchool.objects.order_by("code").values_list("pk", flat=True)[FEW_SCHOOLS:])
        FiguresPackage.objects.filter(school__in=others).delete()
        RegisteredSchool.objects.filter(pk__in=others).delete()
        shown = len(national_dashboard(period).schools)
        count = page_queries(client, address)
        transaction.set_rollback(True)
    return count, shown


def main(argv=None) -> int:
    args = parse_args(argv)
    _configure(args)

    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from daotao.academy.dashboard import national_dashboard
    from daotao.academy.models import FigureLine, FiguresPackage, QuotaLine
    from daotao.academy.stats import Period
    from daotao.accounts import roles
    from daotao.accounts.models import User

    call_command("migrate", verbosity=0)
    params = _params(args)
    marker = read_marker(MARKER_TABLE)
    if args.regenerate or marker is None or {key: marker.get(key) for key in params} != params:
        print(f"Importing {args.schools} schools × {args.years} years of packages ...")
        marker = {**params, **generate(args)}
        write_marker(marker, MARKER_TABLE)
    user, _created = User.objects.get_or_create(username="bench.rollup")
    user.groups.add(Group.objects.get_or_create(name=roles.TRAINING_OFFICE)[0])
    client = Client()
    client.force_login(user)
    year = args.first_year + (args.years - 1) // 2
    period = Period.parse(str(year))
    address = f"{reverse('academy:national')}?period={year}"
    bounds = {"start": period.start, "end": period.end}

    def page():
        response = client.get(address)
        assert response.status_code == 200, response.status_code

    def baseline():
        with connection.cursor() as cursor:
            for sql in BASELINE_SQL:
                cursor.execute(sql, bounds)
                cursor.fetchall()

    runs = {"page": page, "baseline": baseline, "figures": lambda: national_dashboard(period)}
    load_before = os.getloadavg()[0]
    times = interleaved(runs, args.repeat)
    load_after = os.getloadavg()[0]
    queries = page_queries(client, address)
    few, shown = few_schools_queries(client, address, period)
    board = national_dashboard(period)

    ms = 1000
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        size = cursor.fetchone()[0]
    print()
    print(f"database     {engine_version()}, {connection.settings_dict['NAME']}, {size / 2**20:.0f} MiB")
    print(
        f"data         {args.schools} schools × {args.years} years: {FiguresPackage.objects.count()} packages, "
        f"{_thousands(FigureLine.objects.count())} lines, {_thousands(QuotaLine.objects.count())} quota lines"
    )
    print(
        f"import       {marker['import_median'] * ms:.0f} ms a package (median; slowest "
        f"{marker['import_max'] * ms:.0f} ms), {marker['size_median'] / 2**10:.0f} KiB a file; "
        f"all in {marker['generated_in']} s"
    )
    print(
        f"page         /academy/?period={year}: {len(board.schools)} schools, {board.running.classes} classes running, "
        f"{len(board.trend)} years in the trend"
    )
    print(
        f"timing       median (fastest–slowest) of {args.repeat} interleaved runs after one warm-up of each; "
        f"load average {load_before:.2f} before, {load_after:.2f} after"
    )
    for name, label in (
        ("page", "the dashboard rendered (test client, as the office)"),
        ("baseline", "the same rows summed by 3 SQL statements"),
        ("figures", "national_dashboard() alone"),
    ):
        spread = times[name]
        print(
            f"{name:12} {label}: {statistics.median(spread) * ms:.1f} ms "
            f"({min(spread) * ms:.1f}–{max(spread) * ms:.1f})"
        )
    ratio = statistics.median(times["page"]) / statistics.median(times["baseline"])
    print(f"ratio        page / baseline = {ratio:.1f}")
    print(f"machine      {machine()}")
    constant = few == queries
    print(
        f"query count  {queries} with {args.schools} schools, {few} with {shown}: "
        f"{'constant' if constant else 'NOT CONSTANT'}"
    )
    under = statistics.median(times["page"]) < GOAL_SECONDS
    print(
        f"goals        page under {GOAL_SECONDS * ms:.0f} ms: {'yes' if under else 'NO'}; "
        f"constant query count: {'yes' if constant else 'NO'}"
    )
    return 0 if under and constant else 1


if __name__ == "__main__":
    sys.exit(main())
