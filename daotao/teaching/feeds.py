"""One's own timetable as an iCalendar feed (RFC 5545, written by ``icalendar``), at a
private address a lecturer or a student adds to their calendar app.

The address carries a random key; only its SHA-256 digest is stored (``CalendarFeed``), as
for API tokens, so the address is shown once, when it is made, and a new one ends the old.
The feed holds what the timetable page shows its owner: a lecturer's own lessons, a
student's class lessons (``Lesson.visible_to``), from half a year back to a year ahead."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from daotao.accounts.models import User, key_digest
from daotao.accounts.scope import scope_of
from daotao.teaching.models import CalendarFeed, Lesson

FEED_PREFIX = "cal_"
DAYS_BEFORE, DAYS_AFTER = 183, 366


@transaction.atomic
def feed_issue(user) -> str:
    """A new private key for the user's feed (the old one stops working); shown once."""
    key = FEED_PREFIX + secrets.token_urlsafe(32)
    # Two asks at once run one after the other: the second replaces the first's address.
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
    CalendarFeed.objects.filter(user=user).delete()
    CalendarFeed.objects.create(user=user, key_hash=key_digest(key))
    return key


def feed_revoke(user) -> None:
    CalendarFeed.objects.filter(user=user).delete()


def feed_user(key: str):
    """The active user whose feed this key opens, or None; records when it was last read."""
    if not key.startswith(FEED_PREFIX) or len(key) > 100:
        return None
    feed = CalendarFeed.objects.select_related("user").filter(key_hash=key_digest(key), user__is_active=True).first()
    if feed is None:
        return None
    now = timezone.now()
    if feed.last_used_at is None or now - feed.last_used_at > dt.timedelta(minutes=1):
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    return feed.user


def own_lessons(user):
    """A lecturer's own lessons; a student's class lessons; nothing for anyone else."""
    scope = scope_of(user)
    if scope.lecturer_id is not None:
        return Lesson.objects.filter(lecturer_id=scope.lecturer_id)
    if scope.student_id is not None:
        return Lesson.objects.visible_to(user)
    return Lesson.objects.none()


def calendar_for(user, today: dt.date | None = None) -> bytes:
    """The user's lessons from half a year back to a year ahead, as an iCalendar file."""
    today = today or timezone.localdate()
    lessons = (
        own_lessons(user)
        .between(today - dt.timedelta(days=DAYS_BEFORE), today + dt.timedelta(days=DAYS_AFTER))
        .select_related("cohort", "module", "lecturer", "room")
        .in_day_order()
    )
    calendar = Calendar()
    calendar.add("prodid", "-//DaoTao//Thoi khoa bieu//VI")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("My timetable"))
    stamp = timezone.now()
    for lesson in lessons:
        event = Event()
        event.add("uid", f"lesson-{lesson.pk}@daotao")
        event.add("dtstamp", stamp)
        event.add("dtstart", lesson.starts_at.astimezone(dt.UTC))
        event.add("dtend", lesson.ends_at.astimezone(dt.UTC))
        event.add("summary", f"{lesson.cohort.code} – {lesson.module.name}")
        where = lesson.room.name if lesson.room_id else (lesson.venue or lesson.get_place_display())
        event.add("location", where)
        lines = [
            _("Module: %(module)s") % {"module": f"{lesson.module.code} – {lesson.module.name}"},
            _("Lecturer: %(lecturer)s") % {"lecturer": lesson.lecturer.full_name},
            _("Periods: %(periods)s") % {"periods": lesson.periods},
        ]
        if lesson.topic:
            lines.append(_("Topic: %(topic)s") % {"topic": lesson.topic})
        event.add("description", "\n".join(lines))
        calendar.add_component(event)
    return calendar.to_ical()
