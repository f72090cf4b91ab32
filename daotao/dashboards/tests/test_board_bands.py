"""The board's graduates by classification with a program's own band (Trung bình khá):
listed in its place among the bands, by its name, and counted with the others."""

from daotao.accounts.models import User
from daotao.dashboards.board import graduation_of_year
from daotao.grading.models import GradingRules, GraduationEntry
from daotao.grading.rules import BANDS_WITH_FAIR_AVERAGE, bands_to_json
from daotao.testing import DemoTestCase


class BoardBandsTests(DemoTestCase):
    def test_a_programs_own_band_in_its_place(self):
        board = User.objects.get(username="bgh")
        before = graduation_of_year(2026, board)
        entry = (
            GraduationEntry.objects.filter(enrollment__cohort__closing_date__year=2026, classification="fair")
            .select_related("enrollment__cohort__program")
            .first()
        )
        GradingRules.objects.update_or_create(
            program=entry.enrollment.cohort.program, defaults={"bands": bands_to_json(BANDS_WITH_FAIR_AVERAGE)}
        )
        GraduationEntry.objects.filter(pk=entry.pk).update(classification="fair_average")
        after = graduation_of_year(2026, board)
        shown = [(code, label, count) for code, label, count in after.classified]
        counts = {code: count for code, _label, count in before.classified}
        self.assertEqual(
            [(code, label) for code, label, _count in shown],
            [("excellent", "Xuất sắc"), ("good", "Giỏi"), ("fair", "Khá"), ("fair_average", "Trung bình khá"),
             ("average", "Trung bình")],
        )  # fmt: skip
        self.assertEqual(dict((code, count) for code, _label, count in shown),
                         {**counts, "fair": counts["fair"] - 1, "fair_average": 1})  # fmt: skip
        self.assertEqual((after.training, after.not_classified), (before.training, 0))
