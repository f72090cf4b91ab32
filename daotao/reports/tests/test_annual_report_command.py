"""``manage.py annual_report``: text, JSON, .xlsx, .docx and PDF of the yearly report."""

import io
import json
import tempfile
from pathlib import Path

import openpyxl
from django.core.management import CommandError, call_command
from docx import Document

from daotao.accounts.scope import SYSTEM
from daotao.reports import exports
from daotao.reports.annual import annual_report
from daotao.reports.models import ReportTemplate
from daotao.reports.tests.world import SCHOOL_FIGURES, CommandErrorAssertions, ReportWorldTestCase
from daotao.testing_documents import pdf_text


class AnnualReportCommandTests(CommandErrorAssertions, ReportWorldTestCase):
    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.addCleanup(self.folder.cleanup)

    def run_command(self, *args, stdout=None) -> str:
        out = stdout or io.StringIO()
        call_command("annual_report", *args, stdout=out)
        return out.getvalue() if stdout is None else ""

    def path(self, name: str) -> Path:
        return Path(self.folder.name) / name

    def test_text_is_the_default(self):
        output = self.run_command("--year", "2020")
        self.assertEqual(output, exports.report_text(annual_report(2020, SYSTEM)))
        self.assertTrue(output.startswith("BÁO CÁO KẾT QUẢ PHỐI HỢP ĐÀO TẠO, BỒI DƯỠNG CÁN BỘ NĂM 2020\n"))
        self.assertIn("Năm 2020, Nhà trường phối hợp với các địa phương mở 10 lớp", output)
        self.assertRegex(
            output, r"\n1\s+Lớp Trung cấp LLCT - HC không tập trung mở theo chỉ tiêu kế hoạch năm 2020\s+10\s+1\.070\n"
        )
        self.assertRegex(output, r"\n\s+Trong đó: được hỗ trợ kinh phí đào tạo\s+07\s+70\n")

    def test_text_marks_the_unmet_quota(self):
        quota_lines = [line for line in self.run_command("--year", "2020").splitlines() if "TC-LLCT-HC" in line]
        self.assertEqual(len(quota_lines), 3)
        marked = [line for line in quota_lines if line.endswith("chưa đạt")]
        self.assertEqual(len(marked), 2)
        self.assertTrue(any("Thị xã Phú Mỹ" in line for line in marked))
        self.assertTrue(any("Huyện An Lạc" in line for line in marked))
        phu_my = next(line for line in quota_lines if "Thị xã Phú Mỹ" in line)
        self.assertRegex(phu_my, r"Thị xã Phú Mỹ\s+TC-LLCT-HC\s+04\s+03\s+1\.200\s+1\.000\s+83,33%\s+chưa đạt$")

    def test_json(self):
        output = self.run_command("--year", "2020", "--format", "json")
        data = json.loads(output)
        self.assertEqual(data, annual_report(2020, SYSTEM).as_dict())
        self.assertEqual({line["key"]: (line["classes"], line["students"]) for line in data["lines"]}, SCHOOL_FIGURES)
        self.assertIn("Thị xã Phú Mỹ", output)  # not \\u escapes
        self.assertIn('\n  "year": 2020,', output)

    def test_text_and_json_to_a_file(self):
        target = self.path("bao-cao.json")
        message = self.run_command("--year", "2020", "--format", "json", "--output", str(target))
        self.assertIn(str(target), message)
        self.assertEqual(json.loads(target.read_text(encoding="utf-8"))["year"], 2020)
        target = self.path("bao-cao.txt")
        self.run_command("--year", "2020", "--output", str(target))
        self.assertEqual(target.read_text(encoding="utf-8"), exports.report_text(annual_report(2020, SYSTEM)))

    def test_xlsx_to_a_file(self):
        target = self.path("bao-cao.xlsx")
        self.run_command("--year", "2020", "--format", "xlsx", "--output", str(target))
        sheet = openpyxl.load_workbook(target)["BaoCao"]
        self.assertEqual([cell.value for cell in sheet[6]][1:], [10, 1070])

    def test_docx_to_a_file(self):
        target = self.path("bao-cao.docx")
        self.run_command("--year", "2020", "--format", "docx", "--output", str(target))
        document = Document(str(target))
        self.assertIn(
            "BÁO CÁO KẾT QUẢ PHỐI HỢP ĐÀO TẠO, BỒI DƯỠNG CÁN BỘ NĂM 2020", [p.text for p in document.paragraphs]
        )

    def test_pdf_to_a_file(self):
        target = self.path("bao-cao.pdf")
        self.run_command("--year", "2020", "--format", "pdf", "--output", str(target))
        content = target.read_bytes()
        self.assertTrue(content.startswith(b"%PDF"))
        self.assertIn("BÁO CÁO KẾT QUẢ PHỐI HỢP ĐÀO TẠO, BỒI DƯỠNG CÁN BỘ NĂM 2020", pdf_text(content))

    def test_binary_to_standard_output(self):
        raw = io.BytesIO()
        stdout = io.TextIOWrapper(raw, encoding="utf-8")
        self.run_command("--year", "2020", "--format", "xlsx", "--output", "-", stdout=stdout)
        workbook = openpyxl.load_workbook(io.BytesIO(raw.getvalue()))
        self.assertEqual(workbook.sheetnames, ["BaoCao", "ChiTieu"])

    def test_another_template(self):
        output = self.run_command("--year", "2020", "--format", "json", "--template", "coordination-yearly")
        self.assertEqual(json.loads(output)["template"], "coordination-yearly")

    def test_binary_formats_need_an_output(self):
        for fmt in ("xlsx", "docx", "pdf"):
            with self.subTest(fmt=fmt):
                self.assert_error(["--year", "2020", "--format", fmt], "--output", "--output FILE")
        # A text-only standard output cannot take the bytes.
        self.assert_error(["--year", "2020", "--format", "docx", "--output", "-"], "--output", "--output FILE")

    def test_binary_is_not_written_to_a_terminal(self):
        class Terminal(io.StringIO):
            def isatty(self):
                return True

        with self.assertRaises(CommandError) as caught:
            self.run_command("--year", "2020", "--format", "xlsx", "--output", "-", stdout=Terminal())
        self.assertTrue(str(caught.exception).startswith("--output: "))

    def test_bad_input_names_the_argument(self):
        self.assert_error([], "--year")
        self.assert_error(["--year", "hai nghìn"], "--year", "hai nghìn")
        self.assert_error(["--year", "20200"], "--year", "2100")
        self.assert_error(["--year", "2020", "--format", "odt"], "--format", "odt")
        self.assert_error(
            ["--year", "2020", "--template", "khong-co"], "--template", "Không có mẫu báo cáo “khong-co”."
        )
        ReportTemplate.objects.create(code="hong", name="Hỏng", title="Năm {year[0]}")
        self.assert_error(["--year", "2020", "--template", "hong"], "--template", "“hong”")
        missing = str(self.path("no-such-folder") / "bao-cao.docx")
        self.assert_error(["--year", "2020", "--format", "docx", "--output", missing], "--output", missing)
