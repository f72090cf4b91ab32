"""``backup`` and ``restore``: a signed backup restored into an empty database gives back every
record and every uploaded file; an archive that is forged, changed, damaged or foreign, or a
database that is not empty, is refused with a message, and a restore that fails leaves the
database empty and the uploads folder as it was, so that the next try works. An archive
that is not signed with the server's key goes in only when the operator trusts it, after the
command has listed the administrators it creates; articles come out sanitised either way."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import json
import shutil
import struct
import tempfile
import zipfile
from collections import Counter
from io import StringIO
from pathlib import Path
from unittest import mock

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.test import TransactionTestCase, override_settings
from django.utils import timezone

from daotao.accounts import roles
from daotao.accounts.models import User
from daotao.audit.models import record
from daotao.demo import loader
from daotao.org.models import UnitKind
from daotao.portal.models import Article, ArticleStatus, Category
from daotao.programs.models import Program
from daotao.surveys import services
from daotao.surveys.tests.base import make_questionnaire
from daotao.teaching.models import FieldTrip
from daotao.testing import PASSWORD, enroll, make_cohort, make_unit, make_user
from daotao.web import backup_archive
from daotao.web.backup import _models
from daotao.web.backup_archive import signature

KEY = "khoa-sao-luu-cua-truong-dung-cho-kiem-thu-0123456789"
OTHER_KEY = "mot-khoa-khac-khong-phai-cua-may-chu-nay-9876543210"
FORGED_PASSWORD = "mat-khau-ke-gia-mao-biet"
PAYLOAD = '<p>Khai giảng lớp mới</p><script>alert("xss")</script><img src="anh.png" onerror="alert(1)">'


def everything() -> dict[str, list]:
    """Every record of every backed-up model, as plain data, ordered."""
    return {
        model._meta.label_lower: sorted(
            json.loads(serializers.serialize("json", model._default_manager.all(), use_natural_foreign_keys=True)),
            key=lambda row: str(row["pk"]),
        )
        for model in _models()
    }


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def read_members(archive: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(archive) as source:
        return {name: source.read(name) for name in source.namelist()}


def write_archive(path: Path, members: dict[str, bytes], *, key: str | None = KEY, files=None, **manifest_changes):
    """An archive of ``members`` made as a forger makes one: the manifest's record counts and
    checksums recomputed from the members (or ``files`` as given), then signed with ``key``
    (None: no signature; a ``signature.json`` among the members is kept as it is)."""
    manifest = json.loads(members["manifest.json"])
    data = members["data.json"]
    counts = dict.fromkeys(manifest["counts"], 0)
    counts.update(Counter(row["model"] for row in json.loads(data)))
    manifest.update(counts=counts, data_size=len(data), data_sha256=sha256(data))
    manifest["files"] = files or [
        {"name": name.removeprefix("media/"), "size": len(content), "sha256": sha256(content)}
        for name, content in members.items()
        if name.startswith("media/")
    ]
    manifest.update(manifest_changes)
    manifest_bytes = json.dumps(manifest).encode()
    content = {**members, "manifest.json": manifest_bytes}
    if key is not None:
        content["signature.json"] = signature(key.encode(), manifest_bytes)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for name, data in content.items():
            target.writestr(name, data)
    return path


def with_records(members: dict[str, bytes], change) -> dict[str, bytes]:
    """The members with ``change`` applied to the list of records."""
    records = json.loads(members["data.json"])
    change(records)
    return {**members, "data.json": json.dumps(records, ensure_ascii=False).encode()}


class BackupTestCase(TransactionTestCase):
    def setUp(self):
        self.media = Path(tempfile.mkdtemp(prefix="daotao-media-"))
        self.addCleanup(shutil.rmtree, self.media, ignore_errors=True)
        self.work = Path(tempfile.mkdtemp(prefix="daotao-archives-"))
        self.addCleanup(shutil.rmtree, self.work, ignore_errors=True)
        self.settings_override = override_settings(MEDIA_ROOT=str(self.media), DAOTAO_BACKUP_KEY=KEY)
        self.settings_override.enable()
        self.addCleanup(self.settings_override.disable)
        self.archive = self.work / "daotao.zip"
        call_command("migrate", verbosity=0)  # the rows the migrations make (groups, presets)

    def media_files(self) -> dict[Path, bytes]:
        return {p.relative_to(self.media): p.read_bytes() for p in self.media.rglob("*") if p.is_file()}

    def empty_install(self):
        """An empty database and no uploads: as on a new server after migrate."""
        call_command("flush", interactive=False, verbosity=0)
        call_command("migrate", verbosity=0)
        shutil.rmtree(self.media)
        self.media.mkdir()
        self.baseline = {label: len(rows) for label, rows in everything().items()}

    def restore(self, archive: Path, *options: str) -> str:
        out = StringIO()
        call_command("restore", str(archive), *options, stdout=out)
        return out.getvalue()

    def assert_untouched(self):
        """The database as migrate left it, no upload, no staging folder left behind."""
        self.assertFalse(User.objects.exists())
        self.assertEqual({label: len(rows) for label, rows in everything().items()}, self.baseline)
        self.assertEqual(list(self.media.rglob("*")), [])
        self.assertEqual(list(self.media.parent.glob(".daotao-restore-*")), [])


class BackupRestoreTests(BackupTestCase):
    def setUp(self):
        super().setUp()
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

    def backup(self) -> dict[str, bytes]:
        out = StringIO()
        call_command("backup", str(self.archive), stdout=out)
        self.assertIn(backup_archive.key_id(KEY.encode()), out.getvalue())
        return read_members(self.archive)

    def test_a_backup_restored_into_an_empty_database_gives_back_everything(self):
        before = everything()
        files_before = self.media_files()
        self.assertEqual(len(files_before), 1)
        out = StringIO()
        call_command("backup", str(self.archive), stdout=out)
        self.assertIn("1 ", out.getvalue())

        self.empty_install()
        out = self.restore(self.archive)
        self.assertIn(f"khóa sao lưu {backup_archive.key_id(KEY.encode())}", out)
        self.assertEqual(everything(), before)
        self.assertEqual(self.media_files(), files_before)
        trip = FieldTrip.objects.get()
        with trip.report.open("rb") as report:
            self.assertEqual(report.read(), self.scan)
        # Password hashes come back as they were: the office signs in with its password.
        self.assertTrue(User.objects.get(username="office").check_password(PASSWORD))
        # New records continue after the restored ids (PostgreSQL sequences moved on).
        make_unit("H02", "Thị xã Phú Mỹ", UnitKind.DISTRICT)

    def test_refused_when_the_database_is_not_empty(self):
        call_command("backup", str(self.archive), stdout=StringIO())
        counts = {label: len(rows) for label, rows in everything().items()}
        with self.assertRaisesMessage(CommandError, "cơ sở dữ liệu trống"):
            self.restore(self.archive)
        self.assertEqual({label: len(rows) for label, rows in everything().items()}, counts)

    def test_backup_refuses_to_run_without_a_key(self):
        for key, message in (("", "secrets.token_urlsafe(32)"), ("ngan-qua", "quá ngắn")):
            with self.subTest(key=key), override_settings(DAOTAO_BACKUP_KEY=key):
                with self.assertRaisesMessage(CommandError, message):
                    call_command("backup", str(self.archive), stdout=StringIO())
                self.assertEqual(list(self.work.iterdir()), [])

    def test_a_forged_superuser_is_refused_unless_the_operator_trusts_the_archive(self):
        members = self.backup()

        def add_mallory(records):
            office = next(row for row in records if row["model"] == "accounts.user")
            mallory = copy.deepcopy(office)
            mallory["pk"] = 9999
            mallory["fields"].update(
                username="mallory", is_superuser=True, is_staff=True, password=make_password(FORGED_PASSWORD), groups=[]
            )
            records.append(mallory)

        forged = with_records(members, add_mallory)
        self.empty_install()
        cases = {
            # The checksums recomputed (plain SHA-256), the old signature kept.
            "chữ ký cũ": (write_archive(self.work / "cu.zip", forged, key=None), KEY, "bị thay đổi sau khi ký"),
            "không chữ ký": (
                write_archive(
                    self.work / "khong.zip", {n: c for n, c in forged.items() if n != "signature.json"}, key=None
                ),
                KEY,
                "không có chữ ký",
            ),
            "khóa khác": (write_archive(self.work / "khac.zip", forged, key=OTHER_KEY), KEY, "một khóa khác"),
            "máy chủ không có khóa": (write_archive(self.work / "ky.zip", forged), "", "chưa đặt DAOTAO_BACKUP_KEY"),
        }
        for label, (archive, server_key, reason) in cases.items():
            with self.subTest(case=label), override_settings(DAOTAO_BACKUP_KEY=server_key):
                with self.assertRaisesMessage(CommandError, reason) as refused:
                    self.restore(archive)
                self.assertIn("--trust-unsigned", str(refused.exception))
                self.assert_untouched()

        out = self.restore(cases["chữ ký cũ"][0], "--trust-unsigned")
        self.assertIn("bị thay đổi sau khi ký", out)
        self.assertIn("mallory: quản trị cao nhất (superuser), vào trang quản trị (staff)", out)
        self.assertIn("accounts.user (người dùng): 2", out.lower())
        mallory = User.objects.get(username="mallory")
        self.assertTrue(mallory.is_superuser)
        self.assertTrue(mallory.check_password(FORGED_PASSWORD))  # trusted as it is, hash included

    def test_a_changed_byte_in_a_signed_archive_is_refused(self):
        members = self.backup()
        scan = next(name for name in members if name.startswith("media/"))
        changed_data = {**members, "data.json": members["data.json"].replace(b"TC01", b"TC02")}
        changed_scan = {**members, scan: members[scan][:-1] + b"!"}
        more_users = members["manifest.json"].replace(b'"accounts.user": 1,', b'"accounts.user": 2,')
        self.assertNotEqual(more_users, members["manifest.json"])
        self.empty_install()
        cases = {
            # Checksums recomputed in the manifest: the signature no longer matches it.
            "dữ liệu, tính lại mã": (
                write_archive(self.work / "a.zip", changed_data, key=None),
                "bị thay đổi sau khi ký",
            ),
            "tệp, tính lại mã": (write_archive(self.work / "b.zip", changed_scan, key=None), "bị thay đổi sau khi ký"),
            # The manifest left alone: the checksum no longer matches the entry.
            "dữ liệu": (write_members(self.work / "c.zip", changed_data), "mã kiểm tra không khớp"),
            "tệp": (write_members(self.work / "d.zip", changed_scan), "đã bị hỏng"),
            "bản kê": (write_members(self.work / "e.zip", {**members, "manifest.json": more_users}), "sau khi ký"),
        }
        for label, (archive, reason) in cases.items():
            with self.subTest(case=label), self.assertRaisesMessage(CommandError, reason):
                self.restore(archive)
            self.assert_untouched()
        self.restore(self.archive)
        self.assertTrue(User.objects.filter(username="office").exists())

    def test_damaged_or_foreign_archives_are_refused_before_anything_changes(self):
        members = self.backup()
        self.empty_install()
        cases = {
            "thiếu tệp": {n: c for n, c in members.items() if not n.startswith("media/")},
            "khác định dạng": {**members, "manifest.json": json.dumps({"format": "other"}).encode()},
            "bản kê hỏng": {**members, "manifest.json": b"{not json"},
        }
        for label, content in cases.items():
            with self.subTest(case=label), self.assertRaises(CommandError):
                self.restore(write_members(self.work / f"{label}.zip", content))
        not_zip = self.work / "khong-phai-zip.zip"
        not_zip.write_bytes(b"not a zip")
        with self.assertRaisesMessage(CommandError, ".zip"):
            self.restore(not_zip)
        self.assert_untouched()

    def test_article_bodies_come_out_sanitised_whatever_the_archive_says(self):
        category = Category.objects.create(name="Tin tức", slug="tin-tuc")
        Article(
            title="Khai giảng",
            slug="khai-giang",
            category=category,
            body="<p>Khai giảng</p>",
            status=ArticleStatus.PUBLISHED,
            published_at=timezone.now() - dt.timedelta(days=1),
        ).save()
        members = self.backup()

        def inject(records):
            article = next(row for row in records if row["model"] == "portal.article")
            article["fields"].update(body=PAYLOAD, search_key="")

        forged = with_records(members, inject)
        for label, key, options in (("đã ký", KEY, ()), ("tin cậy", None, ("--trust-unsigned",))):
            with self.subTest(case=label):
                self.empty_install()
                self.restore(write_archive(self.work / f"{label}.zip", forged, key=key), *options)
                article = Article.objects.get()
                self.assertIn("Khai giảng lớp mới", article.body)
                self.assertIn('<img src="anh.png">', article.body)
                self.assertNotIn("<script", article.body)
                self.assertNotIn("onerror", article.body)
                self.assertIn("khai giang lop moi", article.search_key)
                page = self.client.get(article.get_absolute_url())
                self.assertContains(page, "Khai giảng lớp mới")
                self.assertNotContains(page, "alert(")
                self.assertNotContains(page, "onerror")
                # A body that reaches the database without save() is sanitised on the page.
                Article.objects.update(body=PAYLOAD)
                page = self.client.get(article.get_absolute_url())
                self.assertContains(page, "Khai giảng lớp mới")
                self.assertNotContains(page, "alert(")
                self.assertNotContains(page, "onerror")

    def test_records_pass_the_model_field_checks(self):
        members = self.backup()

        def add_banner(records):
            records.append(
                {
                    "model": "portal.banner",
                    "pk": 1,
                    "fields": {
                        "title": "Quảng cáo",
                        "image": "portal/banners/b.png",
                        "link": "javascript:alert(1)",
                        "placement": "sidebar",
                        "order": 0,
                        "starts_on": "2026-01-01",
                        "ends_on": "2026-12-31",
                    },
                }
            )

        self.empty_install()
        with self.assertRaisesMessage(CommandError, "portal.banner 1"):
            self.restore(write_archive(self.work / "banner.zip", with_records(members, add_banner)))
        self.assert_untouched()
        session = {"model": "sessions.session", "pk": "x", "fields": {"session_data": "", "expire_date": "2030-01-01"}}
        with self.assertRaisesMessage(CommandError, "sessions.session"):
            self.restore(write_archive(self.work / "session.zip", with_records(members, lambda r: r.append(session))))
        self.assert_untouched()

    def test_a_bad_file_entry_leaves_an_empty_database_and_no_file_and_a_second_try_works(self):
        before = everything()
        files_before = self.media_files()
        members = self.backup()
        scan_name, scan = next((n, c) for n, c in members.items() if n.startswith("media/"))
        link = zipfile.ZipInfo("media/portal/lien-ket")
        link.external_attr = 0o120777 << 16
        outside = "không thể đặt vào thư mục tải lên"
        cases = {
            "ra ngoài": ({**members, "media/../thoat.txt": b"x"}, None, outside),
            "đường dẫn tuyệt đối": ({**members, "media//tmp/thoat.txt": b"x"}, None, outside),
            "sai mã kiểm tra": (
                members,
                [{"name": scan_name.removeprefix("media/"), "size": len(scan), "sha256": sha256(b"khac")}],
                "đã bị hỏng",
            ),
            # Written only after the records in the old restore, which then stayed half done.
            "tệp trùng thư mục": ({**members, "media/portal/a": b"x", "media/portal/a/b": b"y"}, None, outside),
            "mục ngoài bản kê": (
                {**members, "chay.sh": b"rm -rf /"},
                [{"name": scan_name.removeprefix("media/"), "size": len(scan), "sha256": sha256(scan)}],
                "không có trong bản kê",
            ),
        }
        self.empty_install()
        for label, (content, files, reason) in cases.items():
            with self.subTest(case=label), self.assertRaisesMessage(CommandError, reason):
                self.restore(write_archive(self.work / f"{label}.zip", content, files=files))
            self.assert_untouched()
        symlink = self.work / "lien-ket.zip"
        with zipfile.ZipFile(symlink, "w") as target:
            for name, data in members.items():
                target.writestr(name, data)
            target.writestr(link, "/etc/passwd")
        with self.assertRaisesMessage(CommandError, "không phải tệp thông thường"):
            self.restore(symlink)
        self.assert_untouched()

        self.restore(self.archive)
        self.assertEqual(everything(), before)
        self.assertEqual(self.media_files(), files_before)

    def test_a_failure_while_moving_the_files_takes_everything_back(self):
        (self.media / "portal").mkdir()
        (self.media / "portal" / "anh.png").write_bytes(b"anh")
        before = everything()
        files_before = self.media_files()
        self.backup()
        self.empty_install()
        real_move = shutil.move
        moves = []

        def move_then_fail(source, target):
            moves.append(target)
            if len(moves) > 1:
                raise OSError("Đĩa đầy")
            return real_move(source, target)

        with mock.patch.object(backup_archive.shutil, "move", move_then_fail):
            with self.assertRaisesMessage(CommandError, "Đĩa đầy"):
                self.restore(self.archive)
        self.assertEqual(len(moves), 2)
        self.assert_untouched()
        self.restore(self.archive)
        self.assertEqual(everything(), before)
        self.assertEqual(self.media_files(), files_before)

    def test_an_uploads_folder_with_other_files_is_refused(self):
        self.backup()
        self.empty_install()
        trip_report = next(name for name in read_members(self.archive) if name.startswith("media/"))
        other = self.media / trip_report.removeprefix("media/")
        other.parent.mkdir(parents=True)
        other.write_bytes(b"khac")
        with self.assertRaisesMessage(CommandError, "thư mục tải lên trống"):
            self.restore(self.archive)
        self.assertFalse(User.objects.exists())
        self.assertEqual(other.read_bytes(), b"khac")

    def test_zip_bombs_and_too_many_entries_are_refused(self):
        members = self.backup()
        zeros = b"\0" * (4 * 1024 * 1024)
        with_bomb = {**members, "media/portal/bom.bin": zeros}
        bomb = write_archive(self.work / "bom.zip", with_bomb)
        self.assertLess(bomb.stat().st_size, 100_000)
        # The headers and the (signed) manifest claim 100 bytes for the 4 MiB of zeros:
        # reading stops after 100 bytes, whose checksum is then found wrong.
        files = [
            {"name": name.removeprefix("media/"), "size": len(content), "sha256": sha256(content)}
            for name, content in members.items()
            if name.startswith("media/")
        ] + [{"name": "portal/bom.bin", "size": 100, "sha256": sha256(zeros[:100])}]
        liar = write_archive(self.work / "noi-doi.zip", with_bomb, files=files)
        liar.write_bytes(lie_about_size(liar.read_bytes(), "media/portal/bom.bin", 100))
        self.empty_install()
        with mock.patch.object(backup_archive, "MAX_FILE_BYTES", 1024 * 1024):
            with self.assertRaisesMessage(CommandError, "lớn hơn mức"):
                self.restore(bomb)
        self.assert_untouched()
        with self.assertRaisesMessage(CommandError, "portal/bom.bin"):
            self.restore(liar)
        self.assert_untouched()
        with mock.patch.object(backup_archive, "MAX_MEMBERS", 3), self.assertRaisesMessage(CommandError, "nhiều hơn"):
            self.restore(self.archive)
        with mock.patch.object(backup_archive, "MAX_DATA_BYTES", 1000), self.assertRaisesMessage(CommandError, "data"):
            self.restore(self.archive)
        self.assert_untouched()

    def test_an_archive_of_the_first_format_restores_only_on_trust(self):
        before = everything()
        members = self.backup()
        manifest = json.loads(members["manifest.json"])
        manifest["format"] = "daotao-backup-1"
        del manifest["data_size"]
        old = {n: c for n, c in members.items() if n != "signature.json"}
        old["manifest.json"] = json.dumps(manifest).encode()
        archive = write_members(self.work / "cu.zip", old)
        self.empty_install()
        with self.assertRaisesMessage(CommandError, "không có chữ ký"):
            self.restore(archive)
        self.assert_untouched()
        out = self.restore(archive, "--trust-unsigned")
        self.assertIn("Không có người dùng nào có quyền quản trị.", out)
        self.assertEqual(everything(), before)

    def test_every_model_with_data_is_in_the_backup(self):
        members = self.backup()
        manifest = json.loads(members["manifest.json"])
        labels = {model._meta.label_lower for model in apps.get_models()}
        self.assertTrue(set(manifest["counts"]) <= labels)
        counts = manifest["counts"]
        for label in ("people.student", "audit.auditentry", "auth.group", "accounts.user"):
            with self.subTest(model=label):
                self.assertGreater(counts[label], 0)
        # The anonymous answer: written out, or still sealed in the survey pool.
        self.assertGreater(counts.get("surveys.response", 0) + counts.get("surveys.sealedresponse", 0), 0)


class DemoRoundTripTests(BackupTestCase):
    def test_the_demo_restores_every_record_and_file(self):
        loader.load()
        before = everything()
        files_before = self.media_files()
        self.assertGreater(sum(len(rows) for rows in before.values()), 10_000)
        self.assertGreater(len(files_before), 0)
        call_command("backup", str(self.archive), stdout=StringIO())
        self.empty_install()
        self.restore(self.archive)
        self.assertEqual(everything(), before)
        self.assertEqual(self.media_files(), files_before)


def write_members(path: Path, members: dict[str, bytes]) -> Path:
    """An archive of exactly ``members``, nothing recomputed."""
    path.write_bytes(members_zip(members))
    return path


def members_zip(members: dict[str, bytes]) -> bytes:
    buffer = tempfile.SpooledTemporaryFile()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for name, data in members.items():
            target.writestr(name, data)
    buffer.seek(0)
    return buffer.read()


def lie_about_size(archive: bytes, name: str, size: int) -> bytes:
    """The archive with the uncompressed size of ``name`` rewritten in its local header and
    in its central directory entry, as a zip bomb would claim."""
    with zipfile.ZipFile(io.BytesIO(archive)) as source:
        infos, offset = source.infolist(), source.start_dir
    content = bytearray(archive)
    for info in infos:  # the central directory lists the entries in this order
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", content, offset + 28)
        if info.filename == name:
            struct.pack_into("<I", content, info.header_offset + 22, size)
            struct.pack_into("<I", content, offset + 24, size)
        offset += 46 + name_length + extra_length + comment_length
    return bytes(content)
