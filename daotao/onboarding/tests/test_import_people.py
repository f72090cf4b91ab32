"""The people workbook (``onboarding.importing.people``): lecturers and user accounts with
their roles and units, all or nothing; a new account's email with a link that really sets
its password (and holds none); the same file again changes and sends nothing; every
refusal; the scope each role ends up with; the audit; the pages and the command."""

from __future__ import annotations

import datetime as dt
import io
import re
import smtplib
import tempfile
from pathlib import Path
from unittest import mock

import openpyxl
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext as _

from daotao.accounts import roles
from daotao.accounts.access import is_lecturer
from daotao.accounts.models import User
from daotao.accounts.scope import SYSTEM, scope_of
from daotao.audit.models import AuditEntry, history
from daotao.onboarding.importing.people import (
    ACCOUNTS,
    LECTURERS,
    AccountRow,
    LecturerRow,
    people_apply,
    people_import,
    template_workbook,
)
from daotao.org.models import Lecturer, UnitKind
from daotao.school import identity
from daotao.school.models import THE_SCHOOL, School
from daotao.testing import PASSWORD, build_world, make_lecturer, make_unit, make_user, user_workbook
from daotao.web.import_results import ImportProblem, ImportRejected, too_long

SITE = "https://daotao.truong.test"
NEW_PASSWORD = "Sen-hong-tren-dinh-2026"
SCHOOL = "Trường Chính trị tỉnh Bình An"
PAGE = reverse("onboarding:people-import")
TEMPLATE = reverse("onboarding:people-template")


def lecturer(name="Trần Thị Bích Ngọc", faculty="K-XDD", **cells) -> dict:
    """A row of the sheet GiangVien, by header."""
    return {"Họ và tên": name, "Mã khoa": faculty, **cells}


def account(username="ngoc.ttb", name="Trần Thị Bích Ngọc", role="Giảng viên", **cells) -> dict:
    """A row of the sheet TaiKhoan, by header; the email follows the username unless given."""
    return {"Tên đăng nhập": username, "Họ và tên": name, "Email": f"{username}@truong.test", "Vai trò": role, **cells}


def at(sheet: str, row: int, column: str) -> str:
    """How a problem's place is written: "Sheet TaiKhoan, row 3, column Email (C): "."""
    return str(ImportProblem("", sheet, row, column))


def workbook(lecturers=(), accounts=(), edit=None) -> bytes:
    """The people workbook with these rows (a sheet with none is left out)."""
    sheets = {
        sheet_format.name: ([column.header for column in sheet_format.columns], rows)
        for sheet_format, rows in ((LECTURERS, lecturers), (ACCOUNTS, accounts))
        if rows
    }
    return user_workbook(sheets or {"Sheet": ([], [])}, edit)


@override_settings(DAOTAO_SITE_URL=SITE)
class PeopleTestCase(TestCase):
    """The world of ``daotao.testing`` (the office, a coordinator of H01, a superuser...), two
    faculties, a political centre, an agency, a district that ended in 2025 and the school's
    identity."""

    @classmethod
    def setUpTestData(cls):
        build_world(cls)
        cls.faculty = make_unit("K-XDD", "Khoa Xây dựng Đảng", UnitKind.FACULTY, cls.school)
        cls.other_faculty = make_unit("K-NNPL", "Khoa Nhà nước và pháp luật", UnitKind.FACULTY, cls.school)
        cls.centre = make_unit("TTCT-H02", "Trung tâm Chính trị thị xã Phú Mỹ", UnitKind.POLITICAL_CENTRE, cls.h02)
        cls.agency = make_unit("SNV", "Sở Nội vụ", UnitKind.AGENCY, cls.province)
        cls.ended = make_unit("H09", "Huyện Cũ", UnitKind.DISTRICT, cls.province, valid_to=dt.date(2025, 6, 30))
        School.objects.update_or_create(pk=THE_SCHOOL, defaults={"name": SCHOOL, "province": "Bình An"})

    def setUp(self):
        identity.forget()
        self.addCleanup(identity.forget)

    def run_import(self, content: bytes, user=None, **options):
        """Import as the office (by default), running what waits for the commit: the emails."""
        with self.captureOnCommitCallbacks(execute=True):
            return people_import(content, user=user or self.office, **options)

    def refused(self, content: bytes, user=None) -> str:
        """The problems of a refused file, one a line; asserts that nothing was written or sent."""
        counts = (User.objects.count(), Lecturer.objects.count(), AuditEntry.objects.count())
        with self.assertRaises(ImportRejected) as caught:
            self.run_import(content, user=user)
        self.assertEqual((User.objects.count(), Lecturer.objects.count(), AuditEntry.objects.count()), counts)
        self.assertEqual(mail.outbox, [])
        return "\n".join(caught.exception.lines())


class InvitationTests(PeopleTestCase):
    def link_in(self, message) -> str:
        found = re.search(rf"{re.escape(SITE)}(/accounts/password/reset/\S+/\S+/)", message.body)
        self.assertIsNotNone(found, message.body)
        return found.group(1)

    def sign_in(self, username, password):
        client = Client()
        client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR="203.0.113.5")
        return bool(client.session.get(SESSION_KEY))

    def test_each_new_account_gets_one_email_whose_link_sets_its_password(self):
        content = workbook(
            [lecturer(**{"Tên đăng nhập": "ngoc.ttb"})],
            [
                account(),
                account("ttct.phumy", "Lê Văn Hùng", "Cán bộ điều phối địa phương", **{"Mã đơn vị": "ttct-h02"}),
            ],
        )
        result = self.run_import(content)

        self.assertEqual(
            sorted(message.to[0] for message in mail.outbox), ["ngoc.ttb@truong.test", "ttct.phumy@truong.test"]
        )
        self.assertIn(_("Emails with a link to set the password sent: %(count)s.") % {"count": 2}, result.lines())
        message = next(m for m in mail.outbox if m.to == ["ngoc.ttb@truong.test"])
        user = User.objects.get(username="ngoc.ttb")
        self.assertEqual(message.subject, _("Your DaoTao account – %(school)s") % {"school": SCHOOL})
        for expected in (
            _("Dear %(name)s,") % {"name": "Trần Thị Bích Ngọc"},
            SCHOOL,
            _("Your username: %(username)s") % {"username": "ngoc.ttb"},
            _("Your role: %(roles)s") % {"roles": "Giảng viên"},
            f"{SITE}/accounts/password/reset/",  # where to ask for a new link once it has expired
        ):
            self.assertIn(expected, message.body)
        coordinator_email = next(m for m in mail.outbox if m.to == ["ttct.phumy@truong.test"])
        self.assertIn(_("Your unit: %(unit)s") % {"unit": self.centre.name}, coordinator_email.body)

        # No password exists to be sent: the account cannot sign in until its holder sets one.
        self.assertFalse(user.has_usable_password())
        self.assertNotIn(user.password, message.body)

        # The link leads to the form; the password chosen there signs in.
        client = Client()
        opened = client.get(self.link_in(message), follow=True)
        self.assertTrue(opened.context["validlink"])
        done = client.post(opened.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
        self.assertRedirects(done, reverse("password_reset_complete"))
        self.assertTrue(self.sign_in("ngoc.ttb", NEW_PASSWORD))

        # Once used, the link sets nothing.
        again = Client().get(self.link_in(message), follow=True)
        self.assertFalse(again.context["validlink"])

    def test_an_account_made_inactive_gets_no_email(self):
        self.run_import(workbook(accounts=[account(**{"Đang hoạt động": "Không"})]))
        self.assertFalse(User.objects.get(username="ngoc.ttb").is_active)
        self.assertEqual(mail.outbox, [])

    def test_nothing_is_sent_before_the_import_is_saved_nor_on_a_dry_run(self):
        with self.captureOnCommitCallbacks() as waiting:
            result = people_import(workbook(accounts=[account()]), user=self.office)
        self.assertEqual(mail.outbox, [])  # not before the commit
        self.assertEqual(len(waiting), 1)
        self.assertIn(
            _("%(count)s new account will get an email with a link to set its password.") % {"count": 1},
            result.lines(),
        )

        result = self.run_import(workbook(accounts=[account("khac")]), dry_run=True)
        self.assertEqual(mail.outbox, [])
        self.assertFalse(User.objects.filter(username="khac").exists())
        self.assertIn(_("The file is valid; nothing was written (check only)."), result.lines())

    def test_a_refused_email_does_not_undo_the_import_and_is_named(self):
        def refuse(backend, messages):
            if messages[0].to == ["hung@truong.test"]:
                raise smtplib.SMTPRecipientsRefused({"hung@truong.test": (550, b"No such user")})
            mail.outbox.extend(messages)
            return len(messages)

        content = workbook(accounts=[account(), account("hung", "Lê Văn Hùng", "Ban Giám hiệu")])
        with mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse):
            with self.assertLogs("daotao.onboarding.invitations", "ERROR"):
                result = self.run_import(content)
        self.assertEqual(User.objects.filter(username__in=["ngoc.ttb", "hung"]).count(), 2)
        self.assertEqual([m.to for m in mail.outbox], [["ngoc.ttb@truong.test"]])
        self.assertEqual(result.unsent, ["hung"])
        refused = _("The email could not be sent to these accounts (the mail server refused it): %(usernames)s.")
        self.assertIn(refused % {"usernames": "hung"}, result.lines())

    def test_the_demo_makes_accounts_without_emails(self):
        rows = [AccountRow("demo.office", "Nguyễn Văn Demo", "demo@truong.test", (roles.TRAINING_OFFICE,))]
        with self.captureOnCommitCallbacks(execute=True):
            result = people_apply([], rows, user=SYSTEM, invite=False)
        self.assertEqual(mail.outbox, [])
        self.assertEqual(
            result.lines()[-1],
            _("User accounts: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
            % {"created": 1, "updated": 0, "unchanged": 0},
        )
        self.assertTrue(User.objects.get(username="demo.office").has_role(roles.TRAINING_OFFICE))


class ImportTests(PeopleTestCase):
    def test_roles_and_units_give_each_account_its_scope(self):
        content = workbook(
            [lecturer(**{"Tên đăng nhập": "NGOC.TTB", "Học hàm, học vị": "Thạc sĩ", "Điện thoại": 912345678})],
            [
                account(),
                account("coord.h01", "Phạm Văn Điều", "Cán bộ điều phối địa phương", **{"Mã đơn vị": " h01 "}),
                account("snv", "Đỗ Thị Cơ", "Cơ quan cử đi học", **{"Mã đơn vị": "SNV"}),
                account("pdt", "Hoàng Văn Đào", "Phòng Quản lý đào tạo, Biên tập viên"),
            ],
        )
        result = self.run_import(content)
        self.assertEqual((result.accounts.created, result.lecturers.created), (4, 1))

        coordinator = User.objects.get(username="coord.h01")
        self.assertEqual(scope_of(coordinator).unit_path, self.h01.path)
        agency = User.objects.get(username="snv")
        self.assertEqual(scope_of(agency).agency_path, self.agency.path)
        self.assertEqual((agency.first_name, agency.last_name, agency.get_full_name()), ("Cơ", "Đỗ Thị", "Đỗ Thị Cơ"))
        office = User.objects.get(username="pdt")
        self.assertEqual(office.role_codes, {roles.TRAINING_OFFICE, roles.EDITOR})
        self.assertTrue(scope_of(office).everything)
        self.assertTrue(office.is_staff)  # works in the admin
        self.assertFalse(coordinator.is_staff)

        teacher = Lecturer.objects.get()
        user = User.objects.get(username="ngoc.ttb")
        self.assertEqual(teacher.user, user)
        self.assertTrue(is_lecturer(user))
        self.assertEqual(scope_of(user).lecturer_id, teacher.pk)
        self.assertEqual(
            (teacher.faculty, teacher.academic_title, teacher.phone), (self.faculty, "Thạc sĩ", "0912345678")
        )
        self.assertTrue(teacher.is_active)

    def test_the_same_file_again_changes_and_sends_nothing(self):
        content = workbook(
            [lecturer(**{"Tên đăng nhập": "ngoc.ttb", "Email": "ngoc@truong.test"})],
            [account(), account("snv", "Đỗ Thị Cơ", "Cơ quan cử đi học", **{"Mã đơn vị": "SNV"})],
        )
        self.run_import(content)
        user = User.objects.get(username="ngoc.ttb")
        user.set_password(NEW_PASSWORD)  # the holder has chosen a password
        user.save()
        mail.outbox.clear()
        entries = AuditEntry.objects.count()

        result = self.run_import(content)
        self.assertEqual((result.accounts.unchanged, result.accounts.created, result.accounts.updated), (2, 0, 0))
        self.assertEqual((result.lecturers.unchanged, result.lecturers.created, result.lecturers.updated), (1, 0, 0))
        self.assertEqual(mail.outbox, [])
        self.assertEqual(AuditEntry.objects.count(), entries)
        self.assertTrue(User.objects.get(username="ngoc.ttb").check_password(NEW_PASSWORD))

    def test_an_account_on_record_is_updated_never_sent_a_password_or_an_email(self):
        self.other_coordinator.email = "coord2@truong.test"
        self.other_coordinator.save()
        content = workbook(
            accounts=[
                # Matched whatever the case; an empty email keeps the one on record.
                account("COORD2", "Ngô Văn Hai", "Cán bộ điều phối địa phương", Email=None, **{"Mã đơn vị": "H01"}),
                account("board", "Vũ Thị Giám", "Biên tập viên", Email=None, **{"Đang hoạt động": "Không"}),
            ]
        )
        result = self.run_import(content)
        self.assertEqual((result.accounts.updated, result.accounts.created), (2, 0))
        self.assertEqual(mail.outbox, [])

        coordinator = User.objects.get(pk=self.other_coordinator.pk)
        self.assertEqual(
            (coordinator.username, coordinator.email, coordinator.unit), ("coord2", "coord2@truong.test", self.h01)
        )
        self.assertEqual(coordinator.get_full_name(), "Ngô Văn Hai")
        self.assertTrue(coordinator.check_password(PASSWORD))
        board = User.objects.get(pk=self.board.pk)
        self.assertEqual((board.role_codes, board.is_active, board.is_staff), ({roles.EDITOR}, False, True))

        # The audit shows who changed the roles and the unit, and what they were.
        [entry] = history(coordinator)
        self.assertEqual(
            (entry.action, entry.user, entry.changes["unit"]), ("people.import", self.office, ["H02", "H01"])
        )
        [entry] = history(board)
        self.assertEqual(entry.changes["roles"], [[roles.SCHOOL_BOARD], [roles.EDITOR]])
        self.assertEqual(entry.changes["is_active"], [True, False])

    def test_every_record_created_is_audited(self):
        self.run_import(workbook([lecturer(**{"Tên đăng nhập": "ngoc.ttb"})], [account()]))
        user, teacher = User.objects.get(username="ngoc.ttb"), Lecturer.objects.get()
        [entry] = history(user)
        self.assertEqual(
            (entry.username, entry.changes["roles"], entry.changes["email"]),
            ("office", [None, ["lecturer"]], [None, "ngoc.ttb@truong.test"]),
        )
        self.assertNotIn("password", entry.changes)
        [entry] = history(teacher)
        self.assertEqual(
            (entry.action, entry.changes["faculty"], entry.changes["user"]),
            ("people.import", [None, "K-XDD"], [None, "ngoc.ttb"]),
        )

    def test_lecturers_are_matched_by_email_else_by_name_and_faculty(self):
        giang = make_lecturer("Trần Văn Giảng", self.faculty)
        day = Lecturer.objects.create(full_name="Lê Thị Dạy", faculty=self.faculty, email="Day@Truong.test")
        content = workbook(
            [
                # No email on record: found by name and faculty, and given one.
                lecturer("TRẦN VĂN GIẢNG", "k-xdd", Email="giang@truong.test"),
                # Found by email, whatever its case: moved to another faculty.
                lecturer("Lê Thị Dạy", "K-NNPL", Email="day@truong.test", **{"Đang giảng dạy": "Không"}),
                # A namesake in another faculty is someone else.
                lecturer("Trần Văn Giảng", "K-NNPL"),
            ]
        )
        result = self.run_import(content)
        self.assertEqual((result.lecturers.updated, result.lecturers.created), (2, 1))
        giang.refresh_from_db()
        day.refresh_from_db()
        self.assertEqual(giang.email, "giang@truong.test")
        self.assertEqual((day.faculty, day.is_active), (self.other_faculty, False))
        self.assertEqual(Lecturer.objects.filter(full_name="Trần Văn Giảng").count(), 2)
        # Once given their email, they are found by it again: the same file changes nothing.
        again = self.run_import(content)
        self.assertEqual(again.lecturers.unchanged, 3)

    def test_a_lecturer_is_linked_to_an_account_on_record(self):
        make_user("gv.cu", roles.LECTURER)
        self.run_import(workbook([lecturer(**{"Tên đăng nhập": "GV.CU"})]))
        self.assertTrue(is_lecturer(User.objects.get(username="gv.cu")))

    def test_only_one_sheet_may_be_given_and_the_result_says_so(self):
        result = self.run_import(workbook(accounts=[account()]))
        self.assertEqual(result.accounts.created, 1)
        self.assertIn(
            _("The sheet %(sheet)s is missing or has no rows: nothing was read from it.") % {"sheet": "GiangVien"},
            result.lines(),
        )
        # A lecturer account no lecturer is linked to sees nothing: the result names it.
        self.assertIn("ngoc.ttb", result.lines()[-1])
        self.assertTrue(scope_of(User.objects.get(username="ngoc.ttb")).nothing)

    def test_checking_costs_the_same_queries_whatever_the_length(self):
        def queries(size: int) -> int:
            rows = [
                account(f"user{n}", f"Nguyễn Văn Số {n}", "Cán bộ điều phối địa phương", **{"Mã đơn vị": "H01"})
                for n in range(size)
            ]
            lecturers = [
                lecturer(f"Giảng Viên Số {n}", Email=f"gv{n}@truong.test", **{"Tên đăng nhập": f"user{n}"})
                for n in range(size)
            ]
            content = workbook(lecturers, rows)
            office = User.objects.get(pk=self.office.pk)  # its roles not read yet
            with CaptureQueriesContext(connection) as captured:
                people_import(content, user=office, dry_run=True)
            return len(captured)

        self.assertEqual(queries(3), queries(60))


class RefusalTests(PeopleTestCase):
    def assertRefused(self, content: bytes, *expected: str, user=None):
        problems = self.refused(content, user=user)
        for text in expected:
            self.assertIn(text, problems)

    def test_every_refusal_names_its_sheet_row_and_column_and_writes_nothing(self):
        student = make_user("hv.cu", roles.STUDENT, email="hv@truong.test")
        cases = {
            "username twice": (
                workbook(accounts=[account("ngoc"), account("NGOC", Email="khac@truong.test")]),
                [at("TaiKhoan", 3, "Tên đăng nhập (A)") + _("This username is already on row %(row)s.") % {"row": 2}],
            ),
            "email twice": (
                workbook(accounts=[account("a", Email="chung@truong.test"), account("b", Email="Chung@Truong.test")]),
                [at("TaiKhoan", 3, "Email (C)") + _("This email is already on row %(row)s.") % {"row": 2}],
            ),
            "email of another account": (
                workbook(accounts=[account("moi", Email=None), account("khac", Email=student.email.upper())]),
                [
                    _("A new account needs an email address: the link to set its password is sent there."),
                    _("Another account on record already has this email address."),
                ],
            ),
            "superuser": (
                workbook(accounts=[account("Root", role="Phòng Quản lý đào tạo")]),
                [_("This is a superuser's account: only the administrator changes it, not a workbook.")],
            ),
            "student's account": (
                workbook(accounts=[account("hv.cu")]),
                [_("This is a student's account: students' accounts are not managed in this workbook.")],
            ),
            "coordinator without unit": (
                workbook(accounts=[account(role="Cán bộ điều phối địa phương")]),
                [
                    at("TaiKhoan", 2, "Mã đơn vị (E)")
                    + _("A locality coordinator needs the code of their locality or political centre.")
                ],
            ),
            "agency without unit": (
                workbook(accounts=[account(role="Cơ quan cử đi học")]),
                [_("A sending agency needs the code of its agency.")],
            ),
            "unit for another role": (
                workbook(accounts=[account(role="Ban Giám hiệu", **{"Mã đơn vị": "H01"})]),
                [_("Only a locality coordinator or a sending agency has a unit: leave this cell empty.")],
            ),
            "units of the wrong kind": (
                workbook(
                    accounts=[
                        account("a", role="Cán bộ điều phối địa phương", **{"Mã đơn vị": "SNV"}),
                        account("b", role="Cơ quan cử đi học", **{"Mã đơn vị": "H01"}),
                        account("d", role="Cán bộ điều phối địa phương", **{"Mã đơn vị": "H99"}),
                        account("e", role="Cán bộ điều phối địa phương, Cơ quan cử đi học", **{"Mã đơn vị": "SNV"}),
                    ]
                ),
                [
                    _("The unit “%(code)s” (%(name)s) is not a locality or a political centre.")
                    % {"code": "SNV", "name": "Sở Nội vụ"},
                    _("The unit “%(code)s” (%(name)s) is not a sending agency.")
                    % {"code": "H01", "name": self.h01.name},
                    _("Unknown unit code “%(code)s”.") % {"code": "H99"},
                    _("An account cannot be both a locality coordinator and a sending agency."),
                ],
            ),
            "roles": (
                workbook(accounts=[account("a", role="Học viên"), account("b", role=None)]),
                [
                    at("TaiKhoan", 2, "Vai trò (D)") + "“Học viên”",
                    at("TaiKhoan", 3, "Vai trò (D)") + _("A value is required."),
                ],
            ),
            "usernames and emails that are not": (
                workbook(accounts=[account("nguyen van a", Email="a@b"), account("x" * 151)]),
                [
                    at("TaiKhoan", 2, "Email (C)") + _("“%(value)s” is not a valid email address.") % {"value": "a@b"},
                    at("TaiKhoan", 2, "Tên đăng nhập (A)"),
                    at("TaiKhoan", 3, "Tên đăng nhập (A)"),
                ],
            ),
            "faculty": (
                workbook(
                    [lecturer(faculty="H01"), lecturer("Lê Văn B", faculty="K-XX"), lecturer("Lê Văn C", faculty=None)]
                ),
                [
                    at("GiangVien", 2, "Mã khoa (B)")
                    + _("The unit “%(code)s” (%(name)s) is not a faculty.") % {"code": "H01", "name": self.h01.name},
                    _("Unknown unit code “%(code)s”.") % {"code": "K-XX"},
                    at("GiangVien", 4, "Mã khoa (B)"),
                ],
            ),
            "lecturer links": (
                workbook(
                    [lecturer(**{"Tên đăng nhập": "khong.co"}), lecturer("Lê Văn B", **{"Tên đăng nhập": "hv.cu"})]
                ),
                [
                    _("No account “%(username)s” in the sheet %(sheet)s or on record.")
                    % {"username": "khong.co", "sheet": "TaiKhoan"},
                    _("This is a student's account: it cannot be a lecturer's."),
                ],
            ),
            "the same lecturer or account twice": (
                workbook(
                    [
                        lecturer(Email="a@truong.test", **{"Tên đăng nhập": "ngoc.ttb"}),
                        lecturer("Lê Văn B", Email="A@truong.test", **{"Tên đăng nhập": "ngoc.ttb"}),
                        lecturer("Lê Văn C"),
                        lecturer("LÊ VĂN C"),
                    ],
                    [account()],
                ),
                [
                    _("This account is already linked on row %(row)s.") % {"row": 2},
                    _("The same lecturer as row %(row)s.") % {"row": 4},
                ],
            ),
            "a formula": (
                workbook(accounts=[account("a", '=HYPERLINK("http://x")')]),
                [
                    _("The cell holds a formula (%(formula)s): type its value instead.")
                    % {"formula": '=HYPERLINK("http://x")'}
                ],
            ),
            "nothing in the file": (
                workbook(),
                [_("The workbook has no sheet named %(sheet)s.") % {"sheet": "TaiKhoan"}],
            ),
        }
        for case, (content, expected) in cases.items():
            with self.subTest(case):
                self.assertRefused(content, *expected)

    def test_overlong_text_is_refused(self):
        name = "Nguyễn " * 30 + "An"  # 212 characters
        problems = self.refused(workbook([lecturer(name)], [account(name=name)]))
        self.assertIn(at("GiangVien", 2, "Họ và tên (A)") + too_long(128, 212), problems)
        self.assertIn(at("TaiKhoan", 2, "Họ và tên (B)") + too_long(150, 212), problems)

    def test_a_lecturer_account_already_linked_to_another_lecturer(self):
        make_lecturer("Trần Văn Giảng", self.faculty, "gv1")
        problems = self.refused(workbook([lecturer(**{"Tên đăng nhập": "gv1"})]))
        self.assertIn(
            _("This account is already linked to the lecturer %(name)s.") % {"name": "Trần Văn Giảng"}, problems
        )

    def test_the_office_cannot_lock_itself_out_or_raise_itself(self):
        own = _("This is your own account: a workbook cannot deactivate it or change its roles.")
        for role in ("Ban Giám hiệu", "Phòng Quản lý đào tạo, Biên tập viên, Ban Giám hiệu"):
            with self.subTest(role=role):
                problems = self.refused(workbook(accounts=[account("office", "Phòng Đào Tạo", role, Email="")]))
                self.assertIn(own, problems)

    def test_accounts_the_office_may_not_touch(self):
        """An account the administrator made without a role (an IT administrator), and a
        superuser's as a lecturer's account, are refused to the office."""
        it = make_user("it.admin", None, is_staff=True)
        problems = self.refused(workbook(accounts=[account("it.admin", "Lê Văn Tin", "Giảng viên", Email="")]))
        self.assertIn(
            _("This account was made in the administration without a role: only the administrator changes it."),
            problems,
        )
        self.assertTrue(User.objects.get(pk=it.pk).is_staff)
        problems = self.refused(workbook(lecturers=[lecturer(**{"Tên đăng nhập": self.superuser.username})]))
        self.assertIn(_("This is a superuser's account: only the administrator changes it, not a workbook."), problems)

    def test_a_username_is_read_as_the_sign_in_form_reads_it(self):
        self.run_import(workbook(accounts=[account("ｎｇｏｃ.ttb", Email="ngoc@truong.test")]))
        self.assertTrue(User.objects.filter(username="ngoc.ttb").exists())

    def test_the_email_of_an_account_in_use_is_not_changed_by_the_office(self):
        """Else the office could take over a colleague's account through "forgot your password"."""
        content = workbook(accounts=[account("board", "Vũ Thị Giám", "Ban Giám hiệu", Email="moi@truong.test")])
        problems = self.refused(content)
        self.assertIn(at("TaiKhoan", 2, "Email (C)"), problems)
        # The administrator may; and an account whose holder never set a password may be corrected.
        self.run_import(content, user=self.superuser)
        self.assertEqual(User.objects.get(username="board").email, "moi@truong.test")
        self.run_import(workbook(accounts=[account()]))
        self.run_import(workbook(accounts=[account(Email="sua@truong.test")]))
        self.assertEqual(User.objects.get(username="ngoc.ttb").email, "sua@truong.test")

    def test_only_the_training_office_imports(self):
        content = workbook(accounts=[account()])
        for user in (self.coordinator, self.board, self.nobody):
            with self.subTest(user=user.username):
                problems = self.refused(content, user=user)
                self.assertIn(_("Only the training office imports lecturers and user accounts."), problems)
        self.assertEqual(self.run_import(content, user=self.superuser).accounts.created, 1)

    def test_rows_made_in_code_are_checked_the_same(self):
        rows = [
            AccountRow("a", "Nguyễn Văn A", "a@truong.test", (roles.EDITOR,)),
            AccountRow("A", "Nguyễn Văn A", "b@truong.test", (roles.STUDENT,)),
        ]
        with self.assertRaises(ImportRejected) as caught:
            people_apply([LecturerRow("Lê Văn B", "H01")], rows, user=SYSTEM)
        text = "\n".join(caught.exception.lines())
        self.assertIn(_("This username is already on row %(row)s.") % {"row": "?"}, text)
        self.assertIn("“student”", text)
        self.assertIn(
            _("The unit “%(code)s” (%(name)s) is not a faculty.") % {"code": "H01", "name": self.h01.name}, text
        )
        self.assertFalse(User.objects.filter(username__iexact="a").exists())


class TemplateTests(PeopleTestCase):
    def test_the_template_explains_every_column_and_its_example_rows_import_cleanly(self):
        content = template_workbook()
        book = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(book.sheetnames, ["GiangVien", "TaiKhoan", "HuongDan"])
        guide = "\n".join(str(cell) for row in book["HuongDan"].iter_rows(values_only=True) for cell in row if cell)
        for column in (*LECTURERS.columns, *ACCOUNTS.columns):
            self.assertIn(column.header, guide)
        self.assertIn("K-NNPL, K-XDD", guide)  # the faculties on record
        self.assertIn("Phòng Quản lý đào tạo", guide)  # the role labels

        result = self.run_import(content)
        self.assertEqual((result.lecturers.created, result.accounts.created), (1, 1))
        self.assertTrue(is_lecturer(User.objects.get(username="ngoc.ttb")))
        self.assertEqual(len(mail.outbox), 1)


class PageTests(PeopleTestCase):
    def test_who_may_open_the_pages(self):
        for address in (PAGE, TEMPLATE):
            self.client.logout()
            self.assertRedirects(
                self.client.get(address), f"{reverse('login')}?next={address}", fetch_redirect_response=False
            )
            for user, status in ((self.office, 200), (self.superuser, 200), (self.coordinator, 403), (self.board, 403)):
                with self.subTest(address=address, user=user.username):
                    self.client.force_login(user)
                    self.assertEqual(self.client.get(address).status_code, status)

    def test_the_page_offers_the_template_and_imports_the_file(self):
        self.client.force_login(self.office)
        page = self.client.get(PAGE)
        self.assertContains(page, TEMPLATE)
        download = self.client.get(TEMPLATE)
        self.assertIn("mau-nhap-giang-vien-tai-khoan.xlsx", download["Content-Disposition"])

        upload = SimpleUploadedFile("nguoi.xlsx", workbook(accounts=[account()]))
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(PAGE, {"workbook": upload}, follow=True)
        counts = {"created": 1, "updated": 0, "unchanged": 0}
        self.assertContains(
            response, _("User accounts: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.") % counts
        )
        self.assertEqual([m.to for m in mail.outbox], [["ngoc.ttb@truong.test"]])

    def test_a_refused_file_lists_its_problems_on_the_page(self):
        self.client.force_login(self.office)
        upload = SimpleUploadedFile("nguoi.xlsx", workbook(accounts=[account(role="Cán bộ điều phối địa phương")]))
        response = self.client.post(PAGE, {"workbook": upload}, follow=True)
        self.assertContains(response, _("A locality coordinator needs the code of their locality or political centre."))
        self.assertFalse(User.objects.filter(username="ngoc.ttb").exists())


class CommandTests(PeopleTestCase):
    def write(self, content: bytes) -> Path:
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        path = Path(directory.name) / "nguoi.xlsx"
        path.write_bytes(content)
        return path

    def test_the_command_checks_then_imports_as_the_operator(self):
        path = self.write(workbook([lecturer(**{"Tên đăng nhập": "ngoc.ttb"})], [account()]))
        output = io.StringIO()
        call_command("import_people", str(path), "--dry-run", stdout=output)
        self.assertIn(_("The file is valid; nothing was written (check only)."), output.getvalue())
        self.assertFalse(User.objects.filter(username="ngoc.ttb").exists())

        output = io.StringIO()
        with self.captureOnCommitCallbacks(execute=True):
            call_command("import_people", str(path), stdout=output)
        self.assertIn(
            _("Lecturers: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
            % {"created": 1, "updated": 0, "unchanged": 0},
            output.getvalue(),
        )
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(history(User.objects.get(username="ngoc.ttb")).get().username, "system")

    def test_a_refused_file_or_none_is_an_error(self):
        path = self.write(workbook(accounts=[account(role="Học viên")]))
        errors = io.StringIO()
        with self.assertRaises(CommandError):
            call_command("import_people", str(path), stderr=errors)
        self.assertIn(at("TaiKhoan", 2, "Vai trò (D)"), errors.getvalue())
        with self.assertRaises(CommandError):
            call_command("import_people", "/khong/co/tep.xlsx")
