"""A program's own classification bands (here the preset with Trung bình khá from 6,5) in
every graduation summary: the report's sentence, page, .xlsx and PDF, the decision's list,
the correction of a classification, the credential; each band with its count and its
share of the graduates (two decimals, each rounded half up)."""

import io
from decimal import Decimal as D

import openpyxl
from django.urls import reverse

from daotao.grading import cohort_report, graduation
from daotao.grading.models import GradingRules, GraduationEntry
from daotao.grading.rules import BANDS_WITH_FAIR_AVERAGE, bands_to_json
from daotao.grading.tests.test_graduation_base import DECIDED, GraduationWorldTestCase, grade_all
from daotao.testing_documents import pdf_text

# The six students' averages: Xuất sắc, Giỏi, Khá, Trung bình khá twice, Trung bình.
AVERAGES = ("9.2", "8.4", "7.5", "6.8", "6.6", "5.5")
SENTENCE = (
    "6/6 học viên đủ điều kiện tốt nghiệp, trong đó 1 Xuất sắc (16,67%), 1 Giỏi (16,67%), 1 Khá (16,67%), "
    "2 Trung bình khá (33,33%), 1 Trung bình (16,67%)"
)


class FairAverageBandTests(GraduationWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        GradingRules.objects.create(program=cls.tc, bands=bands_to_json(BANDS_WITH_FAIR_AVERAGE))
        for enrollment, average in zip(cls.enrollments, AVERAGES, strict=True):
            grade_all(enrollment, D(average))
        cls.decision = graduation.graduation_decide(user=cls.office, cohort=cls.cohort, number="58", date=DECIDED)

    def setUp(self):
        self.client.force_login(self.office)

    def test_a_6_8_average_is_trung_binh_kha(self):
        entry = GraduationEntry.objects.get(enrollment=self.enrollments[3])
        self.assertEqual((entry.average, entry.classification), (D("6.80"), "fair_average"))

    def test_the_report_sentence_and_page(self):
        self.assertEqual(cohort_report.build(self.cohort).summary, SENTENCE)
        page = self.client.get(reverse("grading:report", args=[self.cohort.pk]))
        self.assertContains(page, SENTENCE)
        self.assertContains(page, "<td>Trung bình khá</td>", count=2, html=True)

    def test_the_report_workbook_holds_each_share_as_a_rounded_number(self):
        book = openpyxl.load_workbook(
            io.BytesIO(self.client.get(reverse("grading:report_xlsx", args=[self.cohort.pk])).content)
        )
        sheet = book["TongHop"]
        self.assertEqual(sheet["A2"].value, SENTENCE)
        rows = [row for row in sheet.iter_rows() if row[0].value == "Xếp loại"]
        self.assertEqual(len(rows), 1)
        first = rows[0][0].row + 1
        bands = [[cell for cell in row[:3]] for row in sheet.iter_rows(min_row=first, max_row=first + 4)]
        self.assertEqual(
            [(label.value, count.value, share.value) for label, count, share in bands],
            [("Xuất sắc", 1, 0.1667), ("Giỏi", 1, 0.1667), ("Khá", 1, 0.1667), ("Trung bình khá", 2, 0.3333),
             ("Trung bình", 1, 0.1667)],
        )  # fmt: skip
        self.assertEqual({share.number_format for _label, _count, share in bands}, {"0.00%"})
        graduates = list(book["TotNghiep"].iter_rows(min_row=2, values_only=True))
        self.assertEqual([row[4] for row in graduates].count("Trung bình khá"), 2)

    def test_the_report_pdf(self):
        text = pdf_text(self.client.get(reverse("grading:report_pdf", args=[self.cohort.pk])).content)
        self.assertIn("2 Trung bình khá (33,33%), 1 Trung bình (16,67%)", text)

    def test_the_decision_lists_the_band_by_its_name(self):
        url = reverse("grading:decision_pdf", args=[self.cohort.pk, self.decision.pk])
        text = pdf_text(self.client.get(url).content)
        self.assertEqual(text.count("Trung bình khá"), 2)
        self.assertIn("6,80 Trung bình khá", text)

    def test_a_correction_offers_the_programs_bands(self):
        entry = GraduationEntry.objects.get(enrollment=self.enrollments[2])
        url = reverse("grading:entry", args=[entry.pk])
        page = self.client.get(url)
        self.assertContains(page, '<option value="fair_average">Trung bình khá</option>', html=True)
        response = self.client.post(url, {"classification": "fair_average", "reason": "Phúc khảo"})
        self.assertRedirects(response, url)
        entry.refresh_from_db()
        self.assertEqual(entry.classification, "fair_average")
        self.assertContains(self.client.get(url), "Khá → Trung bình khá")  # the history, by name
        response = self.client.post(url, {"classification": "pretty_good", "reason": "x"})
        self.assertEqual(response.status_code, 200)  # not a band of the program: refused
        self.assertTrue(response.context["form"].errors)
        entry.refresh_from_db()
        self.assertEqual(entry.classification, "fair_average")
        self.assertEqual(
            cohort_report.build(self.cohort).summary,
            "6/6 học viên đủ điều kiện tốt nghiệp, trong đó 1 Xuất sắc (16,67%), 1 Giỏi (16,67%), "
            "3 Trung bình khá (50,00%), 1 Trung bình (16,67%)",
        )

    def test_the_decisions_page_and_the_class_results(self):
        page = self.client.get(reverse("grading:decisions", args=[self.cohort.pk]))
        self.assertContains(page, "Trung bình khá", count=2)
        page = self.client.get(reverse("grading:cohort", args=[self.cohort.pk]))
        self.assertContains(page, "Trung bình khá", count=2)
