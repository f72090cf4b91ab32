"""Exact view and visit counters of the public portal, durable across crashes.

Who was already counted today is a row of ``CountedKey`` (a digest of the subject and the
visitor, one per visitor, day and subject: the day's visit, or one article's view). A
request writes those rows and the increments they cause in one transaction: on PostgreSQL
one statement (data-modifying CTEs, prepared once per connection), on SQLite one short
transaction of raw statements. A crash (a worker killed in the middle of a request, the
database server stopping) keeps either the request's rows and its increments, or neither:
no count is lost and none is made twice, and a request retried after a lost answer is not
counted again. A visitor already counted writes nothing. Crawlers: ``crawlers.py``.

The visit is counted together with the article's view when the page is an article: the
decorator ``counted_page`` only notes the visit as pending; ``record_article_view`` counts
both, and ``visit_figures`` (the visitor box) counts a visit still pending before it reads,
so the box includes the visitor. Whatever is still pending when the view returns is counted
then.

A visitor is the first-party cookie ``dt_visitor``. A request without it (a first visit, or
a browser that refuses cookies) is identified by a hash of its IP address and user agent
with a salt that lives for one day in the cache and is then discarded (each process keeps
the day's salt in memory once read); no address is stored. The cookie handed out on that
first request is marked as counted too (an ``alias`` row), so the visitor's next request,
now carrying the cookie, is not counted a second time.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
import hashlib
import logging
import re
import secrets
import sys
import threading
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.db.models import Sum
from django.utils import timezone

from daotao.portal.crawlers import is_crawler
from daotao.portal.models import Article, CountedKey, DailyVisits, VisitOffset
from daotao.portal.models.counted import DIGEST_BYTES

log = logging.getLogger(__name__)

VISITOR_COOKIE = "dt_visitor"
# Browsers cap cookie lifetimes at 400 days.
VISITOR_COOKIE_AGE = 400 * 24 * 3600
_COOKIE_VALUE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
# The salt outlives its day by an hour so a request that straddles midnight still finds it.
_MARGIN = dt.timedelta(hours=1)
# A past figure changes only for a request that straddles midnight; an hour heals that.
_PAST_SUM_SECONDS = 3600
# Rows of old days deleted by one request (0,7 ms on SQLite); see forget_old_days.
FORGET_BATCH = 500


def counting_enabled() -> bool:
    return getattr(settings, "DAOTAO_PORTAL_COUNTING", True)


# --- visitors -----------------------------------------------------------------------------


@dataclass
class Visitor:
    """Who a request comes from: ``key`` is checked, ``aliases`` are marked as counted too."""

    key: str
    aliases: list[str] = field(default_factory=list)
    new_cookie: str | None = None


def _seconds_left(day: dt.date) -> int:
    """Seconds from now until an hour after the end of ``day`` (local time)."""
    end = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))
    return max(int((end + _MARGIN - timezone.now()).total_seconds()), 60)


# The day's salt as this process read it from the cache: (day, salt).
_salt_read: tuple[dt.date, str] | None = None


def _daily_salt(day: dt.date) -> str:
    """The salt of ``day``, the same in every process: made once in the shared cache, then
    kept in memory, so that a request does not ask the cache for it."""
    global _salt_read
    read = _salt_read
    if read is not None and read[0] == day:
        return read[1]
    key = f"portal:salt:{day.isoformat()}"
    cache.add(key, secrets.token_hex(16), _seconds_left(day))
    salt = cache.get(key)
    if salt is None:  # the cache failed to keep it; a salt for this request alone
        log.warning("portal: the daily salt could not be kept in the cache")
        return secrets.token_hex(16)
    _salt_read = (day, salt)
    return salt


def identify(request, day: dt.date) -> Visitor | None:
    """The visitor behind a request, or None for a crawler."""
    user_agent = request.META.get("HTTP_USER_AGENT", "")
    if is_crawler(user_agent):
        return None
    cookie = request.COOKIES.get(VISITOR_COOKIE, "")
    if _COOKIE_VALUE.match(cookie):
        return Visitor(key=f"c:{cookie}")
    address = request.META.get("REMOTE_ADDR", "")
    digest = hashlib.sha256(f"{_daily_salt(day)}\n{address}\n{user_agent}".encode()).hexdigest()[:32]
    cookie = secrets.token_urlsafe(18)
    return Visitor(key=f"h:{digest}", aliases=[f"c:{cookie}"], new_cookie=cookie)


def key_digest(day: dt.date, subject: str, key: str) -> bytes:
    """What a ``CountedKey`` row holds of a visitor's key for a subject ("visit", "article:7")."""
    return hashlib.sha256(f"{day.isoformat()}\n{subject}\n{key}".encode()).digest()[:DIGEST_BYTES]


# --- counting -----------------------------------------------------------------------------


def _rows(day: dt.date, visitor: Visitor, visit: bool, article_pk: int | None) -> list[tuple]:
    """The ``CountedKey`` rows of a request: (digest, article id, alias), the counted ones first."""
    subjects = ([("visit", None)] if visit else []) + ([(f"article:{article_pk}", article_pk)] if article_pk else [])
    rows = [(key_digest(day, subject, visitor.key), article, False) for subject, article in subjects]
    rows += [
        (key_digest(day, subject, alias), article, True) for subject, article in subjects for alias in visitor.aliases
    ]
    return rows


def _names() -> dict[str, str]:
    quote = connection.ops.quote_name
    return {
        "counted": quote(CountedKey._meta.db_table),
        "daily": quote(DailyVisits._meta.db_table),
        "article": quote(Article._meta.db_table),
        "views": quote(Article._meta.get_field("view_count").column),
        "id": quote(Article._meta.pk.column),
    }


@functools.cache
def _postgresql_statement(rows: int, visit: bool, article: bool) -> str:
    """One statement: the rows inserted where not already there, then the day's visit row and
    the article's count raised only for what was inserted; the new view count, if any."""
    n = _names()
    values = ", ".join(["(%s, %s, %s, %s)"] * rows)
    parts = [
        f"WITH seen AS (INSERT INTO {n['counted']} (day, digest, article_id, alias) VALUES {values} "
        "ON CONFLICT DO NOTHING RETURNING article_id, alias)"
    ]
    if visit:
        parts.append(
            f"visit AS (INSERT INTO {n['daily']} (day, visits) "
            "SELECT %s, 1 FROM seen WHERE article_id IS NULL AND NOT alias "
            f"ON CONFLICT (day) DO UPDATE SET visits = {n['daily']}.visits + 1)"
        )
    if article:
        parts.append(
            f"viewed AS (UPDATE {n['article']} SET {n['views']} = {n['views']} + 1 WHERE {n['id']} = %s "
            f"AND EXISTS (SELECT 1 FROM seen WHERE article_id IS NOT NULL AND NOT alias) RETURNING {n['views']})"
        )
    return ", ".join(parts) + (f" SELECT {n['views']} FROM viewed" if article else " SELECT 1")


@functools.cache
def _sqlite_statements(rows: int) -> dict[str, str]:
    n = _names()
    values = ", ".join(["(%s, %s, %s, %s)"] * rows)
    keys = ", ".join(["%s"] * rows)
    return {
        "seen": f"SELECT COUNT(*) FROM {n['counted']} WHERE day = %s AND digest IN ({keys})",
        "insert": f"INSERT INTO {n['counted']} (day, digest, article_id, alias) VALUES {values} "
        "ON CONFLICT DO NOTHING RETURNING article_id, alias",
        "insert_one": f"INSERT INTO {n['counted']} (day, digest, article_id, alias) VALUES (%s, %s, %s, %s) "
        "ON CONFLICT DO NOTHING",
        "visit": f"INSERT INTO {n['daily']} (day, visits) VALUES (%s, 1) "
        f"ON CONFLICT (day) DO UPDATE SET visits = {n['daily']}.visits + 1",
        "view": f"UPDATE {n['article']} SET {n['views']} = {n['views']} + 1 WHERE {n['id']} = %s",
        "view_returning": f"UPDATE {n['article']} SET {n['views']} = {n['views']} + 1 WHERE {n['id']} = %s "
        f"RETURNING {n['views']}",
        "view_count": f"SELECT {n['views']} FROM {n['article']} WHERE {n['id']} = %s",
    }


def count(day: dt.date, visitor: Visitor, *, visit: bool, article_pk: int | None = None) -> int | None:
    """Mark ``visitor`` as counted on ``day`` for the day's visit (``visit``) and for the view
    of an article, and add one to each counter it was not already counted for, all in one
    transaction. The article's new view count, or None when this view was counted before."""
    if not visit and not article_pk:
        return None
    db = connections[DEFAULT_DB_ALIAS]
    rows = _rows(day, visitor, visit, article_pk)
    day_value = db.ops.adapt_datefield_value(day)
    if db.vendor == "postgresql":
        params = [value for digest, article, alias in rows for value in (day_value, digest, article, alias)]
        params += [day_value] if visit else []
        params += [article_pk] if article_pk else []
        with _prepared_cursor(db) as cursor:
            cursor.execute(_postgresql_statement(len(rows), visit, bool(article_pk)), params)
            found = cursor.fetchone()
        return found[0] if article_pk and found else None
    return _count_in_transaction(db, day_value, rows, visit, article_pk)


def _prepared_cursor(db):
    """A cursor of Django's connection whose statements PostgreSQL prepares once per
    connection (psycopg 3 binding the parameters on the server) instead of parsing and
    planning the counting statement on every request: about 0,1 ms of the server's CPU.
    Django's wrapper stays around it (errors, execute wrappers). Where queries are logged
    (DEBUG, tests that count queries) the statement runs as any other, so that the log
    shows it with its values."""
    if db.queries_logged:
        return db.cursor()
    db.close_if_health_check_failed()
    db.ensure_connection()
    preparing = _preparing_cursor_class(type(db.connection))
    if preparing is None:  # psycopg 2
        return db.cursor()
    db.validate_thread_sharing()
    with db.wrap_database_errors:
        cursor = preparing(db.connection)
    return db.make_cursor(cursor)


@functools.cache
def _preparing_cursor_class(connection_class: type):
    try:
        import psycopg
    except ImportError:
        return None
    if not issubclass(connection_class, psycopg.Connection):
        return None

    class PreparingCursor(psycopg.Cursor):
        """Prepares what it executes, with psycopg's cache of prepared statements (one per
        connection), though Django turns automatic preparing off (``prepare_threshold`` None,
        for connection poolers): on only for this cursor's statements."""

        def execute(self, query, params=None, *, prepare=None, binary=None):
            connection = self.connection
            threshold = connection.prepare_threshold
            if threshold is None:
                connection.prepare_threshold = sys.maxsize  # nothing else prepares meanwhile
            try:
                return super().execute(query, params, prepare=True, binary=binary)
            finally:
                if threshold is None:
                    connection.prepare_threshold = None

    return PreparingCursor


def _count_in_transaction(db, day_value, rows: list[tuple], visit: bool, article_pk: int | None) -> int | None:
    """The same where data-modifying CTEs are missing (SQLite): one short transaction."""
    sql = _sqlite_statements(len(rows))
    returning = db.features.can_return_columns_from_insert  # SQLite 3.35+
    with db.cursor() as cursor:
        if not any(alias for _digest, _article, alias in rows):
            # A visitor with a cookie who was counted already: a read, no write lock taken.
            cursor.execute(sql["seen"], [day_value, *(digest for digest, _article, _alias in rows)])
            if cursor.fetchone()[0] == len(rows):
                return None
        with transaction.atomic(using=db.alias):
            if returning:
                cursor.execute(sql["insert"], [value for row in rows for value in (day_value, *row)])
                counted = [article for article, alias in cursor.fetchall() if not alias]
            else:  # one row at a time, the rows written told by rowcount
                counted = []
                for digest, article, alias in rows:
                    cursor.execute(_sqlite_statements(1)["insert_one"], [day_value, digest, article, alias])
                    if cursor.rowcount == 1 and not alias:
                        counted.append(article)
            if visit and None in counted:
                cursor.execute(sql["visit"], [day_value])
            if not article_pk or article_pk not in counted:
                return None
            if returning:
                cursor.execute(sql["view_returning"], [article_pk])
            else:
                cursor.execute(sql["view"], [article_pk])
                cursor.execute(sql["view_count"], [article_pk])
            return cursor.fetchone()[0]


# The request whose visit is still to be counted, for visit_figures (the visitor box).
_pending: contextvars.ContextVar = contextvars.ContextVar("portal_pending_visit", default=None)


def begin_counting(request) -> Visitor | None:
    """Identify the visitor of a public page read and note the visit as pending."""
    if not counting_enabled() or request.method != "GET":
        return None
    day = timezone.localdate()
    visitor = identify(request, day)
    request.portal_visitor = visitor
    request.portal_day = day
    request.portal_visit_pending = visitor is not None
    return visitor


def count_pending_visit(request=None) -> None:
    """Count the visit of ``request`` (by default the page being served) if still pending."""
    request = request if request is not None else _pending.get()
    if request is None or not getattr(request, "portal_visit_pending", False):
        return
    request.portal_visit_pending = False
    count(request.portal_day, request.portal_visitor, visit=True)
    _forget_old_days_now_and_then(request.portal_day)


def record_article_view(request, article) -> int:
    """Count a view of ``article`` once per visitor and day, with the visit if it is still
    pending; the count to show."""
    visitor = getattr(request, "portal_visitor", None)
    if visitor is None:
        return article.view_count
    visit = request.portal_visit_pending
    request.portal_visit_pending = False
    shown = count(request.portal_day, visitor, visit=visit, article_pk=article.pk)
    _forget_old_days_now_and_then(request.portal_day)
    return article.view_count if shown is None else shown


def counted_page(view):
    """Decorate a public page: count the visit (with the article's view on an article page,
    before the visitor box renders, so that it includes the visitor), hand a new visitor the
    cookie."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        visitor = begin_counting(request)
        if visitor is None:
            return view(request, *args, **kwargs)
        token = _pending.set(request)
        try:
            response = view(request, *args, **kwargs)
        except BaseException:
            # A page that failed (a 404 too) was still asked for: count it, as before.
            _pending.reset(token)
            try:
                count_pending_visit(request)
            except DatabaseError:
                log.exception("portal: the visit of a failed page could not be counted")
            raise
        _pending.reset(token)
        count_pending_visit(request)
        if visitor.new_cookie:
            response.set_cookie(
                VISITOR_COOKIE,
                visitor.new_cookie,
                max_age=VISITOR_COOKIE_AGE,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response

    return wrapper


# --- old days -----------------------------------------------------------------------------


def forget_old_days(today: dt.date, batch: int = FORGET_BATCH) -> int:
    """Delete up to ``batch`` rows of days before yesterday (nobody is counted on them any
    more); how many were deleted."""
    table = connection.ops.quote_name(CountedKey._meta.db_table)
    if connection.vendor == "sqlite":
        target = f"rowid IN (SELECT rowid FROM {table} WHERE day < %s LIMIT %s)"
    else:
        target = f"(day, digest) IN (SELECT day, digest FROM {table} WHERE day < %s LIMIT %s)"
    before = connection.ops.adapt_datefield_value(today - dt.timedelta(days=1))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {target}", [before, batch])
        return cursor.rowcount


# The day for which this process found no old rows left; the lock lets one thread delete.
_forgotten_on: dt.date | None = None
_forgetting = threading.Lock()


def _forget_old_days_now_and_then(today: dt.date) -> None:
    """Each process deletes old rows a batch per counted request, from its first counted
    request of a day until none is left, then not again that day. Outside the counting
    transaction: what it deletes was counted long ago."""
    global _forgotten_on
    if _forgotten_on == today or not _forgetting.acquire(blocking=False):
        return
    try:
        if forget_old_days(today) < FORGET_BATCH:
            _forgotten_on = today
    except DatabaseError:
        log.warning("portal: old counted visitors could not be deleted", exc_info=True)
    finally:
        _forgetting.release()


# --- the visitor box ----------------------------------------------------------------------


@dataclass(frozen=True)
class VisitFigures:
    today: int
    yesterday: int
    this_week: int
    this_month: int
    all_time: int


def visit_figures(today: dt.date | None = None) -> VisitFigures:
    """The visitor box: one read of at most 31 daily rows (weeks start on Monday), plus the
    sum of the older rows, cached for an hour because those days are over, plus the visits
    the school's previous site had counted. The visit of the page being served is counted
    first, if it still was not."""
    count_pending_visit()
    today = today or timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    week_start = today - dt.timedelta(days=today.weekday())
    month_start = today.replace(day=1)
    since = first_day_read(today)
    window = DailyVisits.objects.filter(day__gte=since, day__lte=today).order_by()
    rows = dict(window.values_list("day", "visits"))

    def between(first: dt.date) -> int:
        return sum(visits for day, visits in rows.items() if day >= first)

    return VisitFigures(
        today=rows.get(today, 0),
        yesterday=rows.get(yesterday, 0),
        this_week=between(week_start),
        this_month=between(month_start),
        all_time=_visits_before(since) + sum(rows.values()) + VisitOffset.current(),
    )


def first_day_read(today: dt.date) -> dt.date:
    """The first daily row the visitor box reads: yesterday, Monday or the 1st."""
    return min(today - dt.timedelta(days=1), today - dt.timedelta(days=today.weekday()), today.replace(day=1))


def _visits_before(day: dt.date) -> int:
    key = f"portal:visits-before:{day.isoformat()}"
    total = cache.get(key)
    if total is None:
        total = DailyVisits.objects.filter(day__lt=day).aggregate(total=Sum("visits"))["total"] or 0
        cache.set(key, total, _PAST_SUM_SECONDS)
    return total
