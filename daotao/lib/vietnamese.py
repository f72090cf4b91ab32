"""Vietnamese text and number conventions (DESIGN.md section 5).

Pure functions, no Django import:

* ``fold`` - accent and case folding for search ("Trần Thị Ngọc Diệp" -> "tran thi ngoc diep");
  ``search_words`` - the words a search matches, folded, each once, a bounded number;
* ``name_sort_key`` - a key for class lists: given name first, then family and middle
  name, in Vietnamese alphabetical order with tones ngang < huyền < hỏi < ngã < sắc < nặng;
* number, percentage and date formatting the Vietnamese way (``1.040``, ``9,5``,
  ``20,16%``, ``25/01/2021``).

The sort key is made only of the digits 0-9 so that it compares the same under any
database collation (SQLite's BINARY, PostgreSQL's C or a linguistic locale alike).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

SCHOOL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# Combining marks that change the letter (primary difference): breve, circumflex, horn.
_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"
# Tone marks in collation order: huyền, hỏi, ngã, sắc, nặng (ngang = no mark = 0).
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

# The Vietnamese alphabet, with the letters only loanwords use (f j w z) in Latin places.
_ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l",
    "m", "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]  # fmt: skip
_SEPARATOR = "01"  # between words: sorts before any digit or letter
_END = "00"  # ends the primary part of a key
_PRIMARY = {ch: f"{i + 2:02d}" for i, ch in enumerate("0123456789")}
_PRIMARY.update({ch: f"{i + 12:02d}" for i, ch in enumerate(_ALPHABET)})

_WS = re.compile(r"\s+")
# Invisible format characters (zero-width spaces and joiners, the byte-order mark, the soft
# hyphen): pasted from other documents, they would make two equal codes or names differ.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")


def normalize_space(text: str) -> str:
    """Strip and collapse runs of whitespace to one space (NFC-normalised), without
    invisible format characters."""
    return _WS.sub(" ", _INVISIBLE.sub("", unicodedata.normalize("NFC", text or ""))).strip()


def normalize_name(text: str) -> str:
    """A person's name as stored: single spaces; ALL CAPS or all lower case become Title Case."""
    name = normalize_space(text)
    if name and (name.isupper() or name.islower()):
        name = " ".join(word[:1].upper() + word[1:].lower() for word in name.split(" "))
    return name


def fold(text: str) -> str:
    """Lower case without diacritics, single-spaced: the stored search key and query form."""
    decomposed = unicodedata.normalize("NFD", normalize_space(text).lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d")


# A search reads at most this many characters and distinct words: each word is one more
# condition in the query, and SQLite refuses a few hundred ("Expression tree is too large").
SEARCH_MAX_LENGTH = 100
SEARCH_MAX_WORDS = 10


def search_words(text: str, limit: int = SEARCH_MAX_WORDS) -> list[str]:
    """The folded words of a search's first ``SEARCH_MAX_LENGTH`` characters, each once, in
    order, at most ``limit`` of them."""
    return list(dict.fromkeys(fold((text or "")[:SEARCH_MAX_LENGTH]).split()))[:limit]


def _letters(word: str) -> list[tuple[str, int]]:
    """Split a word into (base letter, tone) pairs, the base keeping ă â ê ô ơ ư đ."""
    result: list[tuple[str, int]] = []
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch in _TONES:
            if result:
                base, _ = result[-1]
                result[-1] = (base, _TONES[ch])
        elif ch in (_BREVE, _CIRCUMFLEX, _HORN):
            if result:
                base, tone = result[-1]
                result[-1] = (unicodedata.normalize("NFC", base + ch), tone)
        elif unicodedata.combining(ch):
            continue  # other marks carry no meaning in Vietnamese names
        else:
            result.append((ch, 0))
    return result


def _words_key(words: list[str]) -> str:
    """Primary part (letters), end mark, then secondary part (tones) of a word list."""
    primary: list[str] = []
    secondary: list[str] = []
    for index, word in enumerate(words):
        if index:
            primary.append(_SEPARATOR)
            secondary.append("0")
        for base, tone in _letters(word):
            code = _PRIMARY.get(base)
            if code is None:
                continue  # punctuation (hyphens, apostrophes) is ignored when sorting
            primary.append(code)
            secondary.append(str(tone))
    return "".join(primary) + _END + "".join(secondary)


def split_name(full_name: str) -> tuple[str, str]:
    """(family and middle names, given name): the given name is the last word."""
    words = normalize_space(full_name).split(" ")
    return " ".join(words[:-1]), words[-1]


def name_sort_key(full_name: str) -> str:
    """Class-list order: given name, then family and middle name, each compared fully.

    When two keys' primary parts are equal their secondary parts have equal length, so
    comparing the concatenated strings compares letters first, then tones, then the
    rest of the name - as ICU's ``vi`` collation does on each part.
    """
    rest, given = split_name(full_name)
    return _words_key([given]) + _words_key(rest.split(" ") if rest else [])


def text_sort_key(text: str) -> str:
    """Vietnamese alphabetical key of a whole text (unit names, program names)."""
    return _words_key(normalize_space(text).split(" "))


# --- numbers ----------------------------------------------------------------------


def format_int(value: int) -> str:
    """``1040`` -> ``1.040``; ``4419761`` -> ``4.419.761``."""
    return f"{int(value):,}".replace(",", ".")


def format_money(value: int) -> str:
    """An amount in đồng: ``1250000`` -> ``1.250.000 đ``; ``-50000`` -> ``-50.000 đ``."""
    return f"{'-' if value < 0 else ''}{format_int(abs(int(value)))} đ"


def _quantize(value: float | Decimal, places: int) -> Decimal:
    exponent = Decimal(1).scaleb(-places)
    return Decimal(str(value)).quantize(exponent, rounding=ROUND_HALF_UP)


def format_decimal(value: float | Decimal, places: int = 1) -> str:
    """``9.5`` -> ``9,5``; ``20.16`` -> ``20,2``; rounding half up, grouping thousands."""
    number = _quantize(value, places)
    sign = "-" if number < 0 else ""
    integer, _, fraction = f"{abs(number):f}".partition(".")
    text = sign + format_int(int(integer))
    return f"{text},{fraction}" if places > 0 else text


def format_percent(ratio: float | Decimal, places: int = 2) -> str:
    """A ratio as a percentage: ``0.2016129`` -> ``20,16%``."""
    return format_percent_value(Decimal(str(ratio)) * 100, places)


def share(part: int | Decimal, whole: int | Decimal, places: int = 2) -> Decimal | None:
    """``part`` of ``whole`` as a fraction whose percentage is rounded half up to ``places``
    decimals, each share on its own (not made to add up to 100%): 1 of 29 -> ``0.0345``
    (3,45%), 2 of 29 -> ``0.0690``; None when ``whole`` is 0. Exact (decimal arithmetic),
    so ``format_percent`` of it and a workbook's ``0.00%`` cell of it show the same digits."""
    if not whole:
        return None
    exponent = Decimal(1).scaleb(-(places + 2))
    return (Decimal(part) / Decimal(whole)).quantize(exponent, rounding=ROUND_HALF_UP)


def format_percent_value(value: float | Decimal, places: int = 2) -> str:
    """A number that is already a percentage (a setting such as "at least 20%"):
    ``20.16`` -> ``20,16%``; ``20`` with no places -> ``20%``."""
    return format_decimal(value, places) + "%"


def format_file_size(size: int) -> str:
    """A size in bytes as people read it: ``10485760`` -> ``10 MB``, ``1572864`` -> ``1,5 MB``,
    ``2048`` -> ``2 KB``, ``900`` -> ``900 byte`` (1 KB = 1.024 byte)."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            return f"{format_decimal(size / scale, 1).removesuffix(',0')} {unit}"
    return f"{format_int(size)} byte"


def format_count(value: int) -> str:
    """Counts of classes as official reports write them: ``07``, ``13``, ``1.040``; ``0``."""
    value = int(value)
    if 0 < value < 10:
        return f"{value:02d}"
    return format_int(value)


# --- dates ------------------------------------------------------------------------


def format_date(value: dt.date | None) -> str:
    """``25/01/2021``; empty for no date."""
    return value.strftime("%d/%m/%Y") if value else ""


# The days of the week as a Vietnamese calendar writes them short, Monday first.
WEEKDAY_SHORT = ("T2", "T3", "T4", "T5", "T6", "T7", "CN")


def format_weekday(value: dt.date | None) -> str:
    """``T2`` for a Monday … ``CN`` for a Sunday; empty for no date."""
    return WEEKDAY_SHORT[value.weekday()] if value else ""


def is_whole_number(text: str) -> bool:
    """Digits 0-9 only: ``str.isdigit`` also accepts "²" or "٣", which ``int`` refuses."""
    return bool(text) and text.isascii() and text.isdigit()


# How a date may be typed in every form (the admin's too, through the format modules) and
# the API: ``dd/mm/yyyy`` (also ``d/m/yyyy``) or ISO ``yyyy-mm-dd``; a two-digit year is
# refused, never guessed. Imports read these and the ``-``/``.`` separators of spreadsheet
# text (docs/import-format.md), then this.
DATE_INPUT_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")


def parse_date(text: str) -> dt.date:
    """Parse ``dd/mm/yyyy`` (also ``d/m/yyyy`` and ISO ``yyyy-mm-dd``); ValueError otherwise."""
    text = normalize_space(text)
    for pattern in DATE_INPUT_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def format_local_datetime(value: dt.datetime) -> str:
    """An aware datetime in the school's time zone: ``16:42:37 25/01/2021 (GMT+7)``."""
    local = value.astimezone(SCHOOL_TZ)
    offset = local.utcoffset() or dt.timedelta(0)
    hours = int(offset.total_seconds() // 3600)
    return f"{local:%H:%M:%S %d/%m/%Y} (GMT{hours:+d})"


def format_long_date(value: dt.date, place: str = "") -> str:
    """The date line of an official document: ``Bình An, ngày 05 tháng 3 năm 2026``."""
    # Decree 30/2020: days under 10 and months 1-2 take a leading zero.
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    text = f"ngày {value.day:02d} tháng {month} năm {value.year}"
    return f"{place}, {text}" if place else text
