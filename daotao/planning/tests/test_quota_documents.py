"""A plan's quota table as a document (``/planning/<year>/quota.pdf``, ``.docx``, ``.xlsx``):
the letterhead of the school's identity ("Số ...-KH/TCT", the date line, the title, the
signer, "Nơi nhận"), the plan's own figures in each file, numbers kept as numbers in the
workbook, the bundled font in the PDF and no word printed on another; who may download it
and what a coordinator's copy holds."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import time_machine
from django.urls import reverse
from docx import Document

from daotao.accounts.models import User
from daotao.lib import xlsx
from daotao.lib.vietnamese import format_count, format_int
from daotao.planning import documents
from daotao.planning.models import AnnualPlan, Quota
from daotao.planning.tests.base import PlanningTestCase
from daotao.school.identity import Signer
from daotao.school.models import DocumentKind
from daotao.testing import DemoTestCase, school_identity
from daotao.testing_documents import foreign_fonts, pdf_layout_problems, pdf_lines, pdf_text

TODAY = dt.datetime(2026, 3, 5, 9, 0, tzinfo=dt.UTC)
DATE_LINE = "Bình An, ngày 05 tháng 3 năm 2026"
FUNDING_WORDS = {"supported": "Được hỗ trợ kinh phí", "self_funded": "Tự túc kinh phí"}


def url(fmt: str, year: int) -> str:
    return reverse(f"planning:quota_{fmt}", args=[year])


class QuotaTableOfTheDemoTests(DemoTestCase):
    """The demo's 2020 plan, as the training office downloads it: its letterhead comes from
    the demo school's identity (daotao/demo/school.toml)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = AnnualPlan.objects.get(year=2020)
        cls.quotas = list(documents.plan_quotas(cls.plan, User.objects.get(username="daotao")))
        cls.classes = sum(quota.classes for quota in cls.quotas)
        cls.students = sum(quota.students for quota in cls.quotas)

    def setUp(self):
        # The date line's day; only around the tests (the demo is loaded as of today).
        self.enterContext(time_machine.travel(TODAY, tick=False))
        self.client.force_login(User.objects.get(username="daotao"))

    def download(self, fmt: str):
        response = self.client.get(url(fmt, 2020))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], documents.FORMATS[fmt].content_type)
        self.assertEqual(response["Content-Disposition"], f'attachment; filename="chi-tieu-2020.{fmt}"')
        return response.content

    def test_the_plan_has_lines_of_both_fundings_and_localities_with_several(self):
        self.assertGreater(len(self.quotas), 10)
        self.assertEqual({quota.funding for quota in self.quotas}, {"supported", "self_funded"})

    def test_pdf_letterhead(self):
        content = self.download("pdf")
        self.assertTrue(content.startswith(b"%PDF"))
        text = pdf_text(content)
        for piece in (
            "TỈNH ỦY BÌNH AN",
            "TRƯỜNG CHÍNH TRỊ TỈNH BÌNH AN",
            "ĐẢNG CỘNG SẢN VIỆT NAM",
            "Số ...-KH/TCT",
            DATE_LINE,
            "BẢNG CHỈ TIÊU ĐÀO TẠO, BỒI DƯỠNG NĂM 2020",
            "(Kèm theo Quyết định số 318-QĐ/TU ngày 18/12/2019)",
            "Nơi nhận:",
            "- Tỉnh ủy Bình An (để báo cáo);",
            "- Các địa phương;",
            "- Lưu: VT, P.QLĐT.",
            "HIỆU TRƯỞNG",
            "Nguyễn Văn Bình",  # the demo school's signer
        ):
            with self.subTest(piece=piece):
                self.assertIn(piece, text)
        self.assertEqual(pdf_layout_problems(content), [])
        self.assertEqual(foreign_fonts(content), set())

    def test_pdf_figures_are_the_plans(self):
        lines = pdf_lines(self.download("pdf"))
        rows = [line for line in lines if line[0].isdigit() and len(line) >= 4]
        numbered = {int(line[0]): line for line in rows}
        self.assertEqual(len(numbered), len(self.quotas), lines)
        for number, quota in enumerate(self.quotas, start=1):
            with self.subTest(quota=str(quota)):
                row = numbered[number]
                self.assertEqual(row[-2:], [format_count(quota.classes), format_int(quota.students)])
                self.assertEqual(row[1], quota.locality.name.split()[0])
        total = next(line for line in lines if line[:2] == ["Tổng", "cộng"])
        self.assertEqual(total[2:], [format_count(self.classes), format_int(self.students)])
        for funding, words in FUNDING_WORDS.items():
            part = [quota for quota in self.quotas if quota.funding == funding]
            of_which = f"Trong đó: {words[0].lower()}{words[1:]}".split()
            line = next(line for line in lines if line[: len(of_which)] == of_which)
            self.assertEqual(
                line[len(of_which) :],
                [format_count(sum(q.classes for q in part)), format_int(sum(q.students for q in part))],
            )

    def test_docx_letterhead_and_table(self):
        document = Document(io.BytesIO(self.download("docx")))
        left, right = document.tables[0].rows[0].cells
        self.assertEqual(
            [p.text for p in left.paragraphs if p.text],
            ["TỈNH ỦY BÌNH AN", "TRƯỜNG CHÍNH TRỊ TỈNH BÌNH AN", "*", "Số ...-KH/TCT"],
        )
        self.assertEqual([p.text for p in right.paragraphs if p.text], ["ĐẢNG CỘNG SẢN VIỆT NAM"])
        paragraphs = [p.text for p in document.paragraphs]
        for piece in (
            DATE_LINE,
            "BẢNG CHỈ TIÊU ĐÀO TẠO, BỒI DƯỠNG NĂM 2020",
            "(Kèm theo Quyết định số 318-QĐ/TU ngày 18/12/2019)",
        ):
            self.assertIn(piece, paragraphs)
        rows = [[cell.text for cell in row.cells] for row in document.tables[1].rows]
        self.assertEqual(rows[0], ["STT", "Địa phương", "Chương trình", "Kinh phí", "Số lớp", "Số học viên"])
        lines = [row for row in rows[1:] if row[0].isdigit()]
        expected = [
            [
                str(number),
                quota.locality.name,
                quota.program.name,
                FUNDING_WORDS[quota.funding],
                format_count(quota.classes),
                format_int(quota.students),
            ]
            for number, quota in enumerate(self.quotas, start=1)
        ]
        self.assertEqual(lines, expected)
        total = next(row for row in rows if row[0] == "Tổng cộng")
        self.assertEqual(total[4:], [format_count(self.classes), format_int(self.students)])
        # A locality with several lines has its subtotal right after them.
        first = self.quotas[0].locality
        own = [quota for quota in self.quotas if quota.locality == first]
        self.assertGreater(len(own), 1)
        self.assertEqual(
            rows[1 + len(own)][1:],
            [
                "Cộng",
                "Cộng",
                "Cộng",
                format_count(sum(q.classes for q in own)),
                format_int(sum(q.students for q in own)),
            ],
        )
        signature = document.tables[-1].rows[0].cells
        self.assertIn("- Lưu: VT, P.QLĐT.", [p.text for p in signature[0].paragraphs])
        self.assertEqual([p.text for p in signature[1].paragraphs if p.text], ["HIỆU TRƯỞNG", "Nguyễn Văn Bình"])

    def test_xlsx_holds_numbers(self):
        sheet = openpyxl.load_workbook(io.BytesIO(self.download("xlsx")))[documents.SHEET]
        self.assertEqual(sheet["A2"].value, "BẢNG CHỈ TIÊU ĐÀO TẠO, BỒI DƯỠNG NĂM 2020")
        header = next(row[0].row for row in sheet.iter_rows() if row[0].value == "STT")
        self.assertEqual(
            [cell.value for cell in sheet[header]],
            ["STT", "Địa phương", "Chương trình", "Kinh phí", "Số lớp", "Số học viên"],
        )
        self.assertEqual(sheet.freeze_panes, f"A{header + 1}")
        self.assertEqual(sheet.print_title_rows, f"${header}:${header}")
        for letter in "ABCDEF":
            self.assertGreater(sheet.column_dimensions[letter].width, 5, letter)
        rows = list(sheet.iter_rows(min_row=header + 1))
        lines = [row for row in rows if isinstance(row[0].value, int)]
        self.assertEqual(
            [[cell.value for cell in row] for row in lines],
            [
                [n, q.locality.name, q.program.name, FUNDING_WORDS[q.funding], q.classes, q.students]
                for n, q in enumerate(self.quotas, start=1)
            ],
        )
        for row in rows:
            classes, students = row[4], row[5]
            self.assertEqual((classes.data_type, students.data_type), ("n", "n"), row[1].value)
            self.assertEqual(classes.number_format, xlsx.CLASSES)
            self.assertEqual(students.number_format, xlsx.INTEGER)
        total = next(row for row in rows if row[1].value == "Tổng cộng")
        self.assertEqual((total[4].value, total[5].value), (self.classes, self.students))
        self.assertTrue(total[1].font.bold)

    def test_builders_need_no_request(self):
        self.assertTrue(documents.quota_table_pdf(self.plan).startswith(b"%PDF"))
        document = Document(io.BytesIO(documents.quota_table_docx(self.plan)))
        self.assertIn("Số ...-KH/TCT", [p.text for p in document.tables[0].rows[0].cells[0].paragraphs])
        workbook = openpyxl.load_workbook(io.BytesIO(documents.quota_table_xlsx(self.plan)))
        self.assertEqual(workbook.sheetnames, [documents.SHEET])

    def test_links_on_the_plan_page(self):
        response = self.client.get(reverse("planning:detail", args=[2020]))
        for fmt in ("pdf", "docx", "xlsx"):
            self.assertContains(response, f'href="{url(fmt, 2020)}"')


class QuotaTableAccessTests(PlanningTestCase):
    """The small world's 2026 plan (H01 and H02, one supported Trung cấp line each) with a
    second line for H01."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        Quota.objects.create(
            plan=cls.plan, program=cls.cvc, locality=cls.h01, funding="self_funded", classes=2, students=95
        )

    def test_who_may_download(self):
        self.client.force_login(self.nobody)
        for fmt in documents.FORMATS:
            self.assertEqual(self.client.get(url(fmt, 2026)).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(url("pdf", 2026)).status_code, 302)
        self.client.force_login(self.board)
        for fmt in documents.FORMATS:
            self.assertEqual(self.client.get(url(fmt, 2026)).status_code, 200)
            self.assertEqual(self.client.get(url(fmt, 1999)).status_code, 404)
            self.assertEqual(self.client.post(url(fmt, 2026)).status_code, 405)

    @school_identity(
        name="Trường Chính trị tỉnh Bình An",
        parent="Tỉnh ủy Bình An",
        place="Bình An",
        signers={DocumentKind.QUOTA_TABLE: Signer("HIỆU TRƯỞNG", "Lê Thị Hoa", "PHÓ HIỆU TRƯỞNG")},
    )
    def test_the_quota_tables_own_signer(self):
        self.client.force_login(self.office)
        text = pdf_text(self.client.get(url("pdf", 2026)).content)
        self.assertIn("KT. HIỆU TRƯỞNG PHÓ HIỆU TRƯỞNG", text)
        self.assertIn("Lê Thị Hoa", text)

    @school_identity(name="Trường Chính trị tỉnh Bình An", parent="UBND tỉnh Bình An", document_style="state")
    def test_state_style(self):
        self.client.force_login(self.office)
        text = pdf_text(self.client.get(url("pdf", 2026)).content)
        self.assertIn("Số: .../KH-TCT", text)
        self.assertIn("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", text)
        self.assertNotIn("ĐẢNG CỘNG SẢN VIỆT NAM", text)

    def test_a_coordinator_gets_their_lines_with_the_scope_stated(self):
        self.client.force_login(self.coordinator)
        sheet = openpyxl.load_workbook(io.BytesIO(self.client.get(url("xlsx", 2026)).content))[documents.SHEET]
        values = [[cell.value for cell in row] for row in sheet.iter_rows()]
        self.assertIn(
            [f"(Chỉ tiêu của {self.h01.name} và các đơn vị trực thuộc)", None, None, None, None, None], values
        )
        localities = {row[1] for row in values if isinstance(row[0], int)}
        self.assertEqual(localities, {self.h01.name})
        total = next(row for row in values if row[1] == "Tổng cộng")
        self.assertEqual(total[4:], [3, 175])
        text = pdf_text(self.client.get(url("pdf", 2026)).content)
        self.assertIn(self.h01.name, text)
        self.assertNotIn(self.h02.name, text)
        # The office sees both localities, H01's subtotal and no scope line.
        self.client.force_login(self.office)
        table = documents.quota_table(self.plan, user=self.office)
        self.assertEqual(table.scope_line, "")
        self.assertEqual(
            [(row.kind, row.label, row.classes, row.students) for row in table.rows if row.kind != "line"],
            [
                ("subtotal", "Cộng", 3, 175),
                ("total", "Tổng cộng", 4, 235),
                ("of_which", "Trong đó: được hỗ trợ kinh phí", 2, 140),
                ("of_which", "Trong đó: tự túc kinh phí", 2, 95),
            ],
        )

    def test_a_draft_plan_and_a_plan_without_lines(self):
        draft = AnnualPlan.objects.create(year=2027)
        self.client.force_login(self.office)
        content = self.client.get(url("pdf", 2027)).content
        text = pdf_text(content)
        self.assertIn("(Dự thảo)", text)
        self.assertIn("Kế hoạch năm 2027 chưa có chỉ tiêu nào.", text)
        self.assertEqual(pdf_layout_problems(content), [])
        document = Document(io.BytesIO(documents.quota_table_docx(draft)))
        self.assertIn("Kế hoạch năm 2027 chưa có chỉ tiêu nào.", [p.text for p in document.paragraphs])
        self.assertEqual(len(document.tables), 2)  # the letterhead and the signature
        sheet = openpyxl.load_workbook(io.BytesIO(documents.quota_table_xlsx(draft)))[documents.SHEET]
        self.assertIn("Kế hoạch năm 2027 chưa có chỉ tiêu nào.", [cell.value for cell in sheet["B"]])

    def test_a_scope_without_lines(self):
        self.client.force_login(self.agency_user)
        text = pdf_text(self.client.get(url("pdf", 2026)).content)
        self.assertIn("(Chỉ tiêu của Sở Nội vụ và các đơn vị trực thuộc)", text)
        self.assertIn("Kế hoạch năm 2026 không có chỉ tiêu nào của đơn vị.", text)

    def test_query_count(self):
        self.client.force_login(self.office)
        self.client.get(url("xlsx", 2026))
        for fmt in documents.FORMATS:
            with self.subTest(fmt=fmt), self.assertNumQueries(5):
                self.client.get(url(fmt, 2026))
