"""Inserting the rows of a checked nomination file: thousands of applications and their
documents in a few statements, without Django's per-value SQL compiler.

``bulk_create`` of 10.000 applications (37 columns) spent two thirds of its time building
its statements in Python. Here each value is prepared as ``bulk_create`` prepares it
(``pre_save``, then ``get_db_prep_save`` against the connection), except values that
Django's own preparation returns unchanged (``_unchanged_type``); the rows then go with
COPY on PostgreSQL, or as many per INSERT as SQLite takes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

from django.db import connection, connections, models
from django.db.models.fields import AutoFieldMixin

from daotao.admissions.models import Application, ApplicationDocument
from daotao.lib.batches import chunks

# Django's own preparation of these fields returns a value of this type unchanged, and None
# as None: ``CharField.to_python`` keeps any str, ``BooleanField.to_python`` a bool, and an
# automatic key's ``get_prep_value`` is ``int(value)``, which keeps an int (but not an
# IntegerChoices member, hence exactly int). Other integer fields are not among them:
# PostgreSQL's backend wraps their values in a type of the column's size
# (``adapt_integerfield_value``), so their ``get_db_prep_value`` is not in _DJANGO_PREPARES.
_KEPT = (
    (models.CharField, models.CharField.get_prep_value, str),
    (models.TextField, models.TextField.get_prep_value, str),
    (models.BooleanField, models.BooleanField.get_prep_value, bool),
    (models.IntegerField, models.IntegerField.get_prep_value, int),
)
_DJANGO_PREPARES = (models.Field.get_db_prep_value, AutoFieldMixin.get_db_prep_value)


def _unchanged_type(field: models.Field) -> type | None:
    """The type of value that ``field`` sends to the database as it is, if it is one of
    Django's text or boolean fields or a key to an automatic primary key, none of them
    prepared in a subclass's own way; else None (Django prepares each value)."""
    if isinstance(field, models.ForeignKey):
        if type(field).get_db_prep_save is not models.ForeignKey.get_db_prep_save:
            return None
        field = field.target_field
    elif type(field).get_db_prep_save is not models.Field.get_db_prep_save:
        return None
    if type(field).get_db_prep_value not in _DJANGO_PREPARES:
        return None
    for kind, prepare, kept in _KEPT:
        if isinstance(field, kind) and type(field).get_prep_value is prepare:
            return kept
    return None


def _preparer(field: models.Field, database) -> Callable[[object], object]:
    kept = _unchanged_type(field)
    prepare = field.get_db_prep_save
    if kept is None:
        return lambda value: prepare(value, database)
    if kept is str:  # any str: a choice's code (TextChoices) is kept as it is too
        return lambda value: value if value is None or isinstance(value, str) else prepare(value, database)
    return lambda value: value if value is None or type(value) is kept else prepare(value, database)


def prepared_rows(applications: Sequence[Application], fields: list[models.Field]) -> list[list[object]]:
    """The values of ``fields`` of each application, as ``bulk_create`` would send them."""
    # Prepared against the connection itself, not the proxy ``connection``, which looks it
    # up again (a thread-local) on every attribute read. A field with a ``pre_save`` of its
    # own (the timestamps, set now) gives its value through it, as in bulk_create.
    database = connections[connection.alias]
    preparers = [
        (f.attname, _preparer(f, database), f.pre_save if type(f).pre_save is not models.Field.pre_save else None)
        for f in fields
    ]
    rows = []
    for application in applications:
        values = application.__dict__
        rows.append(
            [
                prepare(values[attname] if pre_save is None else pre_save(application, True))
                for attname, prepare, pre_save in preparers
            ]
        )
    return rows


def insert_applications(applications: list[Application]) -> None:
    """Insert new applications and set their primary keys, as ``bulk_create`` does.

    PostgreSQL: the keys are taken from the table's sequence in one query, then the rows
    sent with COPY. SQLite: as many rows per INSERT as it takes, each returning its key with
    its (program, national ID), which is unique among the applications of a plan (and all
    of these are of one plan)."""
    if not applications:
        return
    meta = Application._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key and not f.generated]
    # Every related object was loaded from the database and assigned through its field:
    # bulk_create's check for unsaved related objects would find nothing.
    rows = prepared_rows(applications, fields)
    quote = connection.ops.quote_name
    table, pk = quote(meta.db_table), meta.pk
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk.column, len(rows)],
            )
            keys = [key for (key,) in cursor.fetchall()]
            columns = ", ".join(quote(f.column) for f in [pk, *fields])
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for key, row in zip(keys, rows, strict=True):
                    copy.write_row([key, *row])
        else:
            columns = ", ".join(quote(f.column) for f in fields)
            returning = ", ".join(quote(meta.get_field(name).column) for name in (pk.name, "program", "national_id"))
            keys_by: dict[tuple[int, str], int] = {}
            for chunk in chunks(rows, rows_per_insert(len(fields))):
                values = connection.ops.bulk_insert_sql(fields, [["%s"] * len(fields)] * len(chunk))
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) {values} RETURNING {returning}",
                    [value for row in chunk for value in row],
                )
                keys_by.update(((program, national_id), key) for key, program, national_id in cursor.fetchall())
            keys = [keys_by[a.program_id, a.national_id] for a in applications]
    for application, key in zip(applications, keys, strict=True):
        application.pk = key
        application._state.adding, application._state.db = False, connection.alias


def insert_documents(documents: list[tuple[int, int]], today) -> None:
    """Insert received documents, (application id, document type id) each, without building
    a model instance per row (a 10.000-row file lists some 50.000 documents): COPY on
    PostgreSQL (a sixth of the time of INSERT ... VALUES there), else many rows per INSERT."""
    if not documents:
        return
    meta = ApplicationDocument._meta
    fields = [meta.get_field(name) for name in ("application", "document_type", "received", "received_on", "file")]
    quote = connection.ops.quote_name
    target = f"{quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)})"
    received_on = fields[3].get_db_prep_save(today, connection)
    rows = [(application, kind, True, received_on, "") for application, kind in documents]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {target} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        for chunk in chunks(rows, rows_per_insert(len(fields))):
            values = connection.ops.bulk_insert_sql(fields, [["%s"] * len(fields)] * len(chunk))
            cursor.execute(f"INSERT INTO {target} {values}", [value for row in chunk for value in row])


def rows_per_insert(columns: int) -> int:
    """How many rows of ``columns`` values one INSERT may hold: the database's limit of
    parameters (SQLite's is asked of the connection: 32.766 by default since SQLite 3.32,
    where Django assumes 999; PostgreSQL takes 65.535)."""
    limit = connection.features.max_query_params or 65_535
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        limit = max(limit, connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
    return max(1, limit // columns)
