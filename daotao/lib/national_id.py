"""Vietnamese citizen identity card numbers (CCCD, 12 digits).

Structure (Circular 07/2016/TT-BCA, kept by the 2023 Law on Identification): 3 digits of
the province of birth registration, 1 digit of gender and century of birth, 2 digits of the
year of birth, 6 random digits.
"""

from __future__ import annotations

import datetime as dt

PROVINCE_CODES = frozenset(
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 "
    "034 035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 "
    "067 068 070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096".split()
)

MALE, FEMALE = "male", "female"


class NationalIdError(ValueError):
    """The number is not a valid CCCD; ``code`` says why (see ``problem``)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def gender_century_digit(gender: str, year: int) -> int:
    """The 4th digit for a gender and birth year (0/1 for 1900s, 2/3 for 2000s, ...)."""
    century_index = {19: 0, 20: 1, 21: 2, 22: 3, 23: 4}[year // 100]
    return century_index * 2 + (1 if gender == FEMALE else 0)


def check(number: str, date_of_birth: dt.date | None = None, gender: str | None = None) -> None:
    """Raise NationalIdError('format'|'province'|'birth_year'|'gender') when invalid."""
    if len(number) != 12 or not number.isdigit() or not number.isascii():
        raise NationalIdError("format")
    if number[:3] not in PROVINCE_CODES:
        raise NationalIdError("province")
    digit = int(number[3])
    century = {0: 19, 1: 19, 2: 20, 3: 20, 4: 21, 5: 21, 6: 22, 7: 22, 8: 23, 9: 23}[digit]
    if date_of_birth is not None:
        if century * 100 + int(number[4:6]) != date_of_birth.year:
            raise NationalIdError("birth_year")
    if gender in (MALE, FEMALE):
        if (digit % 2 == 1) != (gender == FEMALE):
            raise NationalIdError("gender")


def make(province: str, gender: str, date_of_birth: dt.date, serial: int) -> str:
    """Build a valid number (demo and synthetic data)."""
    digit = gender_century_digit(gender, date_of_birth.year)
    return f"{province}{digit}{date_of_birth.year % 100:02d}{serial % 1_000_000:06d}"
