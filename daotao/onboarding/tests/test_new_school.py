"""A school that is not the demo's, from ``migrate`` alone to its own yearly report, register
and portal, with nothing but the commands, the pages and the workbooks a school fills in
(README, "Starting your own school"). The suite runs it on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from io import StringIO
from pathlib import Path

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse

from daotao.accounts.models import User
from daotao.cohorts.models import Cohort
from daotao.cohorts.tests.workbooks import cohort_row, student_row
from daotao.cohorts.tests.workbooks import workbook as classes_workbook
from daotao.grading.models import Credential
from daotao.onboarding.tests.test_import_history import credential, history_book, result
from daotao.onboarding.tests.test_import_people import account, lecturer
from daotao.onboarding.tests.test_import_people import workbook as people_workbook
from daotao.onboarding.tests.test_import_units import unit
from daotao.onboarding.tests.test_import_units import workbook as units_workbook
from daotao.planning.tests.base import workbook as quotas_workbook
from daotao.school import identity

FILES = Path(__file__).with_name("files")
END, START = "30/06/2025", "01/07/2025"
UNITS = [
    unit("LG", "Tỉnh Lạng Giang", "Tỉnh"),
    unit("TCT-LG", "Trường Chính trị tỉnh Lạng Giang", "Trường", "LG"),
    unit("K-LLCS", "Khoa Lý luận cơ sở", "Khoa", "TCT-LG"),
    unit("K-XDD", "Khoa Xây dựng Đảng", "Khoa", "TCT-LG"),
    unit("P-QLDT", "Phòng Quản lý đào tạo và Nghiên cứu khoa học", "Phòng", "TCT-LG"),
    unit("H01", "Thành phố Lạng Giang", "Cấp huyện", "LG", None, END, "X01"),
    unit("TTCT-H01", "Trung tâm Chính trị thành phố Lạng Giang", "Trung tâm chính trị", "H01", None, END, "TTCT-X01"),
    unit("X01", "Phường Lạng Giang", "Cấp xã", "LG", START),
    unit("TTCT-X01", "Trung tâm Chính trị phường Lạng Giang", "Trung tâm chính trị", "X01", START),
    unit("H02", "Huyện Bắc Sơn", "Cấp huyện", "LG", None, END, "X02"),
    unit("X02", "Xã Bắc Sơn", "Cấp xã", "LG", START),
    unit("SNV", "Sở Nội vụ tỉnh Lạng Giang", "Cơ quan", "LG", email="snv@langgiang.example"),
]


def run(command: str, *args) -> str:
    out, err = StringIO(), StringIO()
    try:
        call_command(command, *args, stdout=out, stderr=err)
    except CommandError as error:
        raise AssertionError(f"{command}: {error}\n{err.getvalue()}") from None
    return out.getvalue()


class NewSchoolTests(TestCase):
    """Nothing but what ``migrate`` makes: no demo, no record typed in the administration."""

    def write(self, folder: str, name: str, content: bytes) -> str:
        path = Path(folder) / name
        path.write_bytes(content)
        return str(path)

    def test_from_an_empty_database_to_the_report_the_register_and_the_portal(self):
        self.assertFalse(User.objects.exists())
        self.assertFalse(identity.current().configured)
        with tempfile.TemporaryDirectory() as folder:
            run("setup_school", "--file", str(FILES / "school.toml"))
            admin = User.objects.create_superuser("quantri", "quantri@langgiang.example", "mat-khau-quan-tri-2026")
            run("import_units", self.write(folder, "donvi.xlsx", units_workbook(UNITS)))
            people = people_workbook(
                lecturers=[lecturer("Nông Thị Hạnh", "K-LLCS", **{"Tên đăng nhập": "hanh.nt"})],
                accounts=[
                    account("daotao.lg", "Phòng Quản lý đào tạo", "Phòng Quản lý đào tạo"),
                    account("hanh.nt", "Nông Thị Hạnh", "Giảng viên"),
                    account("dieuphoi.x01", "Lục Văn Bình", "Cán bộ điều phối địa phương", **{"Mã đơn vị": "X01"}),
                ],
            )
            with self.captureOnCommitCallbacks(execute=True):
                run("import_people", self.write(folder, "nhansu.xlsx", people))
            past = classes_workbook(
                [
                    cohort_row("TC-H01-2018", **{"Mã địa phương": "H01", "Ngày khai giảng": dt.datetime(2018, 3, 5),
                               "Ngày bế giảng": "29/11/2019", "Trạng thái": "Đã kết thúc", "Năm kế hoạch": 2018}),
                    cohort_row("TC-H02-2019", **{"Mã địa phương": "H02", "Ngày khai giảng": dt.datetime(2019, 4, 1),
                               "Ngày bế giảng": "30/10/2020", "Trạng thái": "Đã kết thúc", "Năm kế hoạch": 2019}),
                ],
                [
                    *(student_row("TC-H01-2018", name, gender=gender, **{"Mã địa phương": "H01", "nid": nid})
                      for name, gender, nid in (("Hà Văn An", "male", "020085000101"),
                                                ("Lý Thị Bích", "female", "020185000102"),
                                                ("Vi Văn Cường", "male", "020085000103"))),
                    *(student_row("TC-H02-2019", name, **{"Mã địa phương": "H02"})
                      for name in ("Đinh Văn Dũng", "Mã Thị Én")),
                ],
            )  # fmt: skip
            run("import_cohorts", self.write(folder, "lop-cu.xlsx", past))
            decided, issued = dt.datetime(2019, 12, 10), dt.datetime(2019, 12, 20)
            records = history_book(
                [
                    result("020085000101", "7,5", None, cohort="TC-H01-2018", number="125/QĐ-TCT", date=decided),
                    result("020185000102", "8,2", None, cohort="TC-H01-2018", number="125/QĐ-TCT", date=decided),
                ],
                [
                    credential("020085000101", "15/2019", "LG 000015", cohort="TC-H01-2018", issued=issued),
                    credential("020185000102", "16/2019", "LG 000016", cohort="TC-H01-2018", issued=issued),
                ],
            )
            run("import_history", self.write(folder, "ketqua-vanbang.xlsx", records))

        # Each new account got its link, and nobody a password.
        self.assertEqual(sorted(m.to[0] for m in mail.outbox), sorted(
            ["daotao.lg@truong.test", "hanh.nt@truong.test", "dieuphoi.x01@truong.test"]))  # fmt: skip
        self.assertTrue(all("mat-khau" not in m.body and "Lạng Giang" in m.body for m in mail.outbox))

        # This year's plan, on its pages, by the first administrator.
        self.client.force_login(admin)
        year = dt.date.today().year
        self.client.post(reverse("planning:create"), {"year": year, "title": f"Kế hoạch năm {year}"})
        quotas = SimpleUploadedFile(
            "chitieu.xlsx", quotas_workbook(("TC-LLCT-HC", "X01", "Được hỗ trợ kinh phí", 1, 60))
        )
        self.client.post(reverse("planning:import", args=[year]), {"workbook": quotas})

        # Every step of the checklist is done.
        steps = self.client.get(reverse("onboarding:checklist")).context["steps"]
        self.assertEqual({step.key: step.done for step in steps}, dict.fromkeys(
            ["identity", "units", "programs", "people", "plan", "history"], True))  # fmt: skip

        # The yearly report of 2019 counts the past classes.
        report = json.loads(run("annual_report", "--year", "2019", "--format", "json"))
        lines = {line["relation"]: (line["classes"], line["students"]) for line in report["lines"] if line["level"] == 0
                 and line["filter"]["programs"] == ["TC-LLCT-HC"]}  # fmt: skip
        self.assertEqual(lines, {"opened": (1, 2), "carried_over": (1, 3), "active": (2, 5)})
        this_year = json.loads(run("annual_report", "--year", str(year), "--format", "json"))
        self.assertEqual([(q["locality"], q["planned_students"]) for q in this_year["quota"]], [("X01", 60)])

        # The imported diplomas are in the register, with their serial numbers.
        register = self.client.get(reverse("grading:register"))
        for number, serial in (("15/2019", "LG 000015"), ("16/2019", "LG 000016")):
            self.assertContains(register, number)
            self.assertContains(register, serial)
        self.assertEqual(Credential.objects.count(), 2)

        # The portal is the school's own.
        home = self.client.get("/")
        self.assertContains(home, "Trường Chính trị tỉnh Lạng Giang")
        self.assertContains(home, identity.current().logo_url)
        self.assertNotContains(home, "Bình An")
        self.assertEqual(Cohort.objects.count(), 2)
        # The coordinator of the commune that followed H01 signs in with the link's password... set by the link.
        self.assertFalse(User.objects.get(username="dieuphoi.x01").has_usable_password())
