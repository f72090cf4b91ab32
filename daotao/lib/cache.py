"""Django's database cache, with ``add`` and ``set`` as one statement each.

Django's own ``DatabaseCache`` writes a key in three statements: ``SELECT COUNT(*)`` of the
whole table (to decide whether to cull), a ``SELECT`` of the key, then an ``INSERT`` or an
``UPDATE``, inside a transaction. The count reads every row, so each write slows down as
the table fills (the portal once wrote one or two keys for every counted request; it now keeps
who was counted in a table of its own: docs/performance.md, "The portal under load").

This backend writes a key with one upsert on SQLite and PostgreSQL:

* ``add``: ``INSERT … ON CONFLICT (cache_key) DO UPDATE … WHERE expires < now``, so the key
  is written when it is absent or expired and left alone otherwise; the database answers
  how many rows changed, which is the result. One statement is atomic, so of two
  concurrent ``add`` calls of one key exactly one wins, as with Django's.
* ``set``: ``INSERT … ON CONFLICT (cache_key) DO UPDATE``.
* ``incr``: the row read and rewritten in one transaction that holds it, its expiry kept
  (Django's reads, then writes with the default timeout, and may lose a concurrent count).

The table is counted, and culled the way Django culls it (expired rows first, then a
``CULL_FREQUENCY`` share), on one write in ``CHECK_SIZE_EVERY`` (an option, default 100)
of each thread instead of on every write; it may therefore overshoot ``MAX_ENTRIES`` by
that many writes per thread before it is culled. Other databases use Django's code.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import itertools
import pickle

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import DatabaseError, connections, router, transaction
from django.utils import timezone

UPSERT_VENDORS = {"sqlite", "postgresql"}


class DatabaseCache(DjangoDatabaseCache):
    def __init__(self, table, params):
        super().__init__(table, params)
        every = params.get("OPTIONS", {}).get("CHECK_SIZE_EVERY", 100)
        try:
            self._check_size_every = max(int(every), 1)
        except (TypeError, ValueError):
            self._check_size_every = 100
        # Django keeps one cache object per thread, so this counts the writes of a thread.
        self._writes = itertools.count(1)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        if self._upsert("set", key, value, timeout) is None:
            self._base_set("set", key, value, timeout)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        added = self._upsert("add", key, value, timeout)
        if added is None:
            return self._base_set("add", key, value, timeout)
        return added

    def incr(self, key, delta=1, version=None):
        """Add ``delta`` to a live key's number, keeping its expiry; ValueError if absent.

        Django's reads the value, then writes it back with the default timeout: two
        concurrent increments may count once, and a counter's window moves with each one.
        Here the row is read and written in one transaction that holds it (``FOR UPDATE``
        on PostgreSQL; SQLite's IMMEDIATE transactions take the write lock at BEGIN), and
        its expiry is left alone (``daotao.web.ratelimit`` counts this way)."""
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        if connection.vendor not in UPSERT_VENDORS:
            return super().incr(key, delta, version)
        made = self.make_and_validate_key(key, version=version)
        quote = connection.ops.quote_name
        table, key_column, value_column, expires_column = (
            quote(name) for name in (self._table, "cache_key", "value", "expires")
        )
        lock = " FOR UPDATE" if connection.vendor == "postgresql" else ""
        now = connection.ops.adapt_datetimefield_value(timezone.now().replace(microsecond=0))
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {value_column} FROM {table} WHERE {key_column} = %s AND {expires_column} > %s{lock}",
                [made, now],
            )
            row = cursor.fetchone()
            if row is None:
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(row[0].encode())) + delta
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(f"UPDATE {table} SET {value_column} = %s WHERE {key_column} = %s", [encoded, made])
        return value

    def _upsert(self, mode: str, key: str, value, timeout) -> bool | None:
        """Write ``key`` in one statement; whether it was written, or None on a database
        without upserts (the caller falls back to Django's code)."""
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        if connection.vendor not in UPSERT_VENDORS:
            return None
        timeout = self.get_backend_timeout(timeout)
        now = timezone.now().replace(microsecond=0)
        if timeout is None:
            expires = dt.datetime.max
        else:
            expires = dt.datetime.fromtimestamp(timeout, tz=dt.UTC if settings.USE_TZ else None)
        adapt = connection.ops.adapt_datetimefield_value
        value = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        quote = connection.ops.quote_name
        table = quote(self._table)
        key_column, value_column, expires_column = (quote(name) for name in ("cache_key", "value", "expires"))
        sql = (
            f"INSERT INTO {table} ({key_column}, {value_column}, {expires_column}) VALUES (%s, %s, %s) "
            f"ON CONFLICT ({key_column}) DO UPDATE SET {value_column} = excluded.{value_column}, "
            f"{expires_column} = excluded.{expires_column}"
        )
        params = [key, value, adapt(expires.replace(microsecond=0))]
        if mode == "add":
            sql += f" WHERE {table}.{expires_column} < %s"
            params.append(adapt(now))
        try:
            # Inside a transaction a failed statement must not break the caller's: a savepoint.
            with transaction.atomic(using=db) if connection.in_atomic_block else contextlib.nullcontext():
                with connection.cursor() as cursor:
                    if next(self._writes) % self._check_size_every == 0:
                        self._check_size(db, cursor, table, now)
                    cursor.execute(sql, params)
                    return cursor.rowcount > 0
        except DatabaseError:
            return False  # as Django's backend answers when its write fails

    def _check_size(self, db, cursor, table: str, now: dt.datetime) -> None:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        rows = cursor.fetchone()[0]
        if rows > self._max_entries:
            self._cull(db, cursor, now, rows)
