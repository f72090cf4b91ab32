"""Every document the school sends out, rendered from the demo as ``render_documents``
writes it (``daotao.demo.documents``) and read back word by word
(``daotao.testing_documents``): no word on another, none outside the printable area, the
bundled font and no other, and the words each kind must carry (the letterhead of Hướng dẫn
36-HD/VPTW or the state template of a diploma, the number, the place and date, the title,
the signer's name, every column of the results pack). The .docx files are printed by
LibreOffice first (CI installs it; elsewhere the test is skipped without it)."""

import io
import tempfile
from io import StringIO
from pathlib import Path

import openpyxl
from django.core.management import CommandError, call_command
from django.test import SimpleTestCase

from daotao.accounts.models import User
from daotao.demo import documents as demo_documents
from daotao.lib.pdf import FONT_NAME, html_to_pdf
from daotao.school import identity
from daotao.school.documents import PARTY_NAME, STATE_MOTTO, STATE_NAME
from daotao.school.models import DocumentStyle, School
from daotao.testing import DemoTestCase
from daotao.testing_documents import docx_to_pdf, foreign_fonts, pdf_fonts, pdf_layout_problems, pdf_pages, pdf_text

CREDENTIAL_TITLES = {"diploma": "BẰNG TỐT NGHIỆP", "certificate": "CHỨNG CHỈ", "confirmation": "GIẤY XÁC NHẬN"}
LETTER_TITLES = {
    "bao-cao-tot-nghiep.pdf": "BÁO CÁO",
    "quyet-dinh-tot-nghiep.pdf": "QUYẾT ĐỊNH",
    "ket-qua-hoc-tap.pdf": "THÔNG BÁO",
    "ket-qua-khao-sat.pdf": "BÁO CÁO",
    "danh-sach-thi-sinh.pdf": "DANH SÁCH THÍ SINH",
    "bien-lai.pdf": "BIÊN LAI THU TIỀN",
}
# An exam's candidate list: each room's columns; its slips: the school and each slip's lines.
EXAM_LIST_COLUMNS = ("Số báo danh", "Họ và tên", "Ngày sinh", "Chữ ký", "Phòng thi:")
EXAM_SLIP_LINES = ("THẺ DỰ THI", "Họ và tên:", "Ngày sinh:", "Phòng thi:", "Số báo danh:")
# The kinds whose tables number their rows "STT".
TABLES_NUMBERED = {"results_pack", "graduation", "annual_report", "quota_table"}
PACK_COLUMNS = (
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Địa phương / Cơ quan cử đi học",
    "Điểm trung bình",
    "Xếp loại",
    "Số tiết vắng / tổng số tiết",
    "Kỷ luật, chấp hành nội quy",
    "Tốt nghiệp",
    "Số vào sổ văn bằng, chứng chỉ",
)


def words_of(text: str) -> set[str]:
    return set(text.split())


class EveryDocumentTests(DemoTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.wanted = demo_documents.demo_documents()
        cls.files = demo_documents.render(cls.wanted, User.objects.get(username="daotao"))
        cls.school = identity.current()

    def required(self, document) -> list[str]:
        """The phrases ``document`` must print, each on one line."""
        school = self.school
        signer = school.signer(document.kind)
        if document.kind == "exam_slips":  # cards, each headed by the school, none signed
            return [school.name.upper(), *EXAM_SLIP_LINES]
        phrases = [school.name.upper(), school.place + ", ngày", signer.name]
        if document.kind == "exam_candidates":
            phrases += EXAM_LIST_COLUMNS
        if document.kind in CREDENTIAL_TITLES:
            phrases += [STATE_NAME, CREDENTIAL_TITLES[document.kind], "Số hiệu:", "Mã xác minh"]
        else:
            phrases += [PARTY_NAME, f"-{self.document_type(document)}/{school.document_code}", "Nơi nhận:"]
            phrases += [line for line in signer.lines]
            if document.file in LETTER_TITLES:
                phrases.append(LETTER_TITLES[document.file])
            if document.kind in TABLES_NUMBERED:
                # Whole: a column too narrow breaks it into "ST" and "T".
                phrases.append("STT")
        return phrases

    def document_type(self, document) -> str:
        if document.file.startswith("quyet-dinh"):
            return "QĐ"
        return {"results_pack": "TB", "quota_table": "KH", "exam_candidates": "DS", "receipt": "BL"}.get(
            document.kind, "BC"
        )

    def test_the_command_writes_every_file(self):
        with tempfile.TemporaryDirectory() as folder:
            out = StringIO()
            call_command("render_documents", folder, stdout=out)
            written = {path.name: path.read_bytes() for path in Path(folder).iterdir()}
        self.assertEqual(set(written), {document.file for document in self.wanted})
        self.assertTrue(all(content for content in written.values()))
        with self.assertRaises(CommandError):
            call_command("render_documents", folder, user="nobody", stdout=StringIO())

    def test_every_kind_is_rendered(self):
        kinds = {document.kind for document in self.wanted}
        self.assertEqual(
            kinds,
            {
                "diploma",
                "certificate",
                "confirmation",
                "results_pack",
                "graduation",
                "survey_results",
                "annual_report",
                "quota_table",
                "exam_candidates",
                "exam_slips",
                "receipt",
            },
        )
        formats = {(document.kind, document.extension) for document in self.wanted}
        for kind in ("results_pack", "graduation", "survey_results", "annual_report", "quota_table"):
            self.assertIn((kind, "xlsx"), formats)
        for kind in ("annual_report", "quota_table"):
            self.assertIn((kind, "docx"), formats)
        self.assertTrue(all((kind, "pdf") in formats for kind in kinds))

    def check_pdf(self, name, content, document, *, fonts=True):
        pages = pdf_pages(content)
        self.assertGreater(sum(len(page.words) for page in pages), 20, name)
        self.assertEqual(pdf_layout_problems(content), [], name)
        if fonts:
            # The bundled file, never a host font of the same family (DaoTao Serif is a name
            # only the bundled file has).
            self.assertEqual(foreign_fonts(content), set(), name)
        text = pdf_text(content)
        for phrase in self.required(document):
            self.assertIn(phrase, text, f"{name}: {phrase!r} is missing")

    def test_every_pdf(self):
        for document in self.wanted:
            if document.extension != "pdf":
                continue
            with self.subTest(document.file):
                self.check_pdf(document.file, self.files[document.file], document)

    def test_results_pack_has_every_column(self):
        words = words_of(pdf_text(self.files["ket-qua-hoc-tap.pdf"]))
        for column in PACK_COLUMNS:
            with self.subTest(column):
                self.assertLessEqual(words_of(column), words, column)

    def test_results_pack_repeats_its_header_on_every_page(self):
        # A4 landscape, and every page the tables run onto starts with their header row.
        pages = pdf_pages(self.files["ket-qua-hoc-tap.pdf"])
        self.assertGreater(len(pages), 1)
        for page in pages:
            with self.subTest(page=page.number):
                self.assertGreater(page.width, page.height)
                texts = [word.text for word in page.words]
                if "Nơi" in texts and texts.index("Nơi") < 10:
                    continue  # the last page may hold only the signature
                self.assertIn("STT", texts)

    def test_a_school_of_the_state_format(self):
        # Decree 30/2020 instead of Hướng dẫn 36: the national motto and "Số: ..../TB-TCT".
        School.objects.update(document_style=DocumentStyle.STATE)
        identity.forget()
        self.addCleanup(identity.forget)
        wanted = [
            document
            for document in self.wanted
            if document.file in ("ket-qua-hoc-tap.pdf", "quyet-dinh-tot-nghiep.pdf")
        ]
        for name, content in demo_documents.render(wanted, User.objects.get(username="daotao")).items():
            with self.subTest(name):
                text = pdf_text(content)
                self.assertIn(STATE_NAME, text)
                self.assertIn(STATE_MOTTO, text)
                self.assertNotIn(PARTY_NAME, text)
                self.assertIn("Số: ", text)
                self.assertEqual(pdf_layout_problems(content), [])

    def test_every_docx_printed_by_libreoffice(self):
        docx = {document.file: self.files[document.file] for document in self.wanted if document.extension == "docx"}
        printed = docx_to_pdf(docx)
        by_file = {document.file: document for document in self.wanted}
        for name, content in printed.items():
            with self.subTest(name):
                # Word and LibreOffice take Times New Roman from the reader's machine.
                self.check_pdf(name, content, by_file[name], fonts=False)

    def test_every_xlsx_opens(self):
        for document in self.wanted:
            if document.extension != "xlsx":
                continue
            with self.subTest(document.file):
                book = openpyxl.load_workbook(io.BytesIO(self.files[document.file]))
                self.assertTrue(book.worksheets)


class TheCheckBitesTests(SimpleTestCase):
    def test_text_on_text_and_text_off_the_page_are_found(self):
        html = """<html><body>
          <p style="position:absolute; top:40mm; left:30mm">Trường Chính trị</p>
          <p style="position:absolute; top:40mm; left:31mm">Bình An</p>
          <p style="position:absolute; top:80mm; left:30mm">Học viên</p>
          <p style="position:absolute; top:90mm; left:30mm">Lớp học</p>
          <p style="position:absolute; top:120mm; left:190mm; white-space:nowrap">Ngoài trang giấy</p>
          <p style="position:absolute; top:150mm; left:203mm; white-space:nowrap">lề</p>
        </body></html>"""
        content = html_to_pdf(html)
        problems = pdf_layout_problems(content)
        self.assertTrue(any("overlap" in problem and "Bình" in problem for problem in problems), problems)
        self.assertTrue(any("printable area" in problem and "Ngoài" in problem for problem in problems), problems)
        # 203 mm of a 210 mm sheet: on the page, but where a printer does not print.
        self.assertTrue(any("printable area" in problem and "lề" in problem for problem in problems), problems)
        self.assertFalse(any("Học" in problem or "Lớp" in problem for problem in problems), problems)

    def test_the_font_is_the_bundled_file(self):
        self.assertEqual(
            {font.split("-Bold")[0] for font in pdf_fonts(html_to_pdf("<p>Việt <b>Nam</b></p>"))}, {FONT_NAME}
        )
