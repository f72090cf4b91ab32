"""``setup_school``: the identity from a file (or asked), the shipped catalogue, run again
without change, and undone until the first class exists."""

from __future__ import annotations

import tempfile
from io import StringIO
from pathlib import Path
from unittest import mock

from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import TestCase

from daotao.accounts import roles
from daotao.accounts.models import User
from daotao.admissions.models import DocumentType, EligibilityRule
from daotao.audit.models import AuditEntry
from daotao.grading.models import GradingRules
from daotao.onboarding import setup
from daotao.org.models import Unit
from daotao.programs.models import Module, Program
from daotao.school import identity
from daotao.school.models import School
from daotao.surveys.models import Questionnaire
from daotao.testing import make_cohort, make_lecturer, make_unit, make_user

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "school.example.toml"


def run(*args) -> str:
    out = StringIO()
    call_command("setup_school", *args, stdout=out)
    return out.getvalue()


class SetupSchoolTests(TestCase):
    def test_from_the_example_file(self):
        output = run("--file", str(EXAMPLE))
        school = identity.current()
        self.assertEqual(
            (school.name, school.parent, school.place), ("Trường Chính trị tỉnh Bình An", "Tỉnh ủy Bình An", "Bình An")
        )
        self.assertTrue(school.logo_digest)  # the example's logo, read beside the file
        self.assertEqual(school.signer("certificate").lines, ["KT. HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG"])
        self.assertEqual(school.signer("diploma").name, "Nguyễn Văn Bình")
        self.assertEqual(
            sorted(Program.objects.values_list("code", flat=True)),
            ["BD-BTX", "BD-CV", "BD-CVC", "BD-LDP", "TC-LLCT-HC"],
        )
        self.assertEqual(Module.objects.filter(program__code="TC-LLCT-HC").count(), 18)
        self.assertEqual(GradingRules.objects.count(), 5)
        self.assertTrue(Questionnaire.objects.exists())
        self.assertTrue(EligibilityRule.objects.filter(program__code="TC-LLCT-HC").exists())
        self.assertIn("TC-LLCT-HC", output)
        self.assertTrue(AuditEntry.objects.filter(action="school.identity").exists())

    def test_running_again_changes_nothing_it_keeps(self):
        run("--file", str(EXAMPLE))
        program = Program.objects.get(code="BD-CV")
        program.name = "Bồi dưỡng ngạch chuyên viên (chương trình của Trường)"
        program.save()
        counts = (Program.objects.count(), Module.objects.count(), Questionnaire.objects.count())
        entries = AuditEntry.objects.count()
        output = run("--file", str(EXAMPLE))
        self.assertEqual((Program.objects.count(), Module.objects.count(), Questionnaire.objects.count()), counts)
        self.assertEqual(Program.objects.get(code="BD-CV").name, program.name)
        self.assertEqual(AuditEntry.objects.count(), entries)  # nothing changed, nothing audited
        self.assertIn("—", output)

    def test_asks_when_no_file(self):
        answers = iter(
            [
                "Trường Chính trị tỉnh Lạng Giang",
                "Tỉnh ủy Lạng Giang",
                "Lạng Giang",
                "",
                "",
                "",
                "",
                "",
                "Hà Văn Minh",
                "",
            ]
        )
        with mock.patch("builtins.input", lambda _question: next(answers)):
            run()
        school = identity.current()
        self.assertEqual(
            (school.name, school.place, school.document_style),
            ("Trường Chính trị tỉnh Lạng Giang", "Lạng Giang", "party"),
        )
        self.assertEqual(school.signer().name, "Hà Văn Minh")

    def test_a_bad_file_names_what_is_wrong_and_changes_nothing(self):
        with tempfile.TemporaryDirectory() as folder:
            bad = Path(folder) / "school.toml"
            for text, words in (
                ('[school]\nname = "Trường"\n', "parent"),
                ('[school\nname = "x"', "TOML"),
                ('[school]\nname = "T"\nparent = "P"\nprovince = "Q"\nmotto = "x"\n', "motto"),
                ('[school]\nname = "T"\nparent = "P"\nprovince = "Q"\nlogo = "missing.png"\n', "missing.png"),
                ('[school]\nname = "T"\nparent = "P"\nprovince = "Q"\ndocument_style = "royal"\n', "document_style"),
            ):
                bad.write_text(text, encoding="utf-8")
                with self.subTest(text=text), self.assertRaisesMessage(CommandError, words):
                    run("--file", str(bad))
        self.assertFalse(School.objects.exists())
        self.assertFalse(Program.objects.exists())

    def test_undo_until_the_first_class(self):
        run("--file", str(EXAMPLE))
        run("--undo", "catalogue")
        self.assertFalse(Program.objects.exists())
        self.assertFalse(DocumentType.objects.exists())
        run("--undo", "identity")
        self.assertFalse(identity.current().configured)
        run("--file", str(EXAMPLE))  # and again
        province = make_unit("BA", "Tỉnh Bình An", "province")
        make_cohort(
            "TC-K01", Program.objects.get(code="TC-LLCT-HC"), province, opening=__import__("datetime").date(2026, 3, 1)
        )
        with self.assertRaisesMessage(CommandError, "lớp"):
            run("--undo", "identity")
        self.assertTrue(identity.current().configured)

    def test_undo_units_and_people(self):
        province = make_unit("BA", "Tỉnh Bình An", "province")
        school = make_unit("SCH", "Trường Chính trị tỉnh Bình An", "school", province)
        faculty = make_unit("K-1", "Khoa Lý luận cơ sở", "faculty", school)
        make_unit("H01", "Thành phố Bình An", "district", province)
        make_lecturer("Nguyễn Thị Hằng", faculty, username="hang")
        make_user("daotao", roles.TRAINING_OFFICE)
        make_user("hocvien", roles.STUDENT)
        admin = make_user("admin", None, is_superuser=True)
        permissions = Group.objects.get(name=roles.TRAINING_OFFICE).permissions.count()
        self.assertIn("1", " ".join(setup.undo("people", user=admin)))
        self.assertEqual(
            sorted(User.objects.values_list("username", flat=True)), ["admin", "hocvien"]
        )  # not the superuser, not a student
        # The role groups stay, with the permissions the roles need.
        self.assertEqual(Group.objects.get(name=roles.TRAINING_OFFICE).permissions.count(), permissions)
        self.assertEqual(AuditEntry.objects.filter(action="people.undo").count(), 3)  # a lecturer, two accounts
        setup.undo("units", user=admin)
        self.assertFalse(Unit.objects.exists())
        self.assertEqual(AuditEntry.objects.filter(action="unit.undo").count(), 4)
