"""Merging a second, demo-like school into the demo (``manage.py merge_school``).

The second school is the demo itself as another installation would back it up: its own
name, other students (national IDs changed, three people kept, one of them under another
name), other verification codes, the same unit, class and user codes (which the merge
prefixes). Every figure of either school for 2020 must come out as before, counted as
units were then; by today's units the chosen unit holds both."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import shutil
import tempfile
import zipfile
from collections import Counter
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.management import CommandError, call_command
from django.test import override_settings

from daotao.accounts.models import User
from daotao.accounts.scope import SYSTEM
from daotao.audit.models import AuditEntry
from daotao.cohorts.models import Cohort, Enrollment
from daotao.grading.models import Credential, Grade, new_verification_code
from daotao.org.models import Unit
from daotao.people.models import Student
from daotao.reports import engine
from daotao.reports.annual import _template_and_lines, annual_report
from daotao.teaching.models import FieldTrip
from daotao.testing import DemoTestCase
from daotao.web.backup import FORMAT, _ExactJSONEncoder, _models
from daotao.web.backup_archive import signature

KEY = "merged-school-backup-key-" + "x" * 20
THEIR_SCHOOL = "Trường Chính trị tỉnh Bình Phước"
KEPT = 3  # students who studied in both schools (same national ID)


def their_national_id(number: str) -> str:
    """Another person of the same province, sex and birth year: the last six digits change."""
    return number[:6] + f"{(int(number[6:]) + 500_000) % 1_000_000:06d}"


def archive_of_this_database(path: Path, change, key: str = KEY) -> Path:
    """This database as another school's ``backup`` writes it, with ``change`` applied to
    its records first; signed with ``key``."""
    objects = (obj for model in _models() for obj in model._default_manager.order_by("pk").iterator())
    records = json.loads(serializers.serialize("json", objects, use_natural_foreign_keys=True, cls=_ExactJSONEncoder))
    change(records)
    data = json.dumps(records, ensure_ascii=False, cls=_ExactJSONEncoder).encode()
    root = Path(settings.MEDIA_ROOT)
    files = sorted(p for p in root.rglob("*") if p.is_file())
    manifest = {
        "format": FORMAT,
        "created_at": "2026-12-01T00:00:00+00:00",
        "database": "sqlite",
        "data_size": len(data),
        "data_sha256": hashlib.sha256(data).hexdigest(),
        "counts": dict(Counter(record["model"] for record in records)),
        "files": [
            {
                "name": p.relative_to(root).as_posix(),
                "size": p.stat().st_size,
                "sha256": hashlib.sha256(p.read_bytes()).hexdigest(),
            }
            for p in files
        ],
    }
    manifest_bytes = json.dumps(manifest, ensure_ascii=False).encode()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", data)
        for p in files:
            archive.writestr("media/" + p.relative_to(root).as_posix(), p.read_bytes())
        archive.writestr("manifest.json", manifest_bytes)
        if key:
            archive.writestr("signature.json", signature(key.encode(), manifest_bytes))
    return path


def other_school(records: list[dict], renamed: str = "") -> None:
    """The demo's records as the second school's: its name, its own students (but ``KEPT``
    people, the first of them named ``renamed`` there if given), its own verification codes."""
    ids = sorted(r["fields"]["national_id"] for r in records if r["model"] == "people.student")
    kept = set(ids[:KEPT])
    for record in records:
        fields = record["fields"]
        if record["model"] == "school.school":
            fields.update(name=THEIR_SCHOOL, province="Bình Phước")
        elif record["model"] in {"people.student", "admissions.application"}:
            number = fields["national_id"]
            if number not in kept:
                fields["national_id"] = their_national_id(number)
            elif renamed and number == ids[0] and record["model"] == "people.student":
                fields["full_name"] = renamed
        elif record["model"] == "grading.credential":
            fields["verification_code"] = new_verification_code()


def school_lines(root: str, units: str = engine.UNITS_THEN) -> list[engine.Counts]:
    """The 8 lines of the yearly report for 2020, of the classes held in ``root``'s tree."""
    _template, lines = _template_and_lines("coordination-yearly")
    specs = [
        engine.CountSpec(
            engine.Period.year(2020),
            line.relation,
            dataclasses.replace(line.cohort_filter(), locality=root, units=units),
        )
        for line in lines
    ]
    return engine.count_many(specs, SYSTEM)


@override_settings(DAOTAO_BACKUP_KEY=KEY)
class MergeSchoolTests(DemoTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.work = Path(tempfile.mkdtemp(prefix="daotao-merge-"))
        cls.addClassCleanup(shutil.rmtree, cls.work, ignore_errors=True)
        cls.archive = archive_of_this_database(cls.work / "binhphuoc.zip", other_school)
        cls.conflicting = archive_of_this_database(
            cls.work / "conflict.zip", lambda records: other_school(records, renamed="Trần Thị Khác")
        )

    def merge(self, archive: Path, *options: str) -> str:
        out = StringIO()
        call_command("merge_school", str(archive), "--under", "BA", *options, stdout=out)
        return out.getvalue()

    def test_every_2020_figure_of_either_school_is_unchanged(self):
        before = school_lines("BA")
        # Every class of the demo is held in the province: its lines are the yearly report's.
        self.assertEqual(before, [line.counts for line in annual_report(2020, SYSTEM).lines])
        self.assertEqual((before[0].classes, before[0].students), (13, 1040))
        self.merge(self.archive, "--code-prefix", "BP-", "--joined-on", "2025-07-01")
        self.assertEqual(school_lines("BA"), before, "this school's figures as units were then")
        self.assertEqual(school_lines("BP-BA"), before, "the merged school's figures, under its own root")
        today = school_lines("BA", engine.UNITS_TODAY)
        self.assertEqual([c.classes for c in today], [2 * c.classes for c in before])
        self.assertEqual([c.students for c in today], [2 * c.students for c in before])
        root = Unit.objects.get(code="BP-BA")
        self.assertEqual((root.parent.code, root.joined_on), ("BA", dt.date(2025, 7, 1)))

    def test_records_are_matched_prefixed_and_kept(self):
        cohorts, students = Cohort.objects.count(), Student.objects.count()
        credentials = Credential.objects.count()
        output = self.merge(self.archive, "--code-prefix", "BP-")
        self.assertIn(f"Đã hợp nhất {THEIR_SCHOOL}", output)
        self.assertEqual(Cohort.objects.count(), 2 * cohorts)
        self.assertEqual(Student.objects.count(), 2 * students - KEPT, "one person is one student")
        self.assertEqual(
            Enrollment.objects.filter(cohort__code__startswith="BP-").count(),
            Enrollment.objects.exclude(cohort__code__startswith="BP-").count(),
        )
        kept = Student.objects.order_by("national_id")[:KEPT]
        for student in kept:
            codes = set(student.enrollments.values_list("cohort__code", flat=True))
            self.assertTrue(any(code.startswith("BP-") for code in codes), student.national_id)
            self.assertTrue(any(not code.startswith("BP-") for code in codes), student.national_id)
        # Credentials keep their numbers, in the merged school's register.
        theirs = Credential.objects.filter(register=THEIR_SCHOOL)
        self.assertEqual(theirs.count(), credentials)
        ours = dict(Credential.objects.filter(register="").values_list("pk", "register_number"))
        self.assertEqual(sorted(theirs.values_list("register_number", flat=True)), sorted(ours.values()))
        # The files their records name are copied beside this school's.
        trip = FieldTrip.objects.get(cohort__code__startswith="BP-")
        self.assertTrue(trip.report.name.startswith("merged/"), trip.report.name)
        ours = FieldTrip.objects.exclude(pk=trip.pk).get()
        self.assertEqual(trip.report.read(), ours.report.read())
        # Their accounts come inactive and without rights.
        merged = User.objects.filter(username__startswith="bp-")
        self.assertTrue(merged.exists())
        self.assertFalse(merged.filter(is_active=True).exists())
        self.assertFalse(merged.filter(is_superuser=True).exists())
        # The audit trail is kept, each entry pointing at the record as numbered here.
        grade_entries = AuditEntry.objects.filter(content_type__model="grade", username="daotao")
        merged_entries = [entry for entry in grade_entries if entry.user and entry.user.username.startswith("bp-")]
        pointed = [entry for entry in merged_entries if not entry.object_id.startswith("merged:")]
        self.assertGreater(len(pointed), 1000)
        for entry in pointed:
            grade = Grade.objects.get(pk=int(entry.object_id))
            self.assertTrue(grade.enrollment.cohort.code.startswith("BP-"))
        # A grade the school had since deleted keeps its entries, pointing at no record here.
        for entry in merged_entries:
            if entry.object_id.startswith("merged:"):
                old = entry.object_id.removeprefix("merged:")
                self.assertFalse(
                    Grade.objects.filter(pk=int(old)).exists(), "deleted there, and here (the same records)"
                )

    def test_a_conflict_is_listed_and_nothing_is_written(self):
        records = {model: model.objects.count() for model in (Cohort, Student, Unit, Credential, AuditEntry)}
        with self.assertRaises(CommandError) as raised:
            self.merge(self.conflicting, "--code-prefix", "BP-")
        message = str(raised.exception)
        first = Student.objects.order_by("national_id").first()
        self.assertIn(first.national_id, message)
        self.assertIn("Trần Thị Khác", message)
        self.assertIn(first.full_name, message)
        self.assertEqual(records, {model: model.objects.count() for model in records})
        # The office keeps its own value, or takes the merged school's (audited).
        self.merge(self.conflicting, "--code-prefix", "BP-", "--prefer", "theirs")
        first.refresh_from_db()
        self.assertEqual(first.full_name, "Trần Thị Khác")
        self.assertTrue(AuditEntry.objects.filter(action="merge_student", object_id=str(first.pk)).exists())

    def test_dry_run_changes_nothing(self):
        records = {model: model.objects.count() for model in (Cohort, Student, Unit, Credential, AuditEntry)}
        output = self.merge(self.archive, "--code-prefix", "BP-", "--dry-run")
        self.assertIn("Chạy thử", output)
        self.assertEqual(records, {model: model.objects.count() for model in records})

    def test_codes_in_use_need_a_prefix(self):
        with self.assertRaises(CommandError) as raised:
            self.merge(self.archive)
        self.assertIn("--code-prefix", str(raised.exception))

    def test_a_dry_run_says_what_would_be_refused(self):
        out = StringIO()
        with self.assertRaises(CommandError) as raised:
            call_command("merge_school", str(self.conflicting), "--under", "BA", "--dry-run", stdout=out)
        message = str(raised.exception)
        self.assertIn("Trần Thị Khác", message)
        self.assertIn("--code-prefix", message)
        self.assertIn("Chạy thử", out.getvalue())

    def test_an_archive_brings_no_role_of_its_own(self):
        def own_group(records):
            other_school(records)
            records.append({"model": "auth.group", "pk": 999, "fields": {"name": "toàn quyền", "permissions": []}})
            user = next(r for r in records if r["model"] == "accounts.user" and r["fields"]["username"] == "daotao")
            user["fields"]["groups"].append(["toàn quyền"])

        archive = archive_of_this_database(self.work / "group.zip", own_group)
        self.merge(archive, "--code-prefix", "BP-")
        self.assertFalse(Group.objects.filter(name="toàn quyền").exists())
        merged = User.objects.get(username="bp-daotao")
        ours = User.objects.get(username="daotao")
        self.assertEqual(set(merged.groups.all()), set(ours.groups.all()), "the roles it had, that exist here")
        self.assertFalse(merged.is_active)

    def test_an_archive_not_signed_with_their_key_is_refused(self):
        forged = archive_of_this_database(self.work / "forged.zip", other_school, key="another-key-" + "y" * 30)
        cohorts = Cohort.objects.count()
        with self.assertRaises(CommandError):
            self.merge(forged, "--code-prefix", "BP-")
        self.assertEqual(Cohort.objects.count(), cohorts)

    def test_a_hostile_archive_is_refused_whole(self):
        def escape(records):
            other_school(records)
            essay = next(r for r in records if r["model"] == "essays.essay")
            essay["fields"]["file"] = "../../settings.py"

        def bad_choice(records):
            other_school(records)
            cohort = next(r for r in records if r["model"] == "cohorts.cohort")
            cohort["fields"]["mode"] = "<script>"

        def no_national_id(records):
            other_school(records)
            student = next(r for r in records if r["model"] == "people.student")
            del student["fields"]["national_id"]

        cohorts = Cohort.objects.count()
        cases = ((escape, "../../settings.py"), (bad_choice, "<script>"), (no_national_id, "national_id"))
        for change, expected in cases:
            with self.subTest(expected):
                archive = archive_of_this_database(self.work / "hostile.zip", change)
                with self.assertRaises(CommandError) as raised:
                    self.merge(archive, "--code-prefix", "BP-")
                self.assertIn(expected, str(raised.exception))
                self.assertEqual(Cohort.objects.count(), cohorts)
