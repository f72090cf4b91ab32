"""Building a class's timetable from its curriculum in one step (the training office).

The office chooses the start date, teaching days, half days, the modules in their order
with their lecturers, the place and the room; "Preview" lays the lessons out
(``timetable.lay_out``) and shows them week by week, each module in its colour, with every
lesson editable (a form row, or dragged to another half day of the week view); "Save"
checks the edited lessons and writes them all or none (``timetable.timetable_save``), a
clash refused with the half day and what clashes named. Nothing is kept between the two
steps but the page's own fields."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from daotao.accounts.access import office_required
from daotao.cohorts.access import cohort_for_user
from daotao.cohorts.models import Mode
from daotao.lib.vietnamese import format_date, format_int
from daotao.org.models import Lecturer
from daotao.programs.models import Module, ModuleKind
from daotao.teaching import services
from daotao.teaching.forms import (
    ModulePlanFormSet,
    PlannedLessonFormSet,
    TimetableOptionsForm,
)
from daotao.teaching.models import Holiday, Session, TeachingAssignment
from daotao.teaching.timetable import (
    DAY_ORDER,
    HORIZON_DAYS,
    Layout,
    LayoutError,
    ModulePart,
    PlannedLesson,
    bookings_for,
    lay_out,
    timetable_save,
)
from daotao.web.forms import add_service_errors

# Modules laid out by default: those taught in lessons (not the graduation exam or essay).
TAUGHT = (ModuleKind.COURSE, ModuleKind.FIELD_RESEARCH)
# The week view shows Monday to Friday (a lesson may be dragged to any of them) and the
# weekend days chosen.
WORKING_DAYS = range(5)
# Colours of the modules in the week view (CSS classes ``module-0`` …).
COLOURS = 10


def _initial_options(cohort) -> dict:
    concentrated = cohort.mode == Mode.CONCENTRATED
    return {
        "start": cohort.opening_date,
        "weekdays": [0, 1, 2, 3, 4] if concentrated else [0, 2, 4],
        "sessions": [Session.MORNING, Session.AFTERNOON] if concentrated else [Session.MORNING],
        "periods_per_lesson": 5,
        "place": services.default_place(cohort),
        "venue": "",
    }


@dataclass
class ModuleRow:
    module: Module
    form: object
    periods_left: int


def _module_rows(cohort, data):
    """The program's modules with what is left of their periods (periods minus those already
    in the timetable) and, by default, the lecturers assigned to them in the class."""
    modules = list(Module.objects.filter(program=cohort.program_id).order_by("order", "code"))
    scheduled = dict(
        cohort.lessons.values("module_id").annotate(total=Sum("periods")).values_list("module_id", "total")
    )
    assigned = defaultdict(list)
    for module_id, lecturer_id in TeachingAssignment.objects.filter(cohort=cohort).values_list(
        "module_id", "lecturer_id"
    ):
        assigned[module_id].append(lecturer_id)
    left = {m.pk: max(m.periods - scheduled.get(m.pk, 0), 0) for m in modules}
    initial = [
        {
            "module": m.pk,
            "include": m.kind in TAUGHT and left[m.pk] > 0,
            "order": index + 1,
            "lecturers": assigned[m.pk],
        }
        for index, m in enumerate(modules)
    ]
    choices = list(Lecturer.objects.filter(is_active=True).order_by("sort_key", "pk").values_list("pk", "full_name"))
    formset = ModulePlanFormSet(data, initial=initial, prefix="m", form_kwargs={"lecturer_choices": choices})
    rows = [ModuleRow(m, form, left[m.pk]) for m, form in zip(modules, formset.forms, strict=False)]
    return formset, rows, {m.pk: m for m in modules}, left


def _parts(formset, modules, left) -> list[ModulePart]:
    """The modules chosen, in the order typed (ties in the curriculum's order)."""
    chosen, seen = [], set()
    for form in formset.forms:
        data = form.cleaned_data
        module = modules.get(data.get("module"))
        if module is None or not data.get("include") or left[module.pk] == 0 or module.pk in seen:
            continue
        seen.add(module.pk)
        lecturer_ids = tuple(dict.fromkeys(data["lecturers"]))
        chosen.append((data["order"], module.order, module.code, ModulePart(module.pk, left[module.pk], lecturer_ids)))
    return [part for *_, part in sorted(chosen, key=lambda x: x[:3])]


def _lecturer_choices(parts) -> dict[int, list[tuple[int, str]]]:
    ids = {lecturer for part in parts for lecturer in part.lecturer_ids}
    names = dict(Lecturer.objects.filter(pk__in=ids).values_list("pk", "full_name"))
    return {part.module_id: [(pk, names[pk]) for pk in part.lecturer_ids] for part in parts}


@dataclass
class Cell:
    date: dt.date
    session: str
    holiday: str = ""
    lessons: list = field(default_factory=list)


@dataclass
class Week:
    monday: dt.date
    days: list[dt.date]
    rows: list  # (the half day's name, [Cell per day])


def _weeks(planned, chips, weekdays, sessions, holidays: dict[dt.date, str]) -> list[Week]:
    """The week view: every week from the first lesson's to the last's, the working days and
    the days of the week taught (or with a lesson moved to them), each with its half days and
    their lessons
    (``chips``: what each lesson shows, by its row)."""
    if not planned:
        return []
    days_shown = sorted(set(WORKING_DAYS) | set(weekdays) | {lesson.date.weekday() for _, lesson in planned})
    sessions_shown = [s for s in DAY_ORDER if s in set(sessions) | {lesson.session for _, lesson in planned}]
    by_slot = defaultdict(list)
    for index, lesson in planned:
        if index in chips:
            by_slot[(lesson.date, lesson.session)].append(chips[index])
    first = min(lesson.date for _, lesson in planned)
    last = min(max(lesson.date for _, lesson in planned), first + dt.timedelta(days=HORIZON_DAYS))
    monday = first - dt.timedelta(days=first.weekday())
    weeks = []
    while monday <= last:
        days = [monday + dt.timedelta(days=weekday) for weekday in days_shown]
        rows = [
            (Session(s).label, [Cell(day, s, holidays.get(day, ""), by_slot.get((day, s), [])) for day in days])
            for s in sessions_shown
        ]
        weeks.append(Week(monday, days, rows))
        monday += dt.timedelta(days=7)
    return weeks


def _planned_from(lesson_formset, start: dt.date) -> tuple[list[PlannedLesson], list[str]]:
    """The edited lessons, and what is wrong among them: two lessons in one half day, a
    lesson before the start date or beyond the two years the layout looks ahead."""
    planned, seen, problems = [], {}, []
    end = start + dt.timedelta(days=HORIZON_DAYS)
    for number, form in enumerate(lesson_formset.forms, start=1):
        data = form.cleaned_data
        lesson = PlannedLesson(data["module"], data["lecturer"], data["date"], data["session"], data["periods"])
        if not start <= lesson.date <= end:
            problems.append(
                _("Lesson %(number)s (%(date)s) is outside the timetable's dates, from %(start)s to %(end)s.")
                % {
                    "number": format_int(number),
                    "date": format_date(lesson.date),
                    "start": format_date(start),
                    "end": format_date(end),
                }
            )
        key = (lesson.date, lesson.session)
        if key in seen:
            problems.append(
                _("Lessons %(first)s and %(second)s are both on the %(session)s of %(date)s.")
                % {
                    "first": format_int(seen[key]),
                    "second": format_int(number),
                    "session": Session(lesson.session).label.lower(),
                    "date": format_date(lesson.date),
                }
            )
        seen.setdefault(key, number)
        planned.append(lesson)
    return planned, problems


def _holiday_problems(planned: list[PlannedLesson]) -> list[str]:
    if not planned:
        return []
    names = Holiday.objects.names_between(min(x.date for x in planned), max(x.date for x in planned))
    return [
        _("%(date)s is a day off (%(holiday)s).") % {"date": format_date(x.date), "holiday": names[x.date]}
        for x in planned
        if x.date in names
    ]


@office_required
def timetable_generate(request, cohort_id):
    cohort = cohort_for_user(request.user, whole=True, pk=cohort_id).cohort
    posted = request.method == "POST"
    action = request.POST.get("action") if posted else None
    options = TimetableOptionsForm(request.POST if posted else None, initial=_initial_options(cohort))
    module_formset, module_rows, modules, left = _module_rows(cohort, request.POST if posted else None)
    context = {"cohort": cohort, "whole": True, "options": options, "module_formset": module_formset}
    context["module_rows"] = module_rows
    if not posted:
        return render(request, "teaching/timetable_generate.html", context)
    if not (options.is_valid() and module_formset.is_valid()):
        return render(request, "teaching/timetable_generate.html", context)
    parts = _parts(module_formset, modules, left)
    choices = _lecturer_choices(parts)
    room = options.cleaned_data["room"]
    problem = services.room_problem(room, cohort)
    if problem:
        options.add_error("room", problem)
        return render(request, "teaching/timetable_generate.html", context)
    if action == "save" and not parts:
        options.add_error(None, _("No module is left to lay out: those chosen are in the timetable already."))
        return render(request, "teaching/timetable_generate.html", context)
    if action == "save":
        lesson_formset = PlannedLessonFormSet(
            request.POST, prefix="l", form_kwargs={"lecturer_choices": [c for cs in choices.values() for c in cs]}
        )
        if lesson_formset.is_valid():
            planned, problems = _planned_from(lesson_formset, options.cleaned_data["start"])
            problems += _module_lecturer_problems(planned, choices, modules)
            problems += _holiday_problems(planned)
            if not problems:
                try:
                    saved = timetable_save(
                        user=request.user,
                        cohort=cohort,
                        layout=Layout(planned),
                        place=options.cleaned_data["place"],
                        venue=options.cleaned_data["venue"],
                        room=room,
                    )
                except ValidationError as error:
                    problems = error.messages
                else:
                    if saved:
                        messages.success(
                            request,
                            _("The timetable was saved: %(count)s lessons from %(first)s to %(last)s.")
                            % {
                                "count": format_int(len(saved)),
                                "first": format_date(saved[0].date),
                                "last": format_date(saved[-1].date),
                            },
                        )
                    return redirect("teaching:cohort", cohort_id=cohort.pk)
            context["problems"] = problems
        planned = _rows_as_planned(lesson_formset)
    else:
        try:
            bookings = bookings_for(
                cohort.pk,
                {x for part in parts for x in part.lecturer_ids},
                options.cleaned_data["start"],
                room.pk if room else None,
            )
            layout = lay_out(
                parts,
                start=options.cleaned_data["start"],
                weekdays=options.cleaned_data["weekdays"],
                sessions=options.cleaned_data["sessions"],
                periods_per_lesson=options.cleaned_data["periods_per_lesson"],
                bookings=bookings,
            )
        except LayoutError as error:
            add_service_errors(options, ValidationError(str(error)))
            return render(request, "teaching/timetable_generate.html", context)
        initial = [
            {
                "module": x.module_id,
                "lecturer": x.lecturer_id,
                "date": x.date,
                "session": x.session,
                "periods": x.periods,
            }
            for x in layout.lessons
        ]
        lesson_formset = PlannedLessonFormSet(
            initial=initial,
            prefix="l",
            form_kwargs={"lecturer_choices": [c for cs in choices.values() for c in cs]},
        )
        context["passed_over"] = layout.passed_over
        context["outside"] = _outside_problems(cohort, layout)
        planned = list(enumerate(layout.lessons))
    context.update(_preview(parts, modules, choices, lesson_formset, planned, options))
    return render(request, "teaching/timetable_generate.html", context)


def _rows_as_planned(lesson_formset) -> list[tuple[int, PlannedLesson]]:
    """The rows as typed (by their index), those that parse, to show the week view again
    with the errors."""
    rows = []
    for index, form in enumerate(lesson_formset.forms):
        data = getattr(form, "cleaned_data", None) or {}
        if all(data.get(key) is not None for key in ("module", "lecturer", "date", "session", "periods")):
            lesson = PlannedLesson(data["module"], data["lecturer"], data["date"], data["session"], data["periods"])
            rows.append((index, lesson))
    return rows


def _module_lecturer_problems(planned, choices, modules) -> list[str]:
    problems = []
    for lesson in planned:
        allowed = {pk for pk, _name in choices.get(lesson.module_id, ())}
        if lesson.lecturer_id not in allowed:
            module = modules.get(lesson.module_id)
            problems.append(
                _("The lesson of %(date)s: choose one of the lecturers of %(module)s.")
                % {"date": format_date(lesson.date), "module": module.code if module else "?"}
            )
    return problems


def _outside_problems(cohort, layout) -> str | None:
    if cohort.closing_date and layout.last_day and layout.last_day > cohort.closing_date:
        return _("The last lesson (%(last)s) falls after the class's closing date (%(closing)s).") % {
            "last": format_date(layout.last_day),
            "closing": format_date(cohort.closing_date),
        }
    return None


def _preview(parts, modules, choices, lesson_formset, planned, options) -> dict:
    """The week view and the lessons grouped by module, each row of the form with its number."""
    colour = {part.module_id: index % COLOURS for index, part in enumerate(parts)}
    names = {pk: name for cs in choices.values() for pk, name in cs}
    rows_by_module = defaultdict(list)
    for index, form in enumerate(lesson_formset.forms):
        module_id = _int(form["module"].value())
        rows_by_module[module_id].append((index + 1, form))
    first = min((x.date for _, x in planned), default=None)
    last = max((x.date for _, x in planned), default=None)
    holidays = Holiday.objects.names_between(first, last) if first else {}
    chips = {
        index: {
            "row": index,
            "module": modules[lesson.module_id],
            "lecturer": names.get(lesson.lecturer_id, ""),
            "colour": colour.get(lesson.module_id, 0),
        }
        for index, lesson in planned
        if lesson.module_id in modules
    }
    groups = [
        {
            "module": modules[part.module_id],
            "colour": colour[part.module_id],
            "rows": rows_by_module.get(part.module_id, []),
            "periods": part.periods,
        }
        for part in parts
    ]
    return {
        "preview": True,
        "lesson_formset": lesson_formset,
        "weeks": _weeks(planned, chips, options.cleaned_data["weekdays"], options.cleaned_data["sessions"], holidays),
        "groups": groups,
        "first": first,
        "last": last,
        "count": len(lesson_formset.forms),
    }


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
