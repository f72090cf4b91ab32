"""``register_school`` and ``import_figures``: what an operator of the Academy types."""

from __future__ import annotations

import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from daotao.academy import synthetic
from daotao.academy.models import FiguresPackage, RegisteredSchool
from daotao.academy.tests.helpers import NORTH, SOUTH, AcademyTestCase, year_package
from daotao.audit.models import ImportChannel, ImportOutcome, ImportRecord
from daotao.lib import signing


class CommandTests(AcademyTestCase):
    def setUp(self):
        super().setUp()
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.folder = Path(folder.name)

    def write(self, name: str, content: bytes) -> str:
        path = self.folder / name
        path.write_bytes(content)
        return str(path)

    @staticmethod
    def new_key() -> str:
        return signing.public_key_text(signing.new_private_key())

    def call(self, *args) -> tuple[str, str]:
        out, err = StringIO(), StringIO()
        call_command(*args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def test_register_a_school_then_change_it(self):
        key = signing.new_private_key()
        out, _err = self.call(
            "register_school", "dna", "--name", "Trường Chính trị tỉnh Đồng Nai", "--province", "Đồng Nai",
            "--public-key", f"  {signing.public_key_text(key)} ",
        )  # fmt: skip
        school = RegisteredSchool.objects.get(code="DNA")
        self.assertEqual((school.key_id, school.active), (signing.key_id(key), True))
        self.assertIn(school.key_id, out)
        self.call("register_school", "DNA", "--province", "Tỉnh Đồng Nai", "--inactive")
        school.refresh_from_db()
        self.assertEqual(
            (school.province, school.name, school.active), ("Tỉnh Đồng Nai", "Trường Chính trị tỉnh Đồng Nai", False)
        )

    def test_register_refuses_what_cannot_be_a_school(self):
        for args, expected in (
            (("XYZ", "--name", "X", "--province", "Y"), "--public-key"),
            (("XYZ", "--name", "X", "--province", "Y", "--public-key", "ed25519:abc"), "public_key"),
            (("XYZ", "--name", "X", "--province", "Y", "--public-key", self.north.public_key), "already registered"),
            (("X Y", "--name", "X", "--province", "Y", "--public-key", self.new_key()), "code"),
        ):  # fmt: skip
            with self.subTest(args=args), self.assertRaisesMessage(CommandError, expected):
                self.call("register_school", *args)
        self.assertEqual(RegisteredSchool.objects.count(), 2)

    def test_import_several_files(self):
        good = self.write("ban-2020.json", synthetic.file_bytes(year_package(self.north_key, self.north, NORTH)))
        tampered = year_package(self.south_key, self.south, SOUTH)
        tampered["package"]["lines"][0]["students"] += 1
        bad = self.write("nam-2020.json", synthetic.file_bytes(tampered))
        with self.assertRaisesMessage(CommandError, "1 of 3 files was refused"):
            self.call("import_figures", good, bad, good)
        self.assertEqual(list(FiguresPackage.objects.values_list("school__code", flat=True)), ["BAN"])
        outcomes = list(ImportRecord.objects.order_by("pk").values_list("outcome", "channel", "file_name"))
        self.assertEqual(
            outcomes,
            [(ImportOutcome.DONE, ImportChannel.COMMAND, "ban-2020.json"),
             (ImportOutcome.REFUSED, ImportChannel.COMMAND, "nam-2020.json"),
             (ImportOutcome.DONE, ImportChannel.COMMAND, "ban-2020.json")],
        )  # fmt: skip

    def test_import_one_file_refused_says_why(self):
        path = self.write("x.json", b"not json")
        with self.assertRaisesMessage(CommandError, "not valid JSON"):
            self.call("import_figures", path)
        with self.assertRaisesMessage(CommandError, "no such file"):
            self.call("import_figures", str(self.folder / "missing.json"))
        self.assertEqual(FiguresPackage.objects.count(), 0)

    def test_import_check_only(self):
        path = self.write("ban.json", synthetic.file_bytes(year_package(self.north_key, self.north, NORTH)))
        out, _err = self.call("import_figures", path, "--dry-run")
        self.assertIn("nothing was written", out)
        self.assertEqual(FiguresPackage.objects.count(), 0)
        out, _err = self.call("import_figures", path)
        self.assertIn("imported", out)
        out, _err = self.call("import_figures", path)
        self.assertIn("replacing the earlier package", out)
        self.assertEqual(FiguresPackage.objects.count(), 1)

    @override_settings(DAOTAO_ROLE="school")
    def test_a_school_installation_refuses(self):
        path = self.write("ban.json", synthetic.file_bytes(year_package(self.north_key, self.north, NORTH)))
        for args in (("import_figures", path), ("register_school", "ABC", "--name", "x")):
            with self.subTest(command=args[0]), self.assertRaisesMessage(CommandError, "DAOTAO_ROLE=school"):
                self.call(*args)
        self.assertEqual(ImportRecord.objects.count(), 0)
