"""Each class's count of counted enrollments, kept in ``Cohort.counted_enrollments``.

Reports count a class's students for every line and every quota (docs/counting.md); on a
province's history that is millions of enrollments counted again for each report. So the
class row carries the number of its enrollments that were not cancelled, and database
triggers on the enrollment table keep it true on every write, whatever writes: a form, an
import, the admin, the API, a data migration, ``gen_synthetic``'s ``COPY``, a raw statement.
A class's own status (cancelled classes count nobody) is applied when reading
(``cohorts.models.counted_students``), so cancelling a class changes nothing here.

- SQLite: three row triggers (insert, delete, update of status or class).
- PostgreSQL: three statement-level triggers with transition tables, so a statement that
  writes a million enrollments (a ``COPY``, a bulk insert) costs one grouped update of the
  classes it touched, not a million.

Rows are never copied from Python: ``Cohort.save`` leaves the column out of its UPDATE (an
instance read before an enrollment was added would otherwise write back its old count),
a restore recounts after loading (``recount``), and ``manage.py verify_counts`` compares
every class with a count of its enrollments and says which differ.

The triggers are created by the migration that added the column and again after every
``migrate`` if one is missing (SQLite drops a table's triggers when a migration rebuilds
the table): ``ensure_triggers``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections

from daotao.cohorts.models import COUNTED_ENROLLMENT_STATUSES, Cohort, Enrollment, EnrollmentStatus

log = logging.getLogger(__name__)

COHORT_TABLE = Cohort._meta.db_table
ENROLLMENT_TABLE = Enrollment._meta.db_table
COLUMN = Cohort._meta.get_field("counted_enrollments").column
# The one status that is not counted; the triggers test one value, so the rule must stay
# "every status but one".
NOT_COUNTED = EnrollmentStatus.CANCELLED.value
assert set(COUNTED_ENROLLMENT_STATUSES) == set(EnrollmentStatus.values) - {NOT_COUNTED}
TRIGGERS = (
    "cohorts_enrollment_counts_insert",
    "cohorts_enrollment_counts_delete",
    "cohorts_enrollment_counts_update",
)
_FUNCTION = "cohorts_enrollment_counts"

_SQLITE = [
    f"""CREATE TRIGGER IF NOT EXISTS {TRIGGERS[0]} AFTER INSERT ON {ENROLLMENT_TABLE}
    WHEN NEW.status <> '{NOT_COUNTED}'
    BEGIN
        UPDATE {COHORT_TABLE} SET {COLUMN} = {COLUMN} + 1 WHERE id = NEW.cohort_id;
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {TRIGGERS[1]} AFTER DELETE ON {ENROLLMENT_TABLE}
    WHEN OLD.status <> '{NOT_COUNTED}'
    BEGIN
        UPDATE {COHORT_TABLE} SET {COLUMN} = {COLUMN} - 1 WHERE id = OLD.cohort_id;
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {TRIGGERS[2]} AFTER UPDATE OF status, cohort_id ON {ENROLLMENT_TABLE}
    WHEN OLD.cohort_id <> NEW.cohort_id
        OR (OLD.status <> '{NOT_COUNTED}') <> (NEW.status <> '{NOT_COUNTED}')
    BEGIN
        UPDATE {COHORT_TABLE} SET {COLUMN} = {COLUMN} - (OLD.status <> '{NOT_COUNTED}')
            WHERE id = OLD.cohort_id;
        UPDATE {COHORT_TABLE} SET {COLUMN} = {COLUMN} + (NEW.status <> '{NOT_COUNTED}')
            WHERE id = NEW.cohort_id;
    END""",
]

# One function for the three triggers: each statement's rows are in its transition tables,
# grouped by class; classes whose count does not move are not written.
_POSTGRESQL_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE {COHORT_TABLE} AS c SET {COLUMN} = c.{COLUMN} + d.n
        FROM (SELECT cohort_id, count(*) AS n FROM new_rows
              WHERE status <> '{NOT_COUNTED}' GROUP BY cohort_id) AS d
        WHERE c.id = d.cohort_id;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE {COHORT_TABLE} AS c SET {COLUMN} = c.{COLUMN} - d.n
        FROM (SELECT cohort_id, count(*) AS n FROM old_rows
              WHERE status <> '{NOT_COUNTED}' GROUP BY cohort_id) AS d
        WHERE c.id = d.cohort_id;
    ELSE
        UPDATE {COHORT_TABLE} AS c SET {COLUMN} = c.{COLUMN} + d.n
        FROM (SELECT cohort_id, sum(n) AS n FROM (
                  SELECT cohort_id, count(*) AS n FROM new_rows
                  WHERE status <> '{NOT_COUNTED}' GROUP BY cohort_id
                  UNION ALL
                  SELECT cohort_id, -count(*) AS n FROM old_rows
                  WHERE status <> '{NOT_COUNTED}' GROUP BY cohort_id
              ) AS moved GROUP BY cohort_id HAVING sum(n) <> 0) AS d
        WHERE c.id = d.cohort_id;
    END IF;
    RETURN NULL;
END
$$"""

_POSTGRESQL_TRIGGERS = {
    TRIGGERS[0]: "AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows",
    TRIGGERS[1]: "AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows",
    TRIGGERS[2]: "AFTER UPDATE ON {table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
}


def _statements(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return list(_SQLITE)
    if vendor == "postgresql":
        statements = [_POSTGRESQL_FUNCTION]
        for name, when in _POSTGRESQL_TRIGGERS.items():
            statements.append(f"DROP TRIGGER IF EXISTS {name} ON {ENROLLMENT_TABLE}")
            statements.append(
                f"CREATE TRIGGER {name} {when.format(table=ENROLLMENT_TABLE)} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {_FUNCTION}()"
            )
        return statements
    raise NotImplementedError(f"class counts have no triggers for {vendor}")


def installed_triggers(using: str = DEFAULT_DB_ALIAS) -> set[str]:
    """The names of the count triggers the database holds."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [ENROLLMENT_TABLE]
            )
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [ENROLLMENT_TABLE],
            )
        return {row[0] for row in cursor.fetchall()} & set(TRIGGERS)


def install_triggers(using: str = DEFAULT_DB_ALIAS) -> None:
    """Create (or replace) the triggers."""
    connection = connections[using]
    with connection.cursor() as cursor:
        for statement in _statements(connection.vendor):
            cursor.execute(statement)


def install(using: str = DEFAULT_DB_ALIAS) -> int:
    """The triggers (created or replaced), then every class's count from its enrollments, as
    a migration puts them in place; the number of classes whose count changed."""
    install_triggers(using)
    return recount(using)


def drop_triggers(using: str = DEFAULT_DB_ALIAS) -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        for name in TRIGGERS:
            on = f" ON {ENROLLMENT_TABLE}" if connection.vendor == "postgresql" else ""
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}{on}")
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP FUNCTION IF EXISTS {_FUNCTION}()")


def recount(using: str = DEFAULT_DB_ALIAS) -> int:
    """Set every class's count from its enrollments; the number of classes that changed."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {COHORT_TABLE} SET {COLUMN} = ("
            f"SELECT count(*) FROM {ENROLLMENT_TABLE} AS e "
            f"WHERE e.cohort_id = {COHORT_TABLE}.id AND e.status <> %s) "
            f"WHERE {COLUMN} <> (SELECT count(*) FROM {ENROLLMENT_TABLE} AS e "
            f"WHERE e.cohort_id = {COHORT_TABLE}.id AND e.status <> %s)",
            [NOT_COUNTED, NOT_COUNTED],
        )
        return cursor.rowcount


def ensure_triggers(using: str = DEFAULT_DB_ALIAS) -> bool:
    """After a migration: create the triggers if one is missing, and then recount (rows
    written while it was missing were not counted). True if anything was done."""
    connection = connections[using]
    if connection.vendor not in ("sqlite", "postgresql"):
        return False
    if installed_triggers(using) == set(TRIGGERS):
        return False
    changed = install(using)
    log.warning("cohorts: the class count triggers were missing; recreated them, %d classes recounted", changed)
    return True


@dataclass(frozen=True)
class Difference:
    cohort_id: int
    code: str
    stored: int
    counted: int


def differences(using: str = DEFAULT_DB_ALIAS) -> list[Difference]:
    """Every class whose stored count differs from a count of its enrollments (one query)."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT c.id, c.code, c.{COLUMN}, coalesce(e.n, 0) FROM {COHORT_TABLE} AS c "
            f"LEFT JOIN (SELECT cohort_id, count(*) AS n FROM {ENROLLMENT_TABLE} "
            f"WHERE status <> %s GROUP BY cohort_id) AS e ON e.cohort_id = c.id "
            f"WHERE c.{COLUMN} <> coalesce(e.n, 0) ORDER BY c.code",
            [NOT_COUNTED],
        )
        return [Difference(*row) for row in cursor.fetchall()]
