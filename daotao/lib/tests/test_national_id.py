import datetime as dt

import pytest

from daotao.lib import national_id
from daotao.lib.national_id import NationalIdError, check, make


def test_made_numbers_are_valid():
    born = dt.date(1985, 5, 17)
    number = make("052", "female", born, 123)
    assert number == "052185000123"
    check(number, born, "female")


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("05218500012", "format"),  # 11 digits
        ("0521850001234", "format"),  # 13 digits
        ("05218500012a", "format"),
        ("０５２１８５０００１２３", "format"),  # full-width digits
        ("003185000123", "province"),  # 003 is no province code
    ],
)
def test_malformed(number, code):
    with pytest.raises(NationalIdError) as caught:
        check(number)
    assert caught.value.code == code


def test_birth_year_and_gender_must_match():
    number = make("001", "male", dt.date(2001, 1, 1), 5)
    assert number[3] == "2"  # male, born in the 2000s
    check(number, dt.date(2001, 7, 7), "male")
    with pytest.raises(NationalIdError, match="birth_year"):
        check(number, dt.date(1901, 1, 1))
    with pytest.raises(NationalIdError, match="gender"):
        check(number, gender="female")


def test_sixty_three_province_codes():
    assert len(national_id.PROVINCE_CODES) == 63
