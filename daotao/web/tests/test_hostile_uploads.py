"""A hostile workbook sent to each import's page, as a user allowed to import there, gets a
Vietnamese message naming what is wrong on the page of its job, and nothing is written:
no row, no file. (The whole corpus, with time and memory bounds, is in
daotao/cohorts/tests/test_import_hostile.py; the reader is the same for every import.)"""

from __future__ import annotations

import itertools
import shutil
import tempfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from daotao.admissions.tests.workbooks import HOSO
from daotao.cohorts.tests import hostile
from daotao.grading.sheet_io import sheet_format
from daotao.lib.tests.raw_xlsx import MB, repeat, row, sheet, write_workbook
from daotao.planning.importing import QUOTAS
from daotao.surveys.outcome_import import EVENTS
from daotao.web.tests.test_upload_limits import XLSX, UploadLimitTestCase


class HostileUploadTests(UploadLimitTestCase):
    def setUp(self):
        super().setUp()
        folder = Path(tempfile.mkdtemp(prefix="daotao-test-hostile-"))
        self.addCleanup(shutil.rmtree, folder, ignore_errors=True)
        self.folder, self.uploads = folder, folder / "uploads"
        self.enterContext(override_settings(DAOTAO_UPLOAD_TEMP_DIR=str(self.uploads)))

    def file(self, path: Path, name: str) -> SimpleUploadedFile:
        return SimpleUploadedFile(name, path.read_bytes(), content_type=XLSX)

    def assertRefused(self, response, *texts: str, status=(200,)):
        self.assertEqual(response.redirect_chain[-1][0][:6], "/jobs/")
        self.assertContains(response, "Chưa nhập dữ liệu nào: phát hiện 1 lỗi.")
        super().assertRefused(response, *texts, status=status)
        self.assertEqual(list(self.uploads.iterdir()), [])

    def test_classes_a_zip_bomb(self):
        path = hostile.zip_bomb_sheet(self.folder / "lop.xlsx", size=120 * MB)
        response = self.post(
            self.office, reverse("cohorts:import"), {"workbook": self.file(path, "lop.xlsx")}, follow=True
        )
        self.assertRefused(response, "khi giải nén có dung lượng 120 MB, trong khi chỉ đọc tối đa 100 MB.")

    def test_nominations_billion_laughs(self):
        path = hostile.entities(self.folder / "ho-so.xlsx", "HoSo", HOSO)
        data = {"year": 2026, "workbook": self.file(path, "ho-so.xlsx")}
        response = self.post(self.coordinator, reverse("admissions:import"), data, follow=True)
        self.assertRefused(response, "Sổ tính chứa khai báo DTD, một dạng XML mà Excel không bao giờ tạo ra")

    def test_quotas_a_million_empty_rows(self):
        header = [column.header for column in QUOTAS.columns]
        rows = itertools.chain([row(1, header)], (f'<row r="{n}"/>'.encode() for n in range(2, 1_000_002)))
        path = write_workbook(self.folder / "chi-tieu.xlsx", {"ChiTieu": sheet(rows)})
        data = {"workbook": self.file(path, "chi-tieu.xlsx")}
        response = self.post(self.office, reverse("planning:import", args=[2026]), data, follow=True)
        self.assertRefused(response, "Trang tính có hơn 20.000 dòng dữ liệu", '<td class="num">20.011</td>')

    def test_grade_sheet_16384_columns(self):
        header = [column.header for column in sheet_format(self.m1).columns]
        header += [f"Cột {index}" for index in range(len(header) + 1, 16_385)]
        path = write_workbook(self.folder / "bang-diem.xlsx", {"BangDiem": sheet([row(1, header)])})
        url = reverse("grading:sheet_import", args=[self.cohort.pk, self.m1.pk])
        response = self.post(self.lecturer_user, url, {"file": self.file(path, "bang-diem.xlsx")}, follow=True)
        self.assertRefused(response, "Ô này có giá trị nhưng chỉ đọc tối đa 60 cột", "<td>BI</td>")

    def test_career_events_a_5_mb_text(self):
        header = [column.header for column in EVENTS.columns]
        description = b'<c r="E2" t="inlineStr"><is><t>' + b"".join(repeat(b"Khen thuong ", 5 * MB)) + b"</t></is></c>"
        rows = [row(1, header), b'<row r="2">' + description + b"</row>"]
        path = write_workbook(self.folder / "qua-trinh.xlsx", {"CongTac": sheet(rows)})
        response = self.post(
            self.coordinator, reverse("surveys:outcome_import"), {"workbook": self.file(path, "q.xlsx")}, follow=True
        )
        self.assertRefused(response, "Quá dài: tối đa 2.000 ký tự", "<td>Nội dung (E)</td>")
