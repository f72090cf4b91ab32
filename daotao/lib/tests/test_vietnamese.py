"""Vietnamese conventions against the shared, independently computed vectors."""

import datetime as dt
from decimal import Decimal

import pytest

from daotao.lib import vietnamese as vn
from daotao.testing import load_testdata

FORMATS = load_testdata("formats.json")
NAMES = load_testdata("names-order.json")


@pytest.mark.parametrize(("value", "text"), FORMATS["integers"])
def test_integers(value, text):
    assert vn.format_int(value) == text


@pytest.mark.parametrize(("value", "text"), FORMATS["decimals_1"])
def test_decimals(value, text):
    assert vn.format_decimal(value, 1) == text


@pytest.mark.parametrize(("value", "text"), FORMATS["percent_2"])
def test_percentages(value, text):
    assert vn.format_percent(value, 2) == text


@pytest.mark.parametrize(("value", "text"), FORMATS["class_counts"])
def test_class_counts(value, text):
    assert vn.format_count(value) == text


@pytest.mark.parametrize(("iso", "text"), FORMATS["dates"])
def test_dates_both_ways(iso, text):
    day = dt.date.fromisoformat(iso)
    assert vn.format_date(day) == text
    assert vn.parse_date(text) == day


@pytest.mark.parametrize(("utc", "text"), FORMATS["datetimes_utc_to_local"])
def test_datetimes_in_school_time_zone(utc, text):
    assert vn.format_local_datetime(dt.datetime.fromisoformat(utc.replace("Z", "+00:00"))) == text


@pytest.mark.parametrize(("name", "folded"), FORMATS["folding"])
def test_folding(name, folded):
    assert vn.fold(name) == folded


def test_search_words_are_folded_distinct_and_few():
    assert vn.search_words("  Trần THỊ  tran Diệp thị ") == ["tran", "thi", "diep"]
    assert vn.search_words("") == []
    many = " ".join(f"w{i % 50}" for i in range(1000))
    assert vn.search_words(many) == [f"w{i}" for i in range(10)]
    assert vn.search_words(many, limit=3) == ["w0", "w1", "w2"]


def test_search_words_read_the_first_hundred_characters():
    """Every search (pages, the portal, the admin, the API) reads at most SEARCH_MAX_LENGTH
    characters of what was typed."""
    assert vn.SEARCH_MAX_LENGTH == 100
    assert vn.search_words("a" * 500) == ["a" * 100]
    assert vn.search_words("x" * 99 + " tran") == ["x" * 99]


def test_name_order_matches_icu_vi():
    assert sorted(NAMES["input"], key=vn.name_sort_key) == NAMES["expected"]


def test_name_order_details():
    # Letters before tones: "Ha" < "Hà" < "Hả" < "Hã" < "Há" < "Hạ" < "Hai".
    assert sorted(["Lê Hai", "Lê Hạ", "Lê Há", "Lê Hã", "Lê Hả", "Lê Hà", "Lê Ha"], key=vn.name_sort_key) == [
        "Lê Ha", "Lê Hà", "Lê Hả", "Lê Hã", "Lê Há", "Lê Hạ", "Lê Hai",
    ]  # fmt: skip
    # Vietnamese alphabet: a < ă < â, d < đ, o < ô < ơ, u < ư.
    assert sorted(["A Đức", "A Dũng", "A Ưng", "A Uyên"], key=vn.name_sort_key) == [
        "A Dũng", "A Đức", "A Uyên", "A Ưng",
    ]  # fmt: skip
    # The given name decides first, the family and middle name after it.
    assert sorted(["Trần Văn An", "Lê Bình"], key=vn.name_sort_key) == ["Trần Văn An", "Lê Bình"]
    # The key is digits only, so any database collation orders it the same way.
    assert vn.name_sort_key("Đặng Thị Thảo").isdigit()


def test_name_order_ignores_unicode_normalisation_form():
    import unicodedata

    name = "Nguyễn Thị Ảnh"
    assert vn.name_sort_key(unicodedata.normalize("NFD", name)) == vn.name_sort_key(name)
    assert vn.fold(unicodedata.normalize("NFD", name)) == "nguyen thi anh"


def test_normalize_name():
    assert vn.normalize_name("  NGUYỄN   VĂN   ƯNG ") == "Nguyễn Văn Ưng"
    assert vn.normalize_name("trần thị ngọc diệp") == "Trần Thị Ngọc Diệp"
    assert vn.normalize_name("Lê Văn McCain") == "Lê Văn McCain"  # mixed case kept as typed


def test_split_name():
    assert vn.split_name("Trần Thị Ngọc Diệp") == ("Trần Thị Ngọc", "Diệp")
    assert vn.split_name("Diệp") == ("", "Diệp")


def test_decimal_rounding_is_half_up_and_grouped():
    assert vn.format_decimal(0.25, 1) == "0,3"
    assert vn.format_decimal(Decimal("1234.5"), 1) == "1.234,5"
    assert vn.format_decimal(-2.25, 1) == "-2,3"


def test_file_sizes_as_people_read_them():
    assert vn.format_file_size(10 * 1024 * 1024) == "10 MB"
    assert vn.format_file_size(1_572_864) == "1,5 MB"
    assert vn.format_file_size(2048) == "2 KB"
    assert vn.format_file_size(1000) == "1.000 byte"


def test_parse_date_refuses_month_first():
    with pytest.raises(ValueError):
        vn.parse_date("13/25/2021")
    assert vn.parse_date("5/3/2026") == dt.date(2026, 3, 5)


# The one date-input rule (``parse_date``), which every form field, the admin, the imports
# and the API read dates by (``daotao.web.tests.test_forms`` checks the forms against it).
DATE_INPUTS = [
    ("25/01/2021", dt.date(2021, 1, 25)),
    ("5/3/2026", dt.date(2026, 3, 5)),
    (" 05/03/2026 ", dt.date(2026, 3, 5)),
    ("2021-01-25", dt.date(2021, 1, 25)),
    ("25/01/21", None),  # a two-digit year is refused, never guessed
    ("01/25/2021", None),  # month first
    ("31/02/2026", None),
    ("25.01.2021", None),
    ("25-01-2021", None),
    ("25/01/2021 08:00", None),
    ("hôm nay", None),
]


@pytest.mark.parametrize(("text", "day"), DATE_INPUTS)
def test_the_date_input_rule(text, day):
    if day is None:
        with pytest.raises(ValueError):
            vn.parse_date(text)
    else:
        assert vn.parse_date(text) == day


def test_percent_of_a_value_already_in_percent():
    assert vn.format_percent_value(Decimal("20.16")) == "20,16%"
    assert vn.format_percent_value(20, 0) == "20%"
    assert vn.format_percent_value(Decimal("5")) == "5,00%"
    assert vn.format_percent(Decimal("0.2016")) == vn.format_percent_value(Decimal("20.16"))


def test_long_date_line():
    assert vn.format_long_date(dt.date(2026, 3, 5), "Bình An") == "Bình An, ngày 05 tháng 3 năm 2026"
    assert vn.format_long_date(dt.date(2021, 1, 25)) == "ngày 25 tháng 01 năm 2021"


def test_invisible_characters_are_dropped_from_typed_text():
    # A code pasted with a zero-width space is the same code.
    assert vn.normalize_space(" B\u00a0A\u200b ") == "B A"
    assert vn.normalize_space("\ufeffTrần\u200d Thị  Hoa\u00ad") == "Trần Thị Hoa"


@pytest.mark.parametrize(
    ("part", "whole", "fraction", "text"),
    [
        (1, 29, Decimal("0.0345"), "3,45%"),  # 3,448…
        (7, 29, Decimal("0.2414"), "24,14%"),  # 24,137…
        (19, 29, Decimal("0.6552"), "65,52%"),  # 65,517…
        (2, 29, Decimal("0.0690"), "6,90%"),  # 6,896…
        (1, 160, Decimal("0.0063"), "0,63%"),  # 0,625 exactly: half up, not to even
        (1, 1, Decimal("1.0000"), "100,00%"),
        (0, 7, Decimal("0.0000"), "0,00%"),
    ],
)
def test_a_share_rounded_half_up_on_its_own(part, whole, fraction, text):
    assert vn.share(part, whole) == fraction
    assert vn.format_percent(vn.share(part, whole)) == text


def test_a_share_of_nothing_and_other_places():
    assert vn.share(3, 0) is None
    assert vn.share(1, 8, places=0) == Decimal("0.13")  # 12,5% -> 13%
    assert vn.format_percent(vn.share(1, 3, places=1), 1) == "33,3%"


@pytest.mark.parametrize(
    ("value", "text"),
    [(1250000, "1.250.000 đ"), (0, "0 đ"), (500, "500 đ"), (-50000, "-50.000 đ"), (10_000_000_000, "10.000.000.000 đ")],
)
def test_money(value, text):
    assert vn.format_money(value) == text
