"""``backup`` and ``restore``: a backup restored into an empty database gives back every
record and every uploaded file; a damaged or foreign archive, or a database that is not
empty, is refused with a message and changes nothing."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
import zipfile
from io import StringIO
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.test import TransactionTestCase, override_settings

from daotao.accounts import roles
from daotao.audit.models import record
from daotao.org.models import UnitKind
from daotao.programs.models import Program
from daotao.surveys import services
from daotao.surveys.models import Response
from daotao.surveys.tests.base import make_questionnaire
from daotao.teaching.models import FieldTrip
from daotao.testing import enroll, make_cohort, make_unit, make_user
from daotao.web.backup import _models


def everything() -> dict[str, list]:
    """Every record of every backed-up model, as plain data, ordered."""
    return {
        model._meta.label_lower: sorted(
            json.loads(serializers.serialize("json", model._default_manager.all(), use_natural_foreign_keys=True)),
            key=lambda row: str(row["pk"]),
        )
        for model in _models()
    }


class BackupRestoreTests(TransactionTestCase):
    def setUp(self):
        self.media = Path(tempfile.mkdtemp(prefix="daotao-media-"))
        self.addCleanup(shutil.rmtree, self.media, ignore_errors=True)
        self.settings_override = override_settings(MEDIA_ROOT=str(self.media))
        self.settings_override.enable()
        self.addCleanup(self.settings_override.disable)
        self.archive = self.media.parent / f"{self.media.name}.zip"
        self.addCleanup(lambda: self.archive.unlink(missing_ok=True))

        call_command("migrate", verbosity=0)  # the rows the migrations make (groups, presets)
        province = make_unit("BA", "Tỉnh Bình An", UnitKind.PROVINCE)
        h01 = make_unit("H01", "Thành phố Bình An", UnitKind.DISTRICT, province, email="h01@example.test")
        program = Program.objects.create(code="TC-LLCT-HC", name="Trung cấp", kind="training")
        cohort = make_cohort("TC01", program, h01, dt.date(2026, 3, 2))
        enroll(cohort, 6)
        self.office = make_user("office", roles.TRAINING_OFFICE)
        record(self.office, cohort, "cohort_note", note="Ghi chú kiểm tra")
        version, questions = make_questionnaire()
        survey_round = services.round_create(
            user=self.office, title="Đánh giá", version=version, cohort=cohort, phase="end",
            opens_on=dt.date(2026, 5, 1), closes_on=dt.date(2026, 6, 30),
        )  # fmt: skip
        services.invitations_create(survey_round=survey_round)
        invitation = survey_round.invitations.first()
        services.response_submit(
            invitation=invitation, values={q.pk: 8 for q in questions if q.kind == "rating"}, today=dt.date(2026, 6, 1)
        )
        self.scan = "Báo cáo nghiên cứu thực tế".encode() * 100
        trip = FieldTrip(cohort=cohort, locality=h01, start_date=dt.date(2026, 4, 6), end_date=dt.date(2026, 4, 8))
        trip.report.save("bao-cao.pdf", ContentFile(self.scan), save=True)

    def test_a_backup_restored_into_an_empty_database_gives_back_everything(self):
        before = everything()
        files_before = {p.relative_to(self.media): p.read_bytes() for p in self.media.rglob("*") if p.is_file()}
        self.assertEqual(len(files_before), 1)
        out = StringIO()
        call_command("backup", str(self.archive), stdout=out)
        self.assertIn("1 ", out.getvalue())

        # An empty database and no uploads: as on a new server after migrate.
        call_command("flush", interactive=False, verbosity=0)
        call_command("migrate", verbosity=0)
        shutil.rmtree(self.media)
        self.media.mkdir()

        call_command("restore", str(self.archive), stdout=StringIO())
        self.assertEqual(everything(), before)
        files_after = {p.relative_to(self.media): p.read_bytes() for p in self.media.rglob("*") if p.is_file()}
        self.assertEqual(files_after, files_before)
        trip = FieldTrip.objects.get()
        with trip.report.open("rb") as report:
            self.assertEqual(report.read(), self.scan)
        self.assertTrue(Response.objects.filter(invitation__isnull=True).exists())
        # New records continue after the restored ids (PostgreSQL sequences moved on).
        make_unit("H02", "Thị xã Phú Mỹ", UnitKind.DISTRICT)

    def test_refused_when_the_database_is_not_empty(self):
        call_command("backup", str(self.archive), stdout=StringIO())
        counts = {label: len(rows) for label, rows in everything().items()}
        with self.assertRaisesMessage(CommandError, "cơ sở dữ liệu trống"):
            call_command("restore", str(self.archive), stdout=StringIO())
        self.assertEqual({label: len(rows) for label, rows in everything().items()}, counts)

    def test_damaged_or_foreign_archives_are_refused_before_anything_changes(self):
        call_command("backup", str(self.archive), stdout=StringIO())
        call_command("flush", interactive=False, verbosity=0)
        call_command("migrate", verbosity=0)
        shutil.rmtree(self.media)
        self.media.mkdir()
        baseline = {label: len(rows) for label, rows in everything().items()}
        with zipfile.ZipFile(self.archive) as source:
            members = {name: source.read(name) for name in source.namelist()}
        cases = {
            "hỏng dữ liệu": {**members, "data.json": members["data.json"].replace(b"TC01", b"TC99")},
            "hỏng tệp": {**members, **{n: b"x" for n in members if n.startswith("media/")}},
            "thiếu tệp": {n: c for n, c in members.items() if not n.startswith("media/")},
            "khác định dạng": {**members, "manifest.json": json.dumps({"format": "other"}).encode()},
        }
        for label, content in cases.items():
            broken = self.archive.with_name(f"{label}.zip")
            with zipfile.ZipFile(broken, "w") as target:
                for name, data in content.items():
                    target.writestr(name, data)
            self.addCleanup(broken.unlink, missing_ok=True)
            with self.subTest(case=label), self.assertRaises(CommandError):
                call_command("restore", str(broken), stdout=StringIO())
        not_zip = self.archive.with_name("khong-phai-zip.zip")
        not_zip.write_bytes(b"not a zip")
        self.addCleanup(not_zip.unlink, missing_ok=True)
        with self.assertRaisesMessage(CommandError, ".zip"):
            call_command("restore", str(not_zip), stdout=StringIO())
        self.assertEqual({label: len(rows) for label, rows in everything().items()}, baseline)
        self.assertEqual([p for p in self.media.rglob("*") if p.is_file()], [])

    def test_every_model_with_data_is_in_the_backup(self):
        call_command("backup", str(self.archive), stdout=StringIO())
        with zipfile.ZipFile(self.archive) as archive:
            manifest = json.loads(archive.read("manifest.json"))
        labels = {model._meta.label_lower for model in apps.get_models()}
        self.assertTrue(set(manifest["counts"]) <= labels)
        for label in ("people.student", "surveys.response", "audit.auditentry", "auth.group", "accounts.user"):
            with self.subTest(model=label):
                self.assertGreater(manifest["counts"][label], 0)
