"""What the Academy's tests share: schools registered with their keys, and packages made by
``academy.synthetic`` and imported through the service."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.test import Client, TestCase, override_settings
from django.utils import translation

from daotao.academy import synthetic
from daotao.academy.importing import package_import
from daotao.academy.models import RegisteredSchool
from daotao.academy.synthetic import Klass
from daotao.accounts import roles
from daotao.lib import signing
from daotao.testing import make_user

ACADEMY = override_settings(DAOTAO_ROLE="academy")


def register(code: str, name: str | None = None, province: str | None = None, **extra):
    """A registered school and its private key."""
    key = signing.new_private_key()
    school = RegisteredSchool(
        code=code,
        name=name or f"Trường Chính trị tỉnh {code}",
        province=province or f"Tỉnh {code}",
        public_key=signing.public_key_text(key),
        **extra,
    )
    school.full_clean()
    school.save()
    return school, key


# Two schools' classes of 2020: what the tests count by hand.
NORTH = [
    Klass("TC-LLCT-HC", "H01", 80, "non_concentrated", "supported"),
    Klass("TC-LLCT-HC", "H01", 75, "non_concentrated", "self_funded"),
    Klass("TC-LLCT-HC", "H02", 60, "non_concentrated", "supported", relations=("carried_over", "active")),
    Klass("TC-LLCT-HC", "SCH", 40, "concentrated", "supported", relations=("opened", "active", "closed")),
    Klass("BD-CV", "H02", 50, "non_concentrated", "supported"),
    Klass("BD-CVC", "SCH", 30, "concentrated", "self_funded", relations=("opened", "active", "closed")),
]
SOUTH = [
    Klass("TC-LLCT-HC", "H01", 90, "non_concentrated", "supported"),
    Klass("TC-LLCT-HC", "H03", 70, "non_concentrated", "supported", relations=("carried_over", "active")),
    Klass("BD-CV", "H03", 45, "non_concentrated", "self_funded"),
    Klass("BD-LDP", "SCH", 35, "concentrated", "supported", relations=("opened", "active", "closed")),
]
QUOTA = [
    ("H01", "Thành phố Bình An", "TC-LLCT-HC", "supported", 100, 80),
    ("H01", "Thành phố Bình An", "TC-LLCT-HC", "self_funded", 60, 75),
    ("H02", "Thị xã Phú Mỹ", "BD-CV", "supported", 40, 50),
]


def year_package(key, school: RegisteredSchool, classes, year: int = 2020, **extra) -> dict:
    """The school's package of a calendar year of ``classes``."""
    extra.setdefault("quota", [synthetic.quota_year(year, QUOTA)])
    return synthetic.package(
        key, name=school.name, province=school.province, **synthetic.year(year), classes=classes, **extra
    )


def imported(key, school, classes, year: int = 2020, user=None, **extra):
    return package_import(synthetic.file_bytes(year_package(key, school, classes, year, **extra)), user=user)


@ACADEMY
class AcademyTestCase(TestCase):
    """An Academy installation with two schools (``north``, ``south``, their keys
    ``north_key``, ``south_key``) and the Academy's office and board, a coordinator and a
    user with no role."""

    @classmethod
    def setUpTestData(cls):
        cls.north, cls.north_key = register("BAN", "Trường Chính trị tỉnh Bắc An", "Bắc An")
        cls.south, cls.south_key = register("NAM", "Trường Chính trị tỉnh Nam Hà", "Nam Hà")
        cls.office = make_user("hv.office", roles.TRAINING_OFFICE)
        cls.board = make_user("hv.board", roles.SCHOOL_BOARD)
        cls.nobody = make_user("hv.nobody")

    def setUp(self):
        # Messages compared in English (the pages too: the language cookie).
        self.enterContext(translation.override("en"))
        self.client = english_client()


def english_client(user=None) -> Client:
    """A client whose pages come in English (the messages the tests compare), signed in as ``user``."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
