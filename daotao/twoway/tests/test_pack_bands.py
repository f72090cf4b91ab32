"""The results pack's graduation summary: the unit's students who qualify, and each band of
the program's rules with its count and its share of them, on the page, in the .xlsx (shares
as numbers) and in the PDF; a program with Trung bình khá included."""

import io
from decimal import Decimal as D

import openpyxl
from django.urls import reverse

from daotao.grading import graduation
from daotao.grading.models import GradingRules
from daotao.grading.rules import BANDS_WITH_FAIR_AVERAGE, bands_to_json
from daotao.grading.tests.test_graduation_base import DECIDED, GraduationWorldTestCase, grade_all
from daotao.testing_documents import pdf_text
from daotao.twoway import packs
from daotao.twoway.tests.base import TwoWayWorldTestCase


class DefaultBandsTests(TwoWayWorldTestCase):
    def test_the_summary_of_each_pack(self):
        pack = packs.pack_for(self.fresh(self.cohort), self.h01)
        self.assertEqual(pack.summary, "5/6 học viên đủ điều kiện tốt nghiệp, trong đó 4 Giỏi (80,00%), 1 Khá (20,00%)")
        pack = packs.pack_for(self.fresh(self.cohort), self.x01)
        self.assertEqual(pack.summary, "2/2 học viên đủ điều kiện tốt nghiệp, trong đó 1 Giỏi (50,00%), 1 Khá (50,00%)")


class FairAverageBandTests(GraduationWorldTestCase):
    """Six students of TC01 with averages 9,2 / 8,4 / 7,5 / 6,8 / 6,6 / 4,0 in a program
    with Trung bình khá from 6,5; five graduated."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        GradingRules.objects.create(program=cls.tc, bands=bands_to_json(BANDS_WITH_FAIR_AVERAGE))
        for enrollment, average in zip(cls.enrollments, ("9.2", "8.4", "7.5", "6.8", "6.6", "4.0"), strict=True):
            grade_all(enrollment, D(average))
        graduation.graduation_decide(user=cls.office, cohort=cls.cohort, number="58", date=DECIDED)

    SENTENCE = (
        "5/6 học viên đủ điều kiện tốt nghiệp, trong đó 1 Xuất sắc (20,00%), 1 Giỏi (20,00%), 1 Khá (20,00%), "
        "2 Trung bình khá (40,00%)"
    )

    def test_page_workbook_and_pdf(self):
        self.client.force_login(self.office)
        args = [self.cohort.pk, self.province.pk]
        page = self.client.get(reverse("twoway:pack", args=args))
        self.assertContains(page, self.SENTENCE)
        self.assertContains(page, "<td>Trung bình khá</td>", count=2, html=True)
        book = openpyxl.load_workbook(io.BytesIO(self.client.get(reverse("twoway:pack_xlsx", args=args)).content))
        self.assertEqual(book.sheetnames, ["KetQua", "TongHop"])
        values = list(book["KetQua"].iter_rows(min_row=5, values_only=True))
        self.assertEqual(len(values), 6)  # one row per student, nothing below
        self.assertEqual(sum(1 for row in values if "Trung bình khá" in row), 2)
        summary = book["TongHop"]
        self.assertEqual(summary["A2"].value, self.SENTENCE)
        bands = [row[:3] for row in summary.iter_rows(min_row=5)]
        self.assertEqual(
            [(label.value, count.value, share.value) for label, count, share in bands],
            [("Xuất sắc", 1, 0.2), ("Giỏi", 1, 0.2), ("Khá", 1, 0.2), ("Trung bình khá", 2, 0.4)],
        )
        self.assertEqual({share.number_format for _label, _count, share in bands}, {"0.00%"})
        text = pdf_text(self.client.get(reverse("twoway:pack_pdf", args=args)).content)
        self.assertIn("1 Khá (20,00%), 2 Trung bình khá (40,00%)", text)
        self.assertEqual(text.count("Trung bình khá"), 3)  # two students and the summary
