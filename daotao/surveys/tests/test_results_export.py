"""A round's results as xlsx and PDF: the same figures as the page, the same hiding below
the threshold, and free text for the training office and the school board only."""

from __future__ import annotations

import io
from unittest import mock

import openpyxl
from django.urls import reverse

from daotao.lib import pdf
from daotao.surveys.tests.test_results import TEXTS
from daotao.surveys.tests.test_results_views import ResultsViewTestCase, hidden_text


def cells(book) -> list:
    return [cell for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row if cell]


class XlsxExportTests(ResultsViewTestCase):
    def download(self, user, survey_round):
        self.client.force_login(user)
        response = self.client.get(reverse("surveys:results_round_xlsx", args=[survey_round.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response["Content-Type"])
        return openpyxl.load_workbook(io.BytesIO(response.content))

    def test_office_gets_figures_and_free_text(self):
        book = self.download(self.office, self.course)
        self.assertEqual(book.sheetnames, ["KetQua", "YKien"])
        rows = list(book["KetQua"].iter_rows(values_only=True))
        self.assertIn(("Khóa học TC01", None, None), [row[:3] for row in rows])
        first = [row[0] for row in rows].index("Nội dung 1")
        self.assertEqual(rows[first][2], 5)  # answers
        self.assertEqual(rows[first + 1][1:3], (7.0, "Khá"))  # mean and band
        # Scores, counts and shares are numbers: 8 | 2 | 40,00%.
        scores = {row[0]: row[1:3] for row in rows[first + 3 : first + 13]}
        self.assertEqual(scores[8], (2, 0.4))
        self.assertEqual(scores[1], (0, 0))
        texts = [row[1] for row in book["YKien"].iter_rows(min_row=2, values_only=True)]
        self.assertEqual(
            texts, ["An toàn", "Bổ ích", "Cần thêm tình huống", "Giảng viên nhiệt tình", "Thêm thời gian thảo luận"]
        )
        self.assertNotIn("Ý kiến trong phiếu bỏ trống", cells(book))

    def test_coordinator_and_lecturer_get_no_free_text(self):
        for user, survey_round in ((self.coordinator, self.course), (self.lecturer_user, self.about_lecturer)):
            book = self.download(user, survey_round)
            self.assertEqual(book.sheetnames, ["KetQua"])
            self.assertIn("Nội dung 1", cells(book))
            self.assertFalse(set(TEXTS) & set(cells(book)))

    def test_hidden_round_holds_counts_only(self):
        book = self.download(self.office, self.other)
        self.assertEqual(book.sheetnames, ["KetQua"])
        values = cells(book)
        self.assertIn(hidden_text(2, 5), values)
        for question in self.questions:
            self.assertNotIn(question.text, values)
        self.assertNotIn("Ý kiến TC02", values)

    def test_scope(self):
        url = reverse("surveys:results_round_xlsx", args=[self.course.pk])
        self.client.force_login(self.other_coordinator)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.client.force_login(self.student_user)
        self.assertEqual(self.client.get(url).status_code, 403)


class PdfExportTests(ResultsViewTestCase):
    def download(self, user, survey_round):
        """The PDF and the HTML it was printed from."""
        self.client.force_login(user)
        with mock.patch("daotao.school.documents.html_to_pdf", wraps=pdf.html_to_pdf) as printer:
            response = self.client.get(reverse("surveys:results_round_pdf", args=[survey_round.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))
        return printer.call_args.args[0]

    def test_office_pdf(self):
        html = self.download(self.office, self.course)
        self.assertIn("<svg", html)
        self.assertIn("7,67", html)
        for text in TEXTS:
            self.assertIn(text, html)

    def test_lecturer_pdf_without_free_text(self):
        html = self.download(self.lecturer_user, self.about_lecturer)
        self.assertIn("7,00", html)
        for text in TEXTS:
            self.assertNotIn(text, html)

    def test_hidden_round_pdf(self):
        html = self.download(self.office, self.other)
        self.assertIn(hidden_text(2, 5), html)
        self.assertNotIn("<svg", html)
        self.assertNotIn("Nội dung 1", html)
        self.assertNotIn("Ý kiến TC02", html)

    def test_scope(self):
        url = reverse("surveys:results_round_pdf", args=[self.other.pk])
        self.client.force_login(self.lecturer_user)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.client.force_login(self.student_user)
        self.assertEqual(self.client.get(url).status_code, 403)
