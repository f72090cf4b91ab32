"""Bulk writing of generated records: raw inserts inside Django's transaction (executemany
on SQLite, COPY on PostgreSQL), the classes' stored counts kept through it, and the
statistics refresh after a load."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.core.management.color import no_style
from django.db import connection, models

from daotao.cohorts import counts


class BulkTable:
    """Rows for a model's table, columns in the given order. Columns the caller does not
    fill get the field's default, so a new column with a default does not break loaders."""

    def __init__(self, model: type[models.Model], columns: Sequence[str]):
        self.table = model._meta.db_table
        extra = [f for f in model._meta.concrete_fields if f.column not in columns and not f.primary_key]
        for f in extra:
            if not f.null and not f.has_default() and not f.empty_strings_allowed:
                raise RuntimeError(f"No value for the required column {self.table}.{f.column}.")
        self.columns = [*columns, *(f.column for f in extra)]
        self.extra = tuple(f.get_default() if f.has_default() else (None if f.null else "") for f in extra)

    def write(self, rows: Iterable[tuple]) -> None:
        if self.extra:
            rows = (row + self.extra for row in rows)
        names = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        table = connection.ops.quote_name(self.table)
        connection.ensure_connection()
        raw = connection.connection  # the DB-API connection, in Django's transaction
        if connection.vendor == "postgresql":
            with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in self.columns)
            cursor = raw.cursor()
            try:
                # Django registers the sqlite3 adapters that store dates as ISO text.
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
            finally:
                cursor.close()


def next_id(model: type[models.Model]) -> int:
    """The first free primary key, for rows written with explicit keys."""
    return (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1


def reset_sequences(model_list: Sequence[type[models.Model]]) -> None:
    """Move PostgreSQL's sequences past keys that were written explicitly (SQLite needs nothing)."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), model_list):
            cursor.execute(sql)


@contextmanager
def large_sqlite_cache(kibibytes: int = 1024 * 1024) -> Iterator[None]:
    """A page cache big enough to keep growing indexes in memory (SQLite only)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = {-int(kibibytes)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {previous}")


@contextmanager
def class_counts_recounted() -> Iterator[None]:
    """Keep the classes' stored counts (``Cohort.counted_enrollments``) through a bulk load,
    inside its transaction. On SQLite the count triggers fire once per enrollment row (five
    times the cost of inserting a million rows): they are dropped for the load, and every
    class is recounted from its enrollments after it and the triggers put back, in the same
    transaction. PostgreSQL's triggers fire once per statement (a ``COPY``) and stay."""
    if connection.vendor != "sqlite":
        yield
        return
    counts.drop_triggers()
    yield
    counts.recount()
    counts.install_triggers()


def refresh_statistics(model_list: Sequence[type[models.Model]]) -> None:
    """ANALYZE after a load. Outside a transaction PostgreSQL also runs VACUUM, which sets the
    visibility map (index-only scans) as autovacuum soon would on a live database, and
    SQLite folds its write-ahead log back into the database file."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            for model in model_list:
                cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
        else:
            cursor.execute("ANALYZE")
            if not connection.in_atomic_block:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
