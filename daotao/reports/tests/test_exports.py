"""The yearly report's files: text, JSON, .xlsx (read back with openpyxl), .docx (read
back with python-docx) and PDF (read back word by word with pdfminer), in the Vietnamese
conventions and the official document layout; the .docx and the PDF carry the same
letterhead (``document_words.annual_letterhead``)."""

import datetime as dt
import io
import json
import re

import openpyxl
from django.test import SimpleTestCase
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from daotao.accounts.scope import SYSTEM
from daotao.planning.achievement import QuotaLine, QuotaRow
from daotao.reports import documents, exports
from daotao.reports.annual import AnnualReport, LineResult, annual_report
from daotao.reports.engine import Counts
from daotao.reports.models import ReportLine, ReportTemplate
from daotao.reports.tests.world import SCHOOL_FIGURES, ReportWorldTestCase
from daotao.school.identity import Signer
from daotao.school.models import DocumentKind
from daotao.testing import school_identity
from daotao.testing_documents import foreign_fonts, pdf_layout_problems, pdf_lines, pdf_text

TITLE = "Báo cáo kết quả đào tạo năm 2020"
SUMMARY = "Năm 2020, Nhà trường mở 13 lớp với 1.040 học viên; trong đó 07 lớp (559 học viên) được hỗ trợ kinh phí."


def _line(key, label, classes, students, level=0, show_students=True) -> LineResult:
    line = ReportLine(key=key, label=label, level=level, relation="opened", show_students=show_students)
    return LineResult(line, label, Counts(classes, students))


def _row(code, name, *lines) -> QuotaRow:
    """A locality's Trung cấp quota row with its funding lines (funding, planned classes and
    students, enrolled classes and students)."""
    row = QuotaRow(code, name, "TC-LLCT-HC", "Trung cấp lý luận chính trị - hành chính")
    for funding, planned_classes, planned_students, actual_classes, actual_students in lines:
        line = QuotaLine(
            code, name, f"/1/{code}/", 1, row.program_code, row.program_name, funding,
            planned_classes, planned_students, actual_classes, actual_students,
        )  # fmt: skip
        row.add_line(line)
    return row


def sample_report(quota=True) -> AnnualReport:
    """Hand-made figures, so that these tests check the rendering and nothing else."""
    return AnnualReport(
        year=2020,
        template=ReportTemplate(code="mau-thu", name="Mẫu thử", title="Báo cáo kết quả đào tạo năm {year}"),
        title=TITLE,
        lines=[
            _line("opened", "Lớp Trung cấp mở trong năm 2020", 13, 1040),
            _line("supported", "Trong đó: được hỗ trợ kinh phí đào tạo", 7, 559, level=1),
            _line("self_funded", "Trong đó: tự túc kinh phí", 6, 481, level=1),
            _line("btx", "Lớp bồi dưỡng Bí thư, Phó Bí thư Thường trực cấp xã", 8, 349, show_students=False),
        ],
        quota=[
            _row("H01", "Thành phố Bình An", ("supported", 1, 80, 1, 81), ("self_funded", 1, 80, 1, 80)),
            _row("H02", "Thị xã Phú Mỹ", ("supported", 1, 124, 1, 25)),
        ] if quota else [],
        summary=SUMMARY,
        generated_on=dt.date(2026, 3, 5),
    )  # fmt: skip


def school(**changes) -> school_identity:
    """The demo's school with ``changes``."""
    return school_identity(**{"name": "Trường Chính trị tỉnh Bình An", "parent": "Tỉnh ủy Bình An", **changes})


class TextExportTests(SimpleTestCase):
    def line(self, text, *words) -> str:
        """The first line of ``text`` holding all of ``words``; the test fails naming them
        when there is none."""
        for line in text.splitlines():
            if all(word in line for word in words):
                return line
        self.fail(f"No line with {' and '.join(map(repr, words))} in:\n{text}")

    def test_title_summary_lines_and_quota_in_vietnamese_numbers(self):
        text = exports.report_text(sample_report())
        self.assertTrue(text.startswith(TITLE.upper() + "\nKỳ báo cáo: 01/01/2020 - 31/12/2020\n"))
        self.assertIn("1.040 học viên", text)
        opened = self.line(text, "Lớp Trung cấp mở")
        self.assertRegex(opened, r"^1\s+Lớp Trung cấp mở trong năm 2020\s+13\s+1\.040$")
        supported = self.line(text, "Trong đó", "được hỗ trợ")
        self.assertRegex(supported, r"^\s+Trong đó: được hỗ trợ kinh phí đào tạo\s+07\s+559$")
        btx = self.line(text, "Bí thư")
        self.assertRegex(btx, r"\s08$", "no student figure when the line does not show students")
        self.assertRegex(self.line(text, "Thị xã Phú Mỹ"), r"\s20,16%\s+chưa đạt$")
        self.assertRegex(self.line(text, "Thành phố Bình An"), r"\s100,63%\s+đạt$")
        self.assertIn("Số địa phương chưa đạt chỉ tiêu: 01", text)

    def test_table_columns_are_aligned(self):
        lines = exports.report_text(sample_report()).splitlines()
        start = lines.index("1. Số lớp, số học viên") + 1
        table = lines[start : start + 2 + 4]
        self.assertTrue(table[0].startswith("STT"))
        # Right-aligned figures: every row with students ends in the same column.
        ends = {len(row) for row in table if not row.endswith("08")}
        self.assertEqual(len(ends), 1, table)
        classes_column = table[0].index("Số lớp") + len("Số lớp")
        for row in table[2:]:
            self.assertTrue(row[classes_column - 2 : classes_column].isdigit(), row)

    def test_quota_total_and_empty_quota(self):
        report = sample_report()
        total = report.quota_total
        figures = (total.planned_classes, total.actual_classes, total.planned_students, total.actual_students)
        self.assertEqual(figures, (3, 3, 284, 186))
        text = exports.report_text(report)
        total = self.line(text, "Tổng cộng")
        self.assertRegex(total, r"Tổng cộng\s+03\s+03\s+284\s+186\s+65,49%")
        self.assertIn("Không có chỉ tiêu kế hoạch cho năm 2020.", exports.report_text(sample_report(quota=False)))

    def test_scope_line(self):
        text = exports.report_text(sample_report(), scope_name="Thành phố Bình An")
        scope = "Số liệu của Thành phố Bình An và các đơn vị trực thuộc, gồm cả học viên của đơn vị học ở lớp nơi khác"
        self.assertIn(scope, text)


class JsonExportTests(SimpleTestCase):
    def test_json_is_the_report_dict_with_vietnamese_kept(self):
        report = sample_report()
        text = exports.report_json(report)
        self.assertEqual(json.loads(text), report.as_dict())
        self.assertIn("Thị xã Phú Mỹ", text)  # ensure_ascii=False
        self.assertIn('\n  "year": 2020', text)  # indented


class XlsxExportTests(SimpleTestCase):
    def setUp(self):
        self.workbook = openpyxl.load_workbook(io.BytesIO(exports.report_xlsx(sample_report())))

    def test_sheets(self):
        self.assertEqual(self.workbook.sheetnames, ["BaoCao", "ChiTieu"])

    def test_report_sheet_holds_numbers_with_vietnamese_formats(self):
        sheet = self.workbook["BaoCao"]
        self.assertEqual(sheet["A1"].value, TITLE)
        self.assertTrue(sheet["A1"].font.bold)
        self.assertIn("01/01/2020 - 31/12/2020", sheet["A2"].value)
        self.assertEqual(sheet["A3"].value, SUMMARY)
        self.assertEqual([cell.value for cell in sheet[5]], ["Nội dung", "Số lớp", "Số học viên"])
        self.assertTrue(all(cell.font.bold for cell in sheet[5]))
        self.assertEqual([cell.value for cell in sheet[6]], ["Lớp Trung cấp mở trong năm 2020", 13, 1040])
        self.assertEqual([cell.value for cell in sheet[7]], ["Trong đó: được hỗ trợ kinh phí đào tạo", 7, 559])
        self.assertEqual(sheet["B7"].number_format, "[=0]0;[<10]00;#,##0")  # shows 07
        self.assertEqual(sheet["C6"].number_format, "#,##0")  # shows 1.040 in a Vietnamese Excel
        self.assertEqual(sheet["A6"].alignment.indent, 0)
        self.assertGreater(sheet["A7"].alignment.indent, 0)  # "of which" lines indented
        self.assertEqual([cell.value for cell in sheet[9]][1:], [8, None])  # students not shown
        self.assertEqual(sheet.freeze_panes, "A6")
        self.assertGreater(sheet.column_dimensions["A"].width, 40)

    def test_quota_sheet(self):
        sheet = self.workbook["ChiTieu"]
        self.assertEqual(sheet["A1"].value, "Địa phương")
        self.assertTrue(all(cell.font.bold for cell in sheet[1]))
        self.assertEqual(sheet.freeze_panes, "A2")
        program = "Trung cấp lý luận chính trị - hành chính"
        # One row per quota line: locality, program and funding, each with its own result.
        self.assertEqual(sheet["C1"].value, "Nguồn kinh phí")
        self.assertEqual(
            [cell.value for cell in sheet[2]],
            ["Thành phố Bình An", program, "Được hỗ trợ kinh phí", 1, 1, 80, 81, 81 / 80, "Đạt"],
        )
        self.assertEqual([cell.value for cell in sheet[3]][2:7], ["Tự túc kinh phí", 1, 1, 80, 80])
        unmet = [cell.value for cell in sheet[4]]
        self.assertEqual(unmet[:7], ["Thị xã Phú Mỹ", program, "Được hỗ trợ kinh phí", 1, 1, 124, 25])
        self.assertAlmostEqual(unmet[7], 0.2016129, places=6)
        self.assertEqual(sheet["H4"].number_format, "0.00%")  # 20,16%
        self.assertEqual(unmet[8], "Chưa đạt")
        self.assertEqual(sheet["A5"].value, "Tổng cộng")
        self.assertEqual(sheet["F5"].value, "=SUM(F2:F4)")
        self.assertEqual(sheet["G5"].value, "=SUM(G2:G4)")
        self.assertEqual(sheet["D5"].number_format, "[=0]0;[<10]00;#,##0")

    def test_empty_quota_sheet_has_only_headers(self):
        workbook = openpyxl.load_workbook(io.BytesIO(exports.report_xlsx(sample_report(quota=False))))
        self.assertEqual(workbook["ChiTieu"].max_row, 1)


class DocxExportTests(SimpleTestCase):
    def document(self, **kwargs):
        return Document(io.BytesIO(exports.report_docx(sample_report(**kwargs))))

    @staticmethod
    def texts(cell) -> list[str]:
        return [paragraph.text for paragraph in cell.paragraphs if paragraph.text]

    def paragraph(self, document, text):
        """The paragraph that reads ``text``; the test fails naming it when there is none."""
        for paragraph in document.paragraphs:
            if paragraph.text == text:
                return paragraph
        self.fail(f"No paragraph {text!r} among {[p.text for p in document.paragraphs if p.text]}")

    def test_page_and_font(self):
        document = self.document()
        section = document.sections[0]
        self.assertAlmostEqual(section.page_width.cm, 21, places=1)
        self.assertAlmostEqual(section.page_height.cm, 29.7, places=1)
        self.assertAlmostEqual(section.top_margin.cm, 2, places=1)
        self.assertAlmostEqual(section.bottom_margin.cm, 2, places=1)
        self.assertAlmostEqual(section.left_margin.cm, 3, places=1)
        self.assertTrue(1.5 <= round(section.right_margin.cm, 1) <= 2)
        normal = document.styles["Normal"]
        self.assertEqual(normal.font.name, "Times New Roman")
        self.assertIn(normal.font.size.pt, (13, 14))
        self.assertEqual(normal.element.rPr.rFonts.get(qn("w:eastAsia")), "Times New Roman")

    @school(document_style="party", parent="Tỉnh ủy Bình An")
    def test_party_header(self):
        left, right = self.document().tables[0].rows[0].cells
        texts = self.texts(left)
        self.assertEqual(texts[:2], ["TỈNH ỦY BÌNH AN", "TRƯỜNG CHÍNH TRỊ TỈNH BÌNH AN"])
        self.assertTrue(left.paragraphs[1].runs[0].bold)
        self.assertIn("*", texts)  # Hướng dẫn 36-HD/VPTW: a star under the body's name
        self.assertIn("Số ...-BC/TCT", texts)
        self.assertEqual(self.texts(right), ["ĐẢNG CỘNG SẢN VIỆT NAM"])
        run = right.paragraphs[0].runs[0]
        self.assertTrue(run.bold)
        self.assertTrue(run.underline)

    @school(document_style="state", parent="UBND tỉnh Bình An")
    def test_state_header(self):
        document = self.document()
        left, right = document.tables[0].rows[0].cells
        texts = self.texts(left)
        self.assertEqual(texts[:2], ["UBND TỈNH BÌNH AN", "TRƯỜNG CHÍNH TRỊ TỈNH BÌNH AN"])
        self.assertIn("Số: .../BC-TCT", texts)
        self.assertEqual(self.texts(right), ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"])
        self.assertTrue(all(paragraph.runs[0].bold for paragraph in right.paragraphs if paragraph.text))
        # Decree 30: a short rule under the body's name and under the motto.
        for cell in (left, right):
            self.assertTrue(
                any(p._p.pPr is not None and p._p.pPr.find(qn("w:pBdr")) is not None for p in cell.paragraphs)
            )
        self.assertNotIn("ĐẢNG CỘNG SẢN VIỆT NAM", [p.text for p in document.paragraphs])

    @school(place="Bình An")
    def test_date_line(self):
        document = self.document()
        date_line = self.paragraph(document, "Bình An, ngày 05 tháng 3 năm 2026")
        self.assertTrue(all(run.italic for run in date_line.runs))
        self.assertEqual(date_line.alignment, WD_ALIGN_PARAGRAPH.RIGHT)
        self.assertRegex(date_line.text, r"^.+, ngày \d{2} tháng \d{1,2} năm \d{4}$")

    def test_title_and_summary(self):
        document = self.document()
        title = self.paragraph(document, TITLE.upper())
        self.assertEqual(title.alignment, WD_ALIGN_PARAGRAPH.CENTER)
        self.assertTrue(all(run.bold for run in title.runs))
        summary = self.paragraph(document, SUMMARY)
        self.assertEqual(summary.alignment, WD_ALIGN_PARAGRAPH.JUSTIFY)
        self.assertGreater(summary.paragraph_format.first_line_indent.cm, 0.5)

    def test_lines_table(self):
        table = self.document().tables[1]
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        self.assertEqual(rows[0], ["STT", "Nội dung", "Số lớp", "Số học viên"])
        self.assertEqual(rows[1], ["1", "Lớp Trung cấp mở trong năm 2020", "13", "1.040"])
        self.assertEqual(rows[2], ["", "Trong đó: được hỗ trợ kinh phí đào tạo", "07", "559"])
        self.assertEqual(rows[4], ["2", "Lớp bồi dưỡng Bí thư, Phó Bí thư Thường trực cấp xã", "08", ""])
        self.assertTrue(table.rows[2].cells[1].paragraphs[0].runs[0].italic)
        borders = table._tbl.tblPr.find(qn("w:tblBorders"))
        self.assertEqual(borders.find(qn("w:insideH")).get(qn("w:val")), "single")

    def test_quota_table(self):
        table = self.document().tables[2]
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        self.assertEqual(rows[0][:4], ["STT", "Địa phương", "Chương trình", "Số lớp"])
        self.assertEqual(rows[1][3:7], ["Kế hoạch", "Thực hiện", "Kế hoạch", "Thực hiện"])
        self.assertEqual(rows[2], ["1", "Thành phố Bình An", "TC-LLCT-HC", "02", "02", "160", "161", "100,63%", "Đạt"])
        # A total of two fundings is followed by its funding lines, each with its own result.
        self.assertEqual(rows[3], ["", "", "- Được hỗ trợ kinh phí", "01", "01", "80", "81", "101,25%", "Đạt"])
        self.assertEqual(rows[4], ["", "", "- Tự túc kinh phí", "01", "01", "80", "80", "100,00%", "Đạt"])
        self.assertEqual(rows[5], ["2", "Thị xã Phú Mỹ", "TC-LLCT-HC", "01", "01", "124", "25", "20,16%", "Chưa đạt"])
        self.assertEqual(rows[6][0], "Tổng cộng")
        self.assertEqual(rows[6][3:8], ["03", "03", "284", "186", "65,49%"])

    def test_no_quota(self):
        document = self.document(quota=False)
        self.paragraph(document, "Không có chỉ tiêu kế hoạch cho năm 2020.")
        self.assertEqual(len(document.tables), 3)  # header, lines, signature

    def test_signature_block(self):
        left, right = self.document().tables[-1].rows[0].cells
        self.assertEqual(self.texts(left)[0], "Nơi nhận:")
        self.assertIn("- Lưu: VT, P.QLĐT.", self.texts(left))
        self.assertEqual(self.texts(right), ["HIỆU TRƯỞNG"])

    @school(signers={DocumentKind.ANNUAL_REPORT: Signer("HIỆU TRƯỞNG", "Phạm Thị Thu", "PHÓ HIỆU TRƯỞNG")})
    def test_signature_and_recipients_are_the_letterheads(self):
        left, right = self.document().tables[-1].rows[0].cells
        self.assertEqual(
            self.texts(left),
            ["Nơi nhận:", "- Tỉnh ủy Bình An (để báo cáo);", "- Các địa phương;", "- Lưu: VT, P.QLĐT."],
        )
        self.assertEqual(self.texts(right), ["KT. HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG", "Phạm Thị Thu"])

    def test_header_and_signature_tables_have_no_borders(self):
        document = self.document()
        for table in (document.tables[0], document.tables[-1]):
            borders = table._tbl.tblPr.find(qn("w:tblBorders"))
            self.assertEqual({edge.get(qn("w:val")) for edge in borders}, {"nil"})

    def test_scope_line(self):
        document = Document(io.BytesIO(exports.report_docx(sample_report(), scope_name="Thành phố Bình An")))
        scope = "Số liệu của Thành phố Bình An và các đơn vị trực thuộc, gồm cả học viên của đơn vị học ở lớp nơi khác"
        self.paragraph(document, f"({scope})")


class PdfExportTests(SimpleTestCase):
    def setUp(self):
        self.enterContext(
            school(place="Bình An", signers={DocumentKind.ANNUAL_REPORT: Signer("HIỆU TRƯỞNG", "Nguyễn Văn Bình")})
        )

    def pdf(self, **kwargs) -> bytes:
        scope_name = kwargs.pop("scope_name", "")
        return exports.FILE_FORMATS["pdf"].render(sample_report(**kwargs), scope_name=scope_name)

    def test_letterhead_title_summary_and_signature(self):
        content = self.pdf()
        self.assertTrue(content.startswith(b"%PDF"))
        text = pdf_text(content)
        for piece in (
            "TỈNH ỦY BÌNH AN",
            "TRƯỜNG CHÍNH TRỊ TỈNH BÌNH AN",
            "ĐẢNG CỘNG SẢN VIỆT NAM",
            "Số ...-BC/TCT",
            "Bình An, ngày 05 tháng 3 năm 2026",
            TITLE.upper(),
            SUMMARY,
            "1. Số lớp, số học viên",
            "2. Kết quả thực hiện chỉ tiêu kế hoạch năm 2020",
            "Nơi nhận:",
            "- Tỉnh ủy Bình An (để báo cáo);",
            "- Các địa phương;",
            "- Lưu: VT, P.QLĐT.",
            "HIỆU TRƯỞNG",
            "Nguyễn Văn Bình",
        ):
            with self.subTest(piece=piece):
                self.assertIn(piece, text)
        self.assertEqual(pdf_layout_problems(content), [])
        self.assertEqual(foreign_fonts(content), set())

    def test_tables_hold_the_reports_figures(self):
        lines = pdf_lines(self.pdf())
        self.assertIn(["1", "Lớp", "Trung", "cấp", "mở", "trong", "năm", "2020", "13", "1.040"], lines)
        self.assertIn(["Trong", "đó:", "được", "hỗ", "trợ", "kinh", "phí", "đào", "tạo", "07", "559"], lines)
        self.assertIn(
            ["1", "Thành", "phố", "Bình", "An", "TC-LLCT-HC", "02", "02", "160", "161", "100,63%", "Đạt"], lines
        )
        self.assertIn(
            ["2", "Thị", "xã", "Phú", "Mỹ", "TC-LLCT-HC", "01", "01", "124", "25", "20,16%", "Chưa", "đạt"], lines
        )
        self.assertIn(["Tổng", "cộng", "03", "03", "284", "186", "65,49%"], lines)

    def test_the_state_format_and_the_scope_line(self):
        with school(document_style="state", parent="UBND tỉnh Bình An"):
            text = pdf_text(self.pdf(scope_name="Thành phố Bình An"))
        self.assertIn("Số: .../BC-TCT", text)
        self.assertIn("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc", text)
        self.assertNotIn("ĐẢNG CỘNG SẢN VIỆT NAM", text)
        scope = (
            "(Số liệu của Thành phố Bình An và các đơn vị trực thuộc, gồm cả học viên của đơn vị học ở lớp nơi khác)"
        )
        self.assertIn(scope, text)

    def test_no_quota(self):
        content = self.pdf(quota=False)
        self.assertIn("Không có chỉ tiêu kế hoạch cho năm 2020.", pdf_text(content))
        self.assertEqual(pdf_layout_problems(content), [])


class ExportsOfARealReportTests(ReportWorldTestCase):
    """The files of a report counted from records carry the same figures."""

    def test_every_format_agrees_with_the_report(self):
        report = annual_report(2020, SYSTEM)
        self.assertEqual(self.figures(report), SCHOOL_FIGURES)
        text = exports.report_text(report)
        self.assertRegex(text, r"Tổng số lớp Trung cấp LLCT - HC không tập trung trong năm 2020\s+11\s+1\.120")
        sheet = openpyxl.load_workbook(io.BytesIO(exports.report_xlsx(report)))["BaoCao"]
        self.assertEqual(
            [row[1:] for row in sheet.iter_rows(min_row=6, max_row=7, values_only=True)], [(10, 1070), (7, 70)]
        )
        table = Document(io.BytesIO(exports.report_docx(report))).tables[1]
        self.assertEqual([cell.text for cell in table.rows[1].cells][2:], ["10", "1.070"])
        self.assertEqual([cell.text for cell in table.rows[3].cells][2:], ["03", "1.000"])
        self.assertEqual(json.loads(exports.report_json(report)), report.as_dict())

    def test_the_files_of_a_year_need_no_request(self):
        """What a command that prints the school's documents calls (``reports.documents``)."""
        name, content = documents.annual_report_file(2020, "pdf")
        self.assertEqual(name, "bao-cao-2020-coordination-yearly.pdf")
        self.assertIn("1.070", pdf_text(content))
        self.assertEqual(documents.annual_report_pdf(2020)[:4], b"%PDF")
        table = Document(io.BytesIO(documents.annual_report_docx(2020))).tables[1]
        self.assertEqual([cell.text for cell in table.rows[1].cells][2:], ["10", "1.070"])
        sheet = openpyxl.load_workbook(io.BytesIO(documents.annual_report_xlsx(2020)))["BaoCao"]
        self.assertEqual([cell.value for cell in sheet[6]][1:], [10, 1070])

    def test_filename(self):
        report = annual_report(2020, SYSTEM)
        self.assertEqual(exports.filename(report, "xlsx"), "bao-cao-2020-coordination-yearly.xlsx")
        self.assertTrue(re.fullmatch(r"[a-z0-9.-]+", exports.filename(report, "docx")))
