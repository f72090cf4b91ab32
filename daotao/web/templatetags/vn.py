"""Template filters for the Vietnamese conventions (DESIGN.md section 5)."""

import datetime as dt

from django import template

from daotao.lib import vietnamese

register = template.Library()


@register.filter
def vn_int(value):
    """``1040`` -> ``1.040``."""
    if value in (None, ""):
        return ""
    return vietnamese.format_int(value)


@register.filter
def vn_count(value):
    """Class counts as reports write them: ``07``."""
    if value in (None, ""):
        return ""
    return vietnamese.format_count(value)


@register.filter
def vn_decimal(value, places=1):
    if value in (None, ""):
        return ""
    return vietnamese.format_decimal(value, int(places))


@register.filter
def vn_money(value):
    """An amount in đồng as ``1.250.000 đ``."""
    if value in (None, ""):
        return ""
    return vietnamese.format_money(value)


@register.filter
def vn_percent(ratio, places=2):
    """A ratio as ``20,16%``."""
    if ratio in (None, ""):
        return ""
    return vietnamese.format_percent(ratio, int(places))


@register.filter
def vn_percent_value(value, places=2):
    """A number already in percent (a setting, a weight) as ``20,16%``."""
    if value in (None, ""):
        return ""
    return vietnamese.format_percent_value(value, int(places))


@register.filter
def vn_date(value):
    """``25/01/2021``; datetimes are shown in the school's time zone."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = value.astimezone(vietnamese.SCHOOL_TZ).date()
    return vietnamese.format_date(value)


@register.filter
def vn_weekday(value):
    """``T2`` … ``CN``: the day of the week of a date."""
    return vietnamese.format_weekday(value)


@register.filter
def vn_datetime(value):
    """``16:42:37 25/01/2021 (GMT+7)``: a moment in the school's time zone."""
    if not value:
        return ""
    return vietnamese.format_local_datetime(value)
