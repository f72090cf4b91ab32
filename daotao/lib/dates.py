"""Date arithmetic with no Django import."""

from __future__ import annotations

import calendar
import datetime as dt

# The years a plan, a report, an import or a filter may name.
MIN_YEAR, MAX_YEAR = 1950, 2100


def is_year(year: int) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR


def parse_year(text: str) -> int | None:
    """The year a filter names (``"2026"``), or None for anything else: not digits 0-9
    only, or not from ``MIN_YEAR`` to ``MAX_YEAR``."""
    text = (text or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 4:
        return None
    year = int(text)
    return year if is_year(year) else None


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier), on the month's last day when the month
    is shorter: 31/01 + 1 month is 28/02 (29/02 in a leap year)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))
