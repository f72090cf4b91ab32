"""Hostile workbooks cannot exhaust the server: each file of the corpus
(``daotao/cohorts/tests/hostile.py``: zip bombs, a 5 MB string, a million empty rows, the
last row of the grid, 16.384 columns, 200.000 duplicate rows, entities, deep nesting, a
60 MB tag) is imported (check only) by the class import's service in a process of its own,
and must be refused with its message, having grown by less than ``MEMORY_BOUND`` over the
process's size once Django is set up, within ``TIMEOUT``.

Measured on the development machine (docs/security.md): before the reader was rebuilt,
these files took from 2 s to more than 300 s and up to 2,7 GB; now each is refused in
under 1,5 s, growing the process by at most 20 MB. The bound leaves a wide margin for
other machines and still fails every file that made the old reader build what it declared.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from django.test import SimpleTestCase

from daotao.cohorts.tests import hostile
from daotao.lib.liveserver import ROOT

MEMORY_BOUND = 100 * 1024  # KB over the baseline
TIMEOUT = 60  # seconds: generous, for a loaded machine; the only time bound

CHILD = """
import json, resource, sys
import django
django.setup()
from django.utils import translation
from daotao.cohorts.importing import ImportRejected, cohorts_import
translation.activate("vi")
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    cohorts_import(sys.argv[1], dry_run=True)
    outcome = {"problems": []}
except ImportRejected as rejected:
    outcome = {"problems": [str(problem) for problem in rejected.problems], "total": rejected.total}
outcome["grown"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - baseline
print(json.dumps(outcome))
"""

TOO_LARGE = "Sổ tính quá lớn, không đọc được: khi giải nén có dung lượng 300 MB, trong khi chỉ đọc tối đa 100 MB."
ROWS = (
    "Trang tính HocVien, dòng {row}: Trang tính có hơn 20.000 dòng dữ liệu: hãy xóa các dòng bên dưới bảng, "
    "kể cả các dòng trống vẫn còn định dạng."
)
EXPECTED = {
    "zip bomb (sheet)": TOO_LARGE,
    "zip bomb (shared strings)": TOO_LARGE,
    "5 MB string": (
        "Trang tính HocVien, dòng 2, cột Họ và tên (C): Quá dài: tối đa 2.000 ký tự (ô này có 5.242.880 ký tự)."
    ),
    "a million empty rows": ROWS.format(row="20.011"),
    "row 1.048.576": ROWS.format(row="1.048.576"),
    "16.384 columns": (
        "Trang tính HocVien, dòng 1, cột BI: Ô này có giá trị nhưng chỉ đọc tối đa 60 cột: "
        "hãy xóa các cột bên phải bảng."
    ),
    "200.000 duplicate rows": ROWS.format(row="20.011"),
    "entities (billion laughs)": (
        "Sổ tính chứa khai báo DTD, một dạng XML mà Excel không bao giờ tạo ra, nên bị từ chối: "
        "hãy mở tệp bằng Excel rồi lưu lại."
    ),
    "deep nesting": (
        "Sổ tính chứa XML lồng nhau sâu hơn mức Excel tạo ra, nên bị từ chối: hãy mở tệp bằng Excel rồi lưu lại."
    ),
    "60 MB tag": (
        "Sổ tính chứa một đoạn XML dài hơn 1 MB, điều Excel không bao giờ tạo ra, nên bị từ chối: "
        "hãy mở tệp bằng Excel rồi lưu lại."
    ),
}


class HostileWorkbookTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.folder = Path(tempfile.mkdtemp(prefix="daotao-hostile-"))
        # Django's own settings, a database that is never opened (a refused file touches
        # none: were one accepted, its check would fail on the missing tables).
        cls.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "daotao.settings",
            "DATABASE_URL": f"sqlite:///{cls.folder / 'never-opened.sqlite3'}",
            "DAOTAO_UPLOAD_TEMP_DIR": str(cls.folder / "uploads"),
            "PYTHONPATH": str(ROOT),
        }
        for name in ("DAOTAO_MAX_IMPORT_ROWS", "DAOTAO_MAX_IMPORT_BYTES", "DAOTAO_MAX_IMPORT_XML_BYTES"):
            cls.env.pop(name, None)  # the defaults are what is tested

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.folder, ignore_errors=True)
        super().tearDownClass()

    def import_in_a_process(self, path: Path) -> dict:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(path)],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
        self.assertEqual(done.returncode, 0, done.stderr[-3000:])
        return json.loads(done.stdout.strip().splitlines()[-1])

    def test_every_hostile_workbook_is_refused_quickly_and_cheaply(self):
        self.assertEqual(set(EXPECTED), set(hostile.CORPUS))
        for name, make in hostile.CORPUS.items():
            with self.subTest(name):
                path = make(self.folder / "hostile.xlsx")
                try:
                    outcome = self.import_in_a_process(path)
                finally:
                    path.unlink()
                self.assertEqual(outcome["problems"], [EXPECTED[name]])
                self.assertLess(outcome["grown"], MEMORY_BOUND, f"{name}: grew by {outcome['grown'] // 1024} MB")
