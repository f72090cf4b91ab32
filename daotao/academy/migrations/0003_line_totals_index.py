"""The programs' totals of the packages' lines (mode, funding and locality "every value",
stored as ""), which the national dashboard and most questions read: about 1% of the lines,
in a partial index of their own by package and relation. On PostgreSQL it also holds the
columns those sums read (``INCLUDE``), so that they are read from the index alone once the
table has been vacuumed: the dashboard's two sums over 1.300.000 lines took 5 and 11 ms
instead of 32 and 35 ms (docs/performance.md, "The national dashboard"). SQLite has no
covering indexes: there it is the partial index alone."""

from django.db import migrations

NAME = "academy_line_totals"
WHERE = "mode = '' AND funding = '' AND locality = ''"


def create(apps, schema_editor):
    include = " INCLUDE (program, program_kind, classes, students)"
    if schema_editor.connection.vendor != "postgresql":
        include = ""
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {NAME} ON academy_figureline (package_id, relation){include} WHERE {WHERE}"
    )


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("academy", "0002_grants"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
