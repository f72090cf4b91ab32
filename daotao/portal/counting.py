"""Exact view and visit counters of the public portal.

Who was already counted today is remembered in Django's cache (one key per visitor and
day, and per visitor, article and day); the counts themselves are rows in the database,
each increment one atomic statement, so concurrent requests never lose a count.

A visitor is the first-party cookie ``dt_visitor``. A request without it (a first visit, or
a browser that refuses cookies) is identified by a hash of its IP address and user agent
with a salt that lives for one day in the cache and is then discarded; no address is
stored. The cookie handed out on that first request is marked as counted too, so the
visitor's next request, now carrying the cookie, is not counted a second time.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import re
import secrets
from dataclasses import dataclass, field

from crawlerdetect import CrawlerDetect
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import F, Sum
from django.utils import timezone

from daotao.portal.models import DailyVisits, VisitOffset

log = logging.getLogger(__name__)

VISITOR_COOKIE = "dt_visitor"
# Browsers cap cookie lifetimes at 400 days.
VISITOR_COOKIE_AGE = 400 * 24 * 3600
_COOKIE_VALUE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
# Keys outlive their day by an hour so a request that straddles midnight still finds them.
_MARGIN = dt.timedelta(hours=1)
# A past figure changes only for a request that straddles midnight; an hour heals that.
_PAST_SUM_SECONDS = 3600

_crawlers = CrawlerDetect()


def counting_enabled() -> bool:
    return getattr(settings, "DAOTAO_PORTAL_COUNTING", True)


def is_crawler(user_agent: str) -> bool:
    """Crawlers, link checkers and scripts are not visitors; nor is an empty user agent."""
    user_agent = (user_agent or "").strip()
    return not user_agent or _crawlers.isCrawler(user_agent)


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


def _daily_salt(day: dt.date) -> str:
    key = f"portal:salt:{day.isoformat()}"
    cache.add(key, secrets.token_hex(16), _seconds_left(day))
    salt = cache.get(key)
    if salt is None:  # the cache failed to keep it; a salt for this request alone
        log.warning("portal: the daily salt could not be kept in the cache")
        salt = secrets.token_hex(16)
    return salt


def identify(request, day: dt.date) -> Visitor | None:
    """The visitor behind a request, or None for a crawler."""
    user_agent = request.headers.get("User-Agent", "")
    if is_crawler(user_agent):
        return None
    cookie = request.COOKIES.get(VISITOR_COOKIE, "")
    if _COOKIE_VALUE.match(cookie):
        return Visitor(key=f"c:{cookie}")
    address = request.META.get("REMOTE_ADDR", "")
    digest = hashlib.sha256(f"{_daily_salt(day)}\n{address}\n{user_agent}".encode()).hexdigest()[:32]
    cookie = secrets.token_urlsafe(18)
    return Visitor(key=f"h:{digest}", aliases=[f"c:{cookie}"], new_cookie=cookie)


def _first_today(subject: str, day: dt.date, visitor: Visitor) -> bool:
    """Mark ``visitor`` as counted for ``subject`` today; True if it was not already."""
    prefix = f"portal:{subject}:{day.isoformat()}:"
    timeout = _seconds_left(day)
    if visitor.aliases:
        cache.set_many({prefix + alias: 1 for alias in visitor.aliases}, timeout)
    key = prefix + visitor.key
    # cache.add is atomic, but the database cache also answers False when its write
    # failed (a lock timeout, say); only a key that is really there means "counted".
    for _attempt in range(3):
        if cache.add(key, 1, timeout):
            return True
        if cache.get(key) is not None:
            return False
    log.warning("portal: could not remember visitor %s; counting the request", visitor.key)
    return True


def _add_visit(day: dt.date) -> None:
    """One visit more on ``day``: a single upsert, safe under any concurrency."""
    table = connection.ops.quote_name(DailyVisits._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, visits) VALUES (%s, 1) "
            f"ON CONFLICT (day) DO UPDATE SET visits = {table}.visits + 1",
            [day],
        )


def count_visit(request) -> Visitor | None:
    """Count the request as a visit if it is its visitor's first today; remember the visitor."""
    if not counting_enabled() or request.method != "GET":
        return None
    day = timezone.localdate()
    visitor = identify(request, day)
    request.portal_visitor = visitor
    request.portal_day = day
    if visitor is not None and _first_today("visit", day, visitor):
        _add_visit(day)
    return visitor


def record_article_view(request, article) -> int:
    """Count a view of ``article`` once per visitor and day; the count to show."""
    visitor = getattr(request, "portal_visitor", None)
    if visitor is None:
        return article.view_count
    if not _first_today(f"article:{article.pk}", request.portal_day, visitor):
        return article.view_count
    return _add_view(article)


def _add_view(article) -> int:
    """One view more: one atomic UPDATE that also returns the new count (SQLite 3.35+ and
    PostgreSQL know RETURNING; one statement instead of an ORM update and a read)."""
    model = type(article)
    if not connection.features.can_return_columns_from_insert:  # SQLite before 3.35
        model.objects.filter(pk=article.pk).update(view_count=F("view_count") + 1)
        return model.objects.filter(pk=article.pk).values_list("view_count", flat=True).get()
    quote = connection.ops.quote_name
    column = quote(model._meta.get_field("view_count").column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(model._meta.db_table)} SET {column} = {column} + 1 "
            f"WHERE {quote(model._meta.pk.column)} = %s RETURNING {column}",
            [article.pk],
        )
        return cursor.fetchone()[0]


def counted_page(view):
    """Decorate a public page: count the visit before the page renders (its visitor box
    includes the visitor), hand a new visitor the cookie."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        visitor = count_visit(request)
        response = view(request, *args, **kwargs)
        if visitor is not None and visitor.new_cookie:
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
    the school's previous site had counted."""
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
