"""Covering indexes for the reports' counting statements, on PostgreSQL only.

The counting statement (``reports.engine._counting_query``) reads the classes of a period
(opened on or before its end, not closed before its start) with the columns its flags and
sums need: ``cohort_counting`` holds them by opening date. The transfer rule (the engine's
and the quota table's, docs/counting.md) looks up the class of each other enrollment of a
student who transferred: ``enrollment_by_student`` finds them with their class and status,
and ``cohort_counting_by_id`` holds the class's columns by class. From them PostgreSQL
answers without visiting the tables: on 10.000.000 enrollments the yearly report takes
about 127 ms instead of 175 ms, the board's counting statement 260 ms instead of 355 ms
(docs/performance.md). SQLite has no covering indexes (``INCLUDE``): there they would
only repeat the primary key, the index on ``opening_date`` and the unique constraint's
index on (student, class), so they are not made.
"""

from django.db import migrations

# Every column of the class the counting statements read.
COLUMNS = (
    "id",
    "opening_date",
    "closing_date",
    "status",
    "plan_year",
    "program_id",
    "mode",
    "funding",
    "host_locality_id",
    "counted_enrollments",
)


# The indexes: their name, table, key column and included columns.
INDEXES = {
    "cohort_counting": ("cohorts_cohort", "opening_date", [c for c in COLUMNS if c != "opening_date"]),
    "cohort_counting_by_id": ("cohorts_cohort", "id", [c for c in COLUMNS if c != "id"]),
    "enrollment_by_student": ("cohorts_enrollment", "student_id", ["cohort_id", "status"]),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, key, included) in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({key}) INCLUDE ({', '.join(included)})")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0003_transferred_index"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
