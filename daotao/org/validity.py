"""Whether a record may name a unit: the one home of the rule (docs/counting.md, "Units
that no longer exist").

A unit exists from ``valid_from`` to ``valid_to`` (both days included; empty: no limit).
A record names a unit for a day or for a year:

- a day (a class's opening date): the unit must exist on that day;
- a year (a quota line's plan year, a topic's year, a nomination's plan year): the unit
  must exist on at least one day of that year. A district dissolved on 30/06/2025 still
  takes 2025 quotas, topics and nominations (the year's plan was made while it existed),
  none for 2026; a commune created on 01/07/2025 takes them from 2025.

Only new records are checked, and records whose unit or date is changed: an old record
that named a unit while it existed (a 2024 class held in a district dissolved in 2025)
keeps it and can still be edited.
"""

from __future__ import annotations

import copy
import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from daotao.lib.vietnamese import format_date


def _bounds(on: dt.date | int) -> tuple[dt.date, dt.date]:
    if isinstance(on, dt.date):
        return on, on
    return dt.date(on, 1, 1), dt.date(on, 12, 31)


def _when(on: dt.date | int) -> str:
    if isinstance(on, dt.date):
        return _("on %(date)s") % {"date": format_date(on)}
    return _("for %(year)s") % {"year": on}


def successor_names(unit) -> list[str]:
    """The names of the units that took over from ``unit`` when it ended, as recorded (one
    query, kept on the unit: an import's rows naming the same unit ask once)."""
    names = getattr(unit, "_successor_names", None)
    if names is None:
        successors = getattr(unit, "successors", None)  # org.Succession, many to many
        if successors is not None and hasattr(successors, "order_by"):
            names = list(successors.order_by("sort_key", "pk").values_list("name", flat=True))
        elif getattr(unit, "successor_id", None):  # the single successor of earlier versions
            names = [unit.successor.name]
        else:
            names = []
        unit._successor_names = names
    return names


def unit_problem(unit, on: dt.date | int) -> str | None:
    """Why a new record dated ``on`` (a day, or a year: any day of it) cannot name ``unit``;
    None when it may. The message names the unit and the day its validity ended or starts."""
    if unit is None or on is None:
        return None
    start, end = _bounds(on)
    values = {"name": unit.name, "code": unit.code, "when": _when(on)}
    if unit.valid_to is not None and unit.valid_to < start:
        message = _("%(name)s (%(code)s) existed only until %(end)s: it cannot be named %(when)s.") % {
            **values,
            "end": format_date(unit.valid_to),
        }
        successors = successor_names(unit)
        if successors:
            message += " " + _("Its successors: %(names)s.") % {"names": ", ".join(successors)}
        return message
    if unit.valid_from is not None and unit.valid_from > end:
        return _("%(name)s (%(code)s) exists only from %(start)s: it cannot be named %(when)s.") % {
            **values,
            "start": format_date(unit.valid_from),
        }
    return None


def check_unit_valid(unit, on: dt.date | int, field: str | None = None) -> None:
    """``unit_problem`` as a ``ValidationError`` (on ``field`` when given)."""
    problem = unit_problem(unit, on)
    if problem:
        raise ValidationError({field: problem} if field else problem)


def form_unit_check(form, field: str, on: dt.date | int | None, dated_by: tuple[str, ...] = ()) -> None:
    """In a ModelForm's ``clean``: put ``unit_problem`` of the unit chosen in ``field`` on that
    field, for a new record or when the unit or one of the fields in ``dated_by`` (which
    give ``on``) changed. An old record is never refused for a unit it already named."""
    unit = form.cleaned_data.get(field)
    if unit is None or on is None or field in form.errors:
        return
    instance = getattr(form, "instance", None)
    if instance is not None and instance.pk is not None and not {field, *dated_by} & set(form.changed_data):
        return
    problem = unit_problem(unit, on)
    if problem:
        form.add_error(field, problem)


def not_ended_q(day: dt.date, prefix: str = "") -> Q:
    """Units that have not ended before ``day``: the choices a form offers for a new record
    (a unit still to be created is offered; its record's date decides)."""
    return Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})


def offer_not_ended(field, day: dt.date, keep=None) -> None:
    """Offer in a unit field's menu only the units not ended before ``day`` (and ``keep``, a
    ``Q`` such as the record's own unit). The field still accepts the other units of its
    queryset, so that one typed or posted gets ``unit_problem``'s message from the form's
    ``clean`` rather than "not one of the available choices". Call after setting the
    field's queryset."""
    offered = copy.copy(field)  # shares the widget: setting its queryset sets the menu
    wanted = not_ended_q(day) | keep if keep is not None else not_ended_q(day)
    offered.queryset = field.queryset.filter(wanted)
