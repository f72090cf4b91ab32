"""Test helpers: a small world with one persona per role, and builders that go through
the models' own save logic (derived name keys, unit paths)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path

from django.contrib.auth.models import Group
from django.test import TestCase

from daotao.accounts import roles
from daotao.accounts.models import User
from daotao.cohorts.models import Cohort, Enrollment
from daotao.lib import national_id
from daotao.org.models import Unit, UnitKind
from daotao.people.models import Student
from daotao.programs.models import Program

TESTDATA = Path(__file__).resolve().parent / "testdata"
PASSWORD = "correct-horse-battery-staple"

PROGRAMS = [
    ("TC-LLCT-HC", "Trung cấp lý luận chính trị - hành chính", "training", "political_theory"),
    ("BD-CV", "Bồi dưỡng ngạch chuyên viên", "fostering", "civil_service_grade"),
    ("BD-CVC", "Bồi dưỡng ngạch chuyên viên chính", "fostering", "civil_service_grade"),
    ("BD-LDP", "Bồi dưỡng lãnh đạo cấp phòng", "fostering", "leadership"),
    ("BD-BTX", "Bồi dưỡng Bí thư, Phó Bí thư Thường trực cấp xã", "fostering", "grassroots"),
]

_serial = itertools.count(1)


def load_testdata(name: str) -> dict:
    return json.loads((TESTDATA / name).read_text(encoding="utf-8"))


def make_unit(code: str, name: str, kind: str, parent: Unit | None = None, **extra) -> Unit:
    unit = Unit(code=code, name=name, kind=kind, parent=parent, **extra)
    unit.save()
    return unit


def make_user(username: str, role: str | None = None, unit: Unit | None = None, **extra) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, unit=unit, **extra)
    if role:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def make_student(full_name: str = "Nguyễn Văn An", locality: Unit | None = None, **extra) -> Student:
    born = extra.pop("date_of_birth", dt.date(1985, 5, 17))
    gender = extra.pop("gender", "male")
    number = extra.pop("national_id", None) or national_id.make("052", gender, born, next(_serial))
    student = Student(
        national_id=number, full_name=full_name, date_of_birth=born, gender=gender, locality=locality, **extra
    )
    student.save()
    return student


def make_cohort(code: str, program: Program, host: Unit, opening: dt.date, closing: dt.date | None = None, **extra):
    defaults = {
        "name": f"Lớp {code}",
        "mode": "non_concentrated",
        "funding": "supported",
        "status": "open" if closing is None else "closed",
        "plan_year": opening.year,
    }
    defaults.update(extra)
    return Cohort.objects.create(
        code=code, program=program, host_locality=host, opening_date=opening, closing_date=closing, **defaults
    )


def enroll(cohort: Cohort, count: int, status: str = "studying", locality: Unit | None = None) -> list[Enrollment]:
    """Enroll ``count`` new students; their locality defaults to the host locality."""
    students = []
    for _ in range(count):
        serial = next(_serial)
        student = Student(
            national_id=national_id.make("052", "female", dt.date(1990, 1, 1), serial),
            full_name=f"Học Viên Số {serial}",
            date_of_birth=dt.date(1990, 1, 1),
            gender="female",
            locality=locality or cohort.host_locality,
        )
        student.set_name(student.full_name)
        students.append(student)
    Student.objects.bulk_create(students)
    created = Student.objects.filter(national_id__in=[s.national_id for s in students])
    return Enrollment.objects.bulk_create([Enrollment(cohort=cohort, student=s, status=status) for s in created])


class WorldTestCase(TestCase):
    """A province with the school and three localities (H01 has a commune below it), the
    five programs, and one persona per role:

    ``office`` (training office), ``board`` (school board), ``coordinator`` (H01),
    ``other_coordinator`` (H02), ``unscoped`` (coordinator without a unit), ``nobody``
    (signed in, no role), ``superuser``.
    """

    @classmethod
    def setUpTestData(cls):
        cls.province = make_unit("BA", "Tỉnh Bình An", UnitKind.PROVINCE)
        cls.school = make_unit("SCH", "Trường Chính trị tỉnh Bình An", UnitKind.SCHOOL, cls.province)
        cls.h01 = make_unit("H01", "Thành phố Bình An", UnitKind.DISTRICT, cls.province)
        cls.x01 = make_unit("X0101", "Phường Nam Sơn", UnitKind.COMMUNE, cls.h01)
        cls.h02 = make_unit("H02", "Thị xã Phú Mỹ", UnitKind.DISTRICT, cls.province)
        cls.h03 = make_unit("H03", "Huyện An Lạc", UnitKind.DISTRICT, cls.province)
        cls.programs = {
            code: Program.objects.create(code=code, name=name, kind=kind, category=category)
            for code, name, kind, category in PROGRAMS
        }
        cls.office = make_user("office", roles.TRAINING_OFFICE)
        cls.board = make_user("board", roles.SCHOOL_BOARD)
        cls.coordinator = make_user("coord1", roles.LOCALITY_COORDINATOR, cls.h01)
        cls.other_coordinator = make_user("coord2", roles.LOCALITY_COORDINATOR, cls.h02)
        cls.unscoped = make_user("coord0", roles.LOCALITY_COORDINATOR)
        cls.nobody = make_user("nobody")
        cls.superuser = make_user("root", is_superuser=True, is_staff=True)
