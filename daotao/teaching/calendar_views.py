"""The school-wide calendar: every lesson of every class for a week or a month, seen by
class, by lecturer or by room (the training office and the board), with the holidays; and
one's own timetable as an iCalendar feed at a private address (``feeds``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from daotao.accounts.access import any_of, is_lecturer, is_school_wide, is_student, require
from daotao.lib.dates import MAX_YEAR, MIN_YEAR
from daotao.lib.vietnamese import parse_date
from daotao.teaching import feeds
from daotao.teaching.forms import WEEKDAYS
from daotao.teaching.models import Holiday, Lesson, Session

VIEWS = ("week", "month")
BY = ("class", "lecturer", "room")


def _day(text: str | None) -> dt.date:
    """The day asked for (``25/01/2026`` or ISO); today when missing or not a date."""
    try:
        day = parse_date(text or "")
    except ValueError:
        return timezone.localdate()
    return day if MIN_YEAR <= day.year <= MAX_YEAR else timezone.localdate()


def _range(view: str, day: dt.date) -> tuple[dt.date, dt.date, dt.date, dt.date]:
    """The first and last day shown, and the days the previous and next links lead to."""
    if view == "week":
        first = day - dt.timedelta(days=day.weekday())
        return first, first + dt.timedelta(days=6), first - dt.timedelta(days=7), first + dt.timedelta(days=7)
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    return first, following - dt.timedelta(days=1), previous, following


def _key(lesson: Lesson, by: str) -> tuple[str, str]:
    """The row a lesson is shown on (its sort key and its name)."""
    if by == "lecturer":
        return lesson.lecturer.sort_key, lesson.lecturer.full_name
    if by == "room":
        if lesson.room_id is None:
            return "~", ""
        return f"{lesson.room.centre.name if lesson.room.centre_id else ''}|{lesson.room.name}", str(lesson.room)
    return lesson.cohort.code, lesson.cohort.code


@dataclass
class Row:
    name: str
    cells: dict = field(default_factory=lambda: defaultdict(list))


@require(is_school_wide)
def school_calendar(request):
    view = request.GET.get("view") if request.GET.get("view") in VIEWS else "week"
    by = request.GET.get("by") if request.GET.get("by") in BY else "class"
    day = _day(request.GET.get("date"))
    first, last, previous, following = _range(view, day)
    lessons = list(
        Lesson.objects.between(first, last)
        .select_related("cohort", "module", "lecturer", "room__centre")
        .in_day_order()
    )
    holidays = Holiday.objects.names_between(first, last)
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    context = {
        "view": view,
        "by": by,
        "day": day,
        "first": first,
        "last": last,
        "previous": previous,
        "following": following,
        "today": timezone.localdate(),
        "holidays": holidays,
        "count": len(lessons),
        "sessions": Session.choices,
        "by_choices": [("class", _("By class")), ("lecturer", _("By lecturer")), ("room", _("By room"))],
        "weekday_labels": [label for _, label in WEEKDAYS],
    }
    if view == "week":
        rows: dict[tuple[str, str], Row] = {}
        for lesson in lessons:
            key = _key(lesson, by)
            rows.setdefault(key, Row(key[1])).cells[(lesson.date, lesson.session)].append(lesson)
        # The week's columns: Monday to Saturday, Sunday when taught; the morning and the
        # afternoon, the evening when taught.
        taught = {(lesson.date, lesson.session) for lesson in lessons}
        days = [d for d in days if d.weekday() < 6 or any(d == day for day, _ in taught)]
        sessions = [
            (value, label)
            for value, label in Session.choices
            if value != Session.EVENING or any(session == value for _, session in taught)
        ]
        context["days"] = days
        context["sessions"] = sessions
        context["rows"] = [
            (row.name, [[(day, value, row.cells.get((day, value), [])) for value, _ in sessions] for day in days])
            for _, row in sorted(rows.items())
        ]
    else:
        by_day = defaultdict(list)
        for lesson in lessons:
            by_day[lesson.date].append(lesson)
        start = first - dt.timedelta(days=first.weekday())
        end = last + dt.timedelta(days=6 - last.weekday())
        weeks, week = [], []
        for n in range((end - start).days + 1):
            current = start + dt.timedelta(days=n)
            week.append((current, current.month == first.month, by_day.get(current, [])))
            if len(week) == 7:
                weeks.append(week)
                week = []
        context["weeks"] = weeks
    return render(request, "teaching/school_calendar.html", context)


own_timetable_required = require(any_of(is_lecturer, is_student))


@own_timetable_required
@require_POST
def calendar_feed_issue(request):
    """Make the private address of one's own feed (ending the old one) and show it, once."""
    key = feeds.feed_issue(request.user)
    url = request.build_absolute_uri(reverse("teaching:feed", args=[key]))
    return render(request, "teaching/calendar_feed.html", {"url": url})


@own_timetable_required
@require_POST
def calendar_feed_revoke(request):
    feeds.feed_revoke(request.user)
    messages.success(request, _("The address of your calendar feed no longer works."))
    return redirect("teaching:my")


@require_GET
def calendar_feed(request, key):
    """The feed itself, for a calendar app: no sign-in, the key is the permission."""
    user = feeds.feed_user(key)
    if user is None:
        raise Http404
    response = HttpResponse(feeds.calendar_for(user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="thoi-khoa-bieu.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
