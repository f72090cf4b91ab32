"""A class's timetable laid out from its program's curriculum in one step.

The office chooses a start date, the weekdays and half days of teaching, the order of the
modules and the lecturers of each; ``lay_out`` gives every lesson its day and half day:

- the modules one after the other, in the order given, each in as many lessons as its
  periods need (``periods_per_lesson`` a lesson, the last one with what is left);
- only on the weekdays chosen, never on a day of the holiday calendar (``Holiday``), never
  in a half day the class already has a lesson;
- a module's lecturers in turn, one lesson each, passing over a lecturer who teaches
  elsewhere in that half day or is unavailable that day; a half day when none of them is
  free is left empty and named in ``Layout.passed_over``, with the reason.

``lay_out`` is pure: what is booked already comes in as sets (``Bookings``), which
``bookings_for`` reads from the database in four queries. ``timetable_save`` writes a
layout the office accepted: all its lessons or none.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from daotao.cohorts.models import Cohort
from daotao.lib.vietnamese import format_date
from daotao.org.models import Lecturer
from daotao.programs.models import Module
from daotao.teaching import services
from daotao.teaching.models import Holiday, Lesson, LessonKind, Room, Session, Unavailability

# The half days in the order of a day.
DAY_ORDER = tuple(Session.values)
# How far ahead the layout looks for free half days before it gives up: two years.
HORIZON_DAYS = 731


class LayoutError(ValueError):
    """The choices cannot give a timetable; the message says which and why."""


@dataclass(frozen=True)
class ModulePart:
    """A module of the timetable: its periods and its lecturers (taking turns)."""

    module_id: int
    periods: int
    lecturer_ids: tuple[int, ...]


@dataclass(frozen=True)
class PlannedLesson:
    module_id: int
    lecturer_id: int
    date: dt.date
    session: str
    periods: int
    kind: str = LessonKind.LECTURE


@dataclass(frozen=True)
class PassedOver:
    """A half day the class could have been taught but was not, and why."""

    date: dt.date
    session: str
    module_id: int
    reason: str


@dataclass(frozen=True)
class Bookings:
    """What is already booked: the class's half days, each lecturer's half days, the days a
    lecturer is unavailable, the half days the chosen room is taken; the days off of the
    holiday calendar."""

    cohort: frozenset[tuple[dt.date, str]] = frozenset()
    room: frozenset[tuple[dt.date, str]] = frozenset()
    lecturers: frozenset[tuple[int, dt.date, str]] = frozenset()
    unavailable: frozenset[tuple[int, dt.date]] = frozenset()
    holidays: frozenset[dt.date] = frozenset()


@dataclass
class Layout:
    lessons: list[PlannedLesson] = field(default_factory=list)
    passed_over: list[PassedOver] = field(default_factory=list)

    @property
    def first_day(self) -> dt.date | None:
        return self.lessons[0].date if self.lessons else None

    @property
    def last_day(self) -> dt.date | None:
        return self.lessons[-1].date if self.lessons else None


def lesson_periods(periods: int, periods_per_lesson: int) -> list[int]:
    """The periods of each lesson of a module: full lessons, the last one with what is left."""
    full, rest = divmod(periods, periods_per_lesson)
    return [periods_per_lesson] * full + ([rest] if rest else [])


def _half_days(start: dt.date, weekdays: frozenset[int], sessions: Sequence[str], bookings: Bookings) -> Iterator:
    """The class's free half days from ``start`` on, in order, up to the horizon."""
    chosen = [session for session in DAY_ORDER if session in sessions]
    for offset in range(HORIZON_DAYS):
        day = start + dt.timedelta(days=offset)
        if day.weekday() not in weekdays or day in bookings.holidays:
            continue
        for session in chosen:
            if (day, session) not in bookings.cohort:
                yield day, session


def lay_out(
    parts: Sequence[ModulePart],
    *,
    start: dt.date,
    weekdays: Sequence[int],
    sessions: Sequence[str],
    periods_per_lesson: int = 5,
    bookings: Bookings | None = None,
) -> Layout:
    """The lessons of ``parts`` from ``start`` on (see the module's docstring). ``weekdays``
    are Python's (Monday 0 to Sunday 6); ``sessions`` are ``Session`` values."""
    bookings = bookings or Bookings()
    if not parts:
        raise LayoutError(_("Choose at least one module."))
    if not weekdays:
        raise LayoutError(_("Choose at least one teaching day of the week."))
    if not sessions or any(session not in DAY_ORDER for session in sessions):
        raise LayoutError(_("Choose the half days of teaching: morning, afternoon or evening."))
    if not 1 <= periods_per_lesson <= 10:
        raise LayoutError(_("A lesson has 1 to 10 periods."))
    for part in parts:
        if not part.lecturer_ids:
            raise LayoutError(_("Choose at least one lecturer for every module."))
        if part.periods < 1:
            raise LayoutError(_("A module of the timetable needs at least one period."))
    layout = Layout()
    booked = set(bookings.lecturers)
    free = _half_days(start, frozenset(weekdays), sessions, bookings)
    for part in parts:
        turn = 0
        for periods in lesson_periods(part.periods, periods_per_lesson):
            while True:
                slot = next(free, None)
                if slot is None:
                    raise LayoutError(
                        _("No free half day is left within two years of the start date: choose more days or half days.")
                    )
                day, session = slot
                if (day, session) in bookings.room:
                    layout.passed_over.append(PassedOver(day, session, part.module_id, _("the room is booked")))
                    continue
                lecturer = _free_lecturer(part.lecturer_ids, turn, day, session, booked, bookings.unavailable)
                if lecturer is not None:
                    break
                layout.passed_over.append(
                    PassedOver(day, session, part.module_id, _("none of the module's lecturers is free"))
                )
            turn = part.lecturer_ids.index(lecturer) + 1
            booked.add((lecturer, day, session))
            layout.lessons.append(PlannedLesson(part.module_id, lecturer, day, session, periods))
    return layout


def _free_lecturer(lecturers, turn, day, session, booked, unavailable) -> int | None:
    """The first lecturer free in the half day, from ``turn`` on (each teaches in turn)."""
    for i in range(len(lecturers)):
        lecturer = lecturers[(turn + i) % len(lecturers)]
        if (lecturer, day, session) not in booked and (lecturer, day) not in unavailable:
            return lecturer
    return None


def bookings_for(
    cohort_id: int | None, lecturer_ids: Sequence[int], start: dt.date, room_id: int | None = None
) -> Bookings:
    """What is booked from ``start`` to the horizon: the class's lessons, the lecturers'
    lessons in any class and their unavailable days, the room's lessons of other classes and
    its exams, and the holiday calendar (four queries, six with a room)."""
    end = start + dt.timedelta(days=HORIZON_DAYS)
    lessons = Lesson.objects.between(start, end)
    cohort = frozenset(lessons.filter(cohort_id=cohort_id).values_list("date", "session")) if cohort_id else frozenset()
    room = frozenset()
    if room_id:
        room = frozenset(lessons.filter(room_id=room_id).exclude(cohort_id=cohort_id).values_list("date", "session"))
        # Its exams (the exams app's rooms, reached through the relation).
        exams = Room.objects.filter(pk=room_id, exam_rooms__date__gte=start, exam_rooms__date__lte=end)
        room |= frozenset(exams.values_list("exam_rooms__date", "exam_rooms__session"))
    lecturer_ids = list(lecturer_ids)
    lecturers = frozenset(lessons.filter(lecturer_id__in=lecturer_ids).values_list("lecturer_id", "date", "session"))
    return Bookings(
        cohort=cohort,
        room=room,
        lecturers=lecturers,
        unavailable=frozenset(Unavailability.objects.lecturer_days_between(start, end, lecturer_ids)),
        holidays=frozenset(Holiday.objects.days_between(start, end)),
    )


def _check_periods(cohort, modules, layout: Layout) -> None:
    """Refuse a layout that gives a module more periods than its curriculum has, with what
    the class's timetable holds already."""
    planned = Counter()
    for lesson in layout.lessons:
        planned[lesson.module_id] += lesson.periods
    held = dict(
        cohort.lessons.filter(module_id__in=list(planned))
        .values("module_id")
        .annotate(total=Sum("periods"))
        .values_list("module_id", "total")
    )
    for module_id, periods in planned.items():
        module = modules.get(module_id)
        if module is None or module.program_id != cohort.program_id:
            raise ValidationError(_("A lesson's module is not part of the class's program."))
        if held.get(module_id, 0) + periods > module.periods:
            raise ValidationError(
                _(
                    "%(module)s has %(periods)s periods; the timetable holds %(held)s of them already and this "
                    "adds %(added)s."
                )
                % {"module": module.code, "periods": module.periods, "held": held.get(module_id, 0), "added": periods}
            )


@transaction.atomic
def timetable_save(
    *, user, cohort, layout: Layout, place: str | None = None, venue: str = "", room=None
) -> list[Lesson]:
    """Write every lesson of ``layout`` into the class's timetable, or none: each through
    ``services.lesson_schedule`` (the office only; a clash with a lesson booked since the
    layout was made, or a date outside the class's dates, refuses the whole timetable, with
    the lesson's day and half day named). The lecturers are assigned to their modules first
    where they were not."""
    # Two saves of the class at once run one after the other, and the second sees the first's
    # lessons: no module gets more periods than its curriculum.
    list(Cohort.objects.select_for_update().filter(pk=cohort.pk).values_list("pk", flat=True))
    modules = Module.objects.in_bulk({lesson.module_id for lesson in layout.lessons})
    lecturers = Lecturer.objects.in_bulk({lesson.lecturer_id for lesson in layout.lessons})
    _check_periods(cohort, modules, layout)
    for module_id, lecturer_id in dict.fromkeys((x.module_id, x.lecturer_id) for x in layout.lessons):
        services.assignment_add(user=user, cohort=cohort, module=modules[module_id], lecturer=lecturers[lecturer_id])
    saved = []
    for planned in layout.lessons:
        try:
            saved.append(
                services.lesson_schedule(
                    user=user,
                    cohort=cohort,
                    module=modules[planned.module_id],
                    lecturer=lecturers[planned.lecturer_id],
                    date=planned.date,
                    session=planned.session,
                    periods=planned.periods,
                    venue=venue,
                    place=place,
                    room=room,
                    kind=planned.kind,
                )
            )
        except ValidationError as error:
            where = _("%(session)s of %(date)s") % {
                "session": Session(planned.session).label.lower(),
                "date": format_date(planned.date),
            }
            raise ValidationError([f"{where}: {message}" for message in error.messages]) from None
    return saved
