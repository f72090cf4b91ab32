"""Test helpers: a small world with one persona per role, and builders that go through
the models' own save logic (derived name keys, unit paths)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import itertools
import json
import shutil
import tempfile
import threading
from contextlib import ContextDecorator
from io import StringIO
from pathlib import Path
from unittest import mock

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.test import TestCase, TransactionTestCase, override_settings

from daotao.accounts import roles
from daotao.accounts.models import User
from daotao.accounts.scope import SYSTEM
from daotao.audit.models import AuditEntry
from daotao.cohorts.models import Cohort, Enrollment
from daotao.lib import national_id
from daotao.onboarding import setup
from daotao.org.models import Lecturer, Unit, UnitKind
from daotao.people.models import Student
from daotao.programs.models import Assessment, Module, Program
from daotao.school import identity
from daotao.teaching.models import TeachingAssignment

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


class school_identity(ContextDecorator):
    """The school's identity with ``changes`` for the code inside (as ``override_settings``
    did for settings): tests of documents that need no database."""

    def __init__(self, **changes):
        self.changes = changes

    def __enter__(self):
        identity.keep(dataclasses.replace(identity.current(database_down=True), configured=True, **self.changes))

    def __exit__(self, *exc_info):
        identity.forget()


def user_workbook(sheets: dict[str, tuple[list[str], list]], edit=None) -> bytes:
    """A workbook as a user's Excel saves it (openpyxl, not the project's writer), for the
    import tests: for each sheet name, its header row and its rows, each a list in the
    headers' order or a dict by header. ``edit(sheet)`` changes a sheet after its rows."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, (headers, rows) in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(list(headers))
        for row in rows:
            sheet.append([row.get(header) for header in headers] if isinstance(row, dict) else list(row))
        if edit:
            edit(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


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


def run_at_once(work, batches, timeout: float = 120) -> tuple[list, list]:
    """Run ``work(batch)`` in one thread per batch (each with its own database connection),
    all starting together; (results, errors), each in the order the threads finished."""
    barrier, results, errors, lock = threading.Barrier(len(batches)), [], [], threading.Lock()

    def worker(batch):
        try:
            barrier.wait(timeout=30)
            outcome = work(batch)
            with lock:
                results.append(outcome)
        except Exception as error:  # every failure is reported by the test
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(batch,)) for batch in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results, errors


def overlapping(target, name: str, parties: int = 2, patience: float = 2.0):
    """Patch ``target.name`` so that concurrent callers meet just before it runs: each waits
    until ``parties`` callers are there, or ``patience`` seconds at most. Put in the middle
    of a write (after it looked for a record, before it inserts it), it makes writers that
    are not serialised overlap there, so that a race shows itself every time; writers that
    are serialised (a lock) never meet, and each goes on after the wait."""
    barrier, original = threading.Barrier(parties), getattr(target, name)

    def meet_then_call(*args, **kwargs):
        try:
            barrier.wait(timeout=patience)
        except threading.BrokenBarrierError:
            pass
        return original(*args, **kwargs)

    return mock.patch.object(target, name, meet_then_call)


class WorldTestCase(TestCase):
    """A province with the school and three localities (H01 has a commune below it), the
    five programs, and one persona per role:

    ``office`` (training office), ``board`` (school board), ``coordinator`` (H01),
    ``other_coordinator`` (H02), ``unscoped`` (coordinator without a unit), ``nobody``
    (signed in, no role), ``superuser``.
    """

    @classmethod
    def setUpTestData(cls):
        build_world(cls)


def make_lecturer(full_name: str, faculty: Unit, username: str | None = None) -> Lecturer:
    """A lecturer of ``faculty``; with ``username``, also their account in the lecturer role."""
    user = make_user(username, roles.LECTURER) if username else None
    return Lecturer.objects.create(full_name=full_name, faculty=faculty, user=user)


# A test and a written exam, the usual scheme of a Trung cấp module.
TEST_AND_EXAM = (("Kiểm tra", "test", 30, False), ("Thi viết", "written_exam", 70, True))


def make_module(program: Program, code: str, periods: int, scheme=TEST_AND_EXAM, **extra):
    """A module with its assessment scheme: ``scheme`` is (name, kind, weight, is_exam) rows."""
    order = extra.pop("order", Module.objects.filter(program=program).count() + 1)
    module = Module.objects.create(
        program=program, code=code, name=extra.pop("name", f"Học phần {code}"), periods=periods, order=order, **extra
    )
    Assessment.objects.bulk_create(
        [
            Assessment(module=module, name=name, kind=kind, weight=weight, is_exam=is_exam, order=index)
            for index, (name, kind, weight, is_exam) in enumerate(scheme, start=1)
        ]
    )
    return module


class TeachingWorldTestCase(WorldTestCase):
    """The world above plus teaching: two faculties, a Trung cấp class ``cohort`` (TC01,
    host H01, 6 students in class order ``enrollments``) with three modules ``m1``-``m3``
    (periods 60, 45, 30; a test 30% and an exam 70%), and personas:

    ``lecturer`` (account ``gv1``) teaches m1 and m2 in ``cohort``; ``other_lecturer``
    (``gv2``) teaches m3 in ``cohort`` and m1 in ``other_cohort`` (TC02, host H02);
    ``student`` (account ``hv1``) is the first student of ``cohort``, ``other_student``
    (``hv2``) the first of ``other_cohort``.
    """

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_teaching_world(cls)


class TransactionalTeachingWorld(TransactionTestCase):
    """The world of ``TeachingWorldTestCase``, committed, for tests whose threads each use
    their own database connection (built again for each test)."""

    def setUp(self):
        build_world(self)
        build_teaching_world(self)


def make_identity(**changes):
    """The school's identity as ``setup_school`` sets it: the demo's school by default."""
    values = {"name": "Trường Chính trị tỉnh Bình An", "parent": "Tỉnh ủy Bình An", "province": "Bình An", **changes}
    school = setup.identity_save(user=SYSTEM, values=values, signers={"default": {"name": "Nguyễn Văn Bình"}})
    # The worlds start with an empty audit trail: the tests of every app read it from there.
    AuditEntry.objects.filter(action__startswith="school.").delete()
    return school


def build_world(target) -> None:
    """The world of ``WorldTestCase``, set as attributes of ``target``."""
    make_identity()
    target.province = make_unit("BA", "Tỉnh Bình An", UnitKind.PROVINCE)
    target.school = make_unit("SCH", "Trường Chính trị tỉnh Bình An", UnitKind.SCHOOL, target.province)
    target.h01 = make_unit("H01", "Thành phố Bình An", UnitKind.DISTRICT, target.province)
    target.x01 = make_unit("X0101", "Phường Nam Sơn", UnitKind.COMMUNE, target.h01)
    target.h02 = make_unit("H02", "Thị xã Phú Mỹ", UnitKind.DISTRICT, target.province)
    target.h03 = make_unit("H03", "Huyện An Lạc", UnitKind.DISTRICT, target.province)
    target.programs = {
        code: Program.objects.create(code=code, name=name, kind=kind, category=category)
        for code, name, kind, category in PROGRAMS
    }
    target.office = make_user("office", roles.TRAINING_OFFICE)
    target.board = make_user("board", roles.SCHOOL_BOARD)
    target.coordinator = make_user("coord1", roles.LOCALITY_COORDINATOR, target.h01)
    target.other_coordinator = make_user("coord2", roles.LOCALITY_COORDINATOR, target.h02)
    target.unscoped = make_user("coord0", roles.LOCALITY_COORDINATOR)
    target.nobody = make_user("nobody")
    target.superuser = make_user("root", is_superuser=True, is_staff=True)


def build_teaching_world(target) -> None:
    """The world of ``TeachingWorldTestCase`` (``build_world`` first), set as attributes of
    ``target``."""
    target.faculty = make_unit("K-XDD", "Khoa Xây dựng Đảng", UnitKind.FACULTY, target.school)
    target.other_faculty = make_unit("K-NNPL", "Khoa Nhà nước và pháp luật", UnitKind.FACULTY, target.school)
    target.tc = target.programs["TC-LLCT-HC"]
    target.m1 = make_module(target.tc, "HP1", 60, TEST_AND_EXAM, block="Khối kiến thức I")
    target.m2 = make_module(target.tc, "HP2", 45, TEST_AND_EXAM, block="Khối kiến thức I")
    target.m3 = make_module(target.tc, "HP3", 30, TEST_AND_EXAM, block="Khối kiến thức II")
    target.lecturer = make_lecturer("Trần Văn Giảng", target.faculty, "gv1")
    target.other_lecturer = make_lecturer("Lê Thị Dạy", target.other_faculty, "gv2")
    target.cohort = make_cohort("TC01", target.tc, target.h01, dt.date(2026, 3, 2))
    target.other_cohort = make_cohort("TC02", target.tc, target.h02, dt.date(2026, 3, 2))
    target.enrollments = list(
        Enrollment.objects.filter(pk__in=[e.pk for e in enroll(target.cohort, 6)]).in_class_order()
    )
    target.other_enrollments = list(
        Enrollment.objects.filter(pk__in=[e.pk for e in enroll(target.other_cohort, 3)]).in_class_order()
    )
    for cohort, module, lecturer in [
        (target.cohort, target.m1, target.lecturer),
        (target.cohort, target.m2, target.lecturer),
        (target.cohort, target.m3, target.other_lecturer),
        (target.other_cohort, target.m1, target.other_lecturer),
    ]:
        TeachingAssignment.objects.create(cohort=cohort, module=module, lecturer=lecturer)
    target.student_user = make_user("hv1", roles.STUDENT)
    target.other_student_user = make_user("hv2", roles.STUDENT)
    Student.objects.filter(pk=target.enrollments[0].student_id).update(user=target.student_user)
    Student.objects.filter(pk=target.other_enrollments[0].student_id).update(user=target.other_student_user)
    target.lecturer_user = target.lecturer.user
    target.other_lecturer_user = target.other_lecturer.user


class _SharedDemo:
    """The demo loaded (``load_demo``) in a transaction of its own, opened by the first demo
    test class and rolled back after the last one; its uploads in a folder of their own."""

    def __init__(self):
        self.atomic = None
        self.media = None

    def enter(self) -> None:
        if self.atomic is not None:
            return
        self.media = tempfile.mkdtemp(prefix="daotao-demo-")
        self.atomic = transaction.atomic()
        self.atomic._from_testcase = True  # as TestCase's own blocks: a durable block may run inside
        self.atomic.__enter__()
        try:
            with override_settings(MEDIA_ROOT=self.media):
                call_command("load_demo", stdout=StringIO())
        except BaseException:
            self.leave()
            raise

    def leave(self) -> None:
        if self.atomic is None:
            return
        atomic, self.atomic = self.atomic, None
        try:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
        finally:
            shutil.rmtree(self.media, ignore_errors=True)


_demo = _SharedDemo()


class DemoTestCase(TestCase):
    """The demo province (``load_demo``), for tests that read it or change it for themselves.

    Loading it takes seconds, so consecutive demo classes share one load: conftest.py runs
    them one after the other and sets ``keep_demo`` while another one follows. The demo is
    written in a transaction that spans them, and each class works in savepoints inside it as
    any TestCase does, so that what a class changes is undone before the next one. Each class
    has a MEDIA_ROOT of its own holding a copy of the demo's uploads (portal pictures, a field
    trip report). Run another way (no conftest), each class loads the demo for itself.
    """

    keep_demo = False

    @classmethod
    def setUpClass(cls):
        # Class cleanups run last, in reverse: the demo is left after the class's savepoint
        # is rolled back and after its own settings are restored.
        cls.addClassCleanup(cls._leave_demo)
        try:
            _demo.enter()
            media = tempfile.mkdtemp(prefix="daotao-demo-class-")
            cls.addClassCleanup(shutil.rmtree, media, ignore_errors=True)
            shutil.copytree(_demo.media, media, dirs_exist_ok=True)
            cls.enterClassContext(override_settings(MEDIA_ROOT=media))
            super().setUpClass()
        except BaseException:
            _demo.leave()  # whatever follows: no tearDownClass will say when
            raise

    @classmethod
    def tearDownClass(cls):
        # TestCase closes the connection once it has rolled the class back, which would end
        # the demo's transaction too: it is closed when the demo is left.
        with mock.patch.object(connections[DEFAULT_DB_ALIAS], "close"):
            super().tearDownClass()

    @classmethod
    def _leave_demo(cls):
        if not DemoTestCase.keep_demo:
            leave_shared_demo()


def leave_shared_demo() -> None:
    """Roll the shared demo back, if it is loaded, and close its connection."""
    if _demo.atomic is not None:
        _demo.leave()
        connection.close()
