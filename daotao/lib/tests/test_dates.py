"""Date arithmetic and the years the school's records may name."""

import datetime as dt

import pytest

from daotao.lib.dates import MAX_YEAR, MIN_YEAR, add_months, is_year, parse_year


def test_add_months_keeps_the_day_or_takes_the_last():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2026, 3, 15), -3) == dt.date(2025, 12, 15)


def test_the_years_a_plan_a_report_an_import_or_a_filter_may_name():
    assert (MIN_YEAR, MAX_YEAR) == (1950, 2100)
    assert is_year(1950) and is_year(2100)
    assert not is_year(1949) and not is_year(2101)


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("2026", 2026),
        (" 1950 ", 1950),
        ("2100", 2100),
        ("1949", None),  # a filter once read any four digits (the register): the years' range wins
        ("1900", None),
        ("2101", None),
        ("", None),
        ("20 26", None),
        ("２０２６", None),  # full-width digits are not typed years
        ("9" * 5000, None),
        ("-2026", None),
    ],
)
def test_parse_year(text, year):
    assert parse_year(text) == year
