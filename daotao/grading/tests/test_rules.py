"""Every grading rule at its boundaries (issue 5): rounding at x,x5, 4,95 vs 5,0, retakes
and their cap, absence limits, classification edges and downgrades, essay reconciliation,
certificates."""

from decimal import Decimal as D
from types import SimpleNamespace

from django.template.loader import render_to_string
from django.test import SimpleTestCase
from django.utils import translation

from daotao.grading.models import Classification, GradingRules
from daotao.grading.rules import (
    ABSENT,
    BANDS_WITH_FAIR_AVERAGE,
    DEFAULT_BANDS,
    DEFAULT_RULES,
    RULE_FIELDS,
    Band,
    ModuleOutcome,
    ModuleStatus,
    Part,
    Rules,
    ScoreError,
    band,
    band_counts,
    bands_from_json,
    bands_to_json,
    certificate_problems,
    check_bands,
    classification_label,
    classification_name,
    classify,
    exam_allowed,
    is_absent_word,
    module_outcome,
    module_result,
    parse_score,
    program_average,
    reconcile_essay,
    round_half_up,
)


class ParseScoreTests(SimpleTestCase):
    def test_comma_and_point_are_the_same(self):
        self.assertEqual(parse_score("7,5"), D("7.5"))
        self.assertEqual(parse_score("7.5"), D("7.5"))
        self.assertEqual(parse_score(" 8 "), D("8.0"))

    def test_empty_means_no_score(self):
        self.assertIsNone(parse_score(""))
        self.assertIsNone(parse_score("   "))
        self.assertIsNone(parse_score(None))

    def test_rounds_half_up_at_x_x5(self):
        self.assertEqual(parse_score("7,25"), D("7.3"))
        self.assertEqual(parse_score("7,24"), D("7.2"))
        self.assertEqual(parse_score("6,45"), D("6.5"))  # banker's rounding would give 6,4
        self.assertEqual(parse_score("4,95"), D("5.0"))
        self.assertEqual(parse_score("9,96"), D("10.0"))

    def test_bounds(self):
        self.assertEqual(parse_score("0"), D("0.0"))
        self.assertEqual(parse_score("10"), D("10.0"))
        for typed in ("10,1", "-0,1", "11", "100"):
            with self.subTest(typed=typed), self.assertRaisesMessage(ScoreError, typed):
                parse_score(typed)

    def test_not_a_number(self):
        for typed in ("abc", "7,5,1", "1e1", "NaN", "Infinity", "7 5", "½"):
            with self.subTest(typed=typed), self.assertRaises(ScoreError):
                parse_score(typed)

    def test_other_decimals(self):
        self.assertEqual(parse_score("7,25", Rules(score_decimals=2)), D("7.25"))
        self.assertEqual(parse_score("7,5", Rules(score_decimals=0)), D("8"))

    def test_absent_words(self):
        for word in ("v", "V", "vắng", "Vắng ", "vang"):
            self.assertTrue(is_absent_word(word))
        self.assertFalse(is_absent_word("0"))


class ModuleResultTests(SimpleTestCase):
    def test_weighted_mean_rounded_half_up(self):
        self.assertEqual(module_result([(30, D("6.0")), (70, D("8.0"))]), D("7.4"))
        # 0,3 x 5,5 + 0,7 x 4,7 = 4,94 -> 4,9 (fails); 0,3 x 5,5 + 0,7 x 4,75 = 4,975 -> 5,0
        self.assertEqual(module_result([(30, D("5.5")), (70, D("4.7"))]), D("4.9"))
        self.assertEqual(module_result([(50, D("4.9")), (50, D("5.0"))]), D("5.0"))  # 4,95 -> 5,0

    def test_missing_score_means_no_result(self):
        self.assertIsNone(module_result([(30, D("6.0")), (70, None)]))
        self.assertIsNone(module_result([]))

    def test_weights_need_not_sum_to_100(self):
        self.assertEqual(module_result([(1, D("6.0")), (1, D("8.0"))]), D("7.0"))


def outcome(test, *exam, missed=0, total=0, rules=DEFAULT_RULES):
    return module_outcome(
        [Part(30, False, (test,)), Part(70, True, tuple(exam))], missed_periods=missed, total_periods=total, rules=rules
    )


class ModuleOutcomeTests(SimpleTestCase):
    def test_pass_at_exactly_five(self):
        passed = outcome(D("5.0"), D("5.0"))
        self.assertEqual((passed.status, passed.result), (ModuleStatus.PASSED, D("5.0")))
        # 0,3 x 4,9 + 0,7 x 5,0 = 4,97 -> 5,0: the rounded result passes.
        self.assertTrue(outcome(D("4.9"), D("5.0")).passed)
        failing = outcome(D("4.9"), D("4.9"))
        self.assertEqual((failing.status, failing.result), (ModuleStatus.RETAKE, D("4.9")))

    def test_pending_until_every_score_is_in(self):
        self.assertEqual(outcome(D("7.0")).status, ModuleStatus.PENDING)
        self.assertEqual(outcome(None, D("7.0")).status, ModuleStatus.PENDING)

    def test_missed_exam_counts_zero_and_may_be_retaken(self):
        missed = outcome(D("9.0"), ABSENT)
        self.assertEqual((missed.status, missed.result), (ModuleStatus.RETAKE, D("2.7")))
        self.assertTrue(missed.may_retake)

    def test_one_retake(self):
        retaken = outcome(D("6.0"), D("3.0"), D("7.0"))
        self.assertEqual((retaken.status, retaken.result, retaken.retaken), (ModuleStatus.PASSED, D("6.7"), True))
        self.assertEqual(retaken.attempts_used, 2)
        failed_again = outcome(D("6.0"), D("3.0"), D("4.0"))
        self.assertEqual(failed_again.status, ModuleStatus.FAILED)
        self.assertFalse(failed_again.may_retake)
        self.assertEqual(outcome(D("6.0"), D("3.0"), ABSENT).status, ModuleStatus.FAILED)

    def test_a_third_attempt_is_ignored_with_one_retake(self):
        self.assertEqual(outcome(D("6.0"), D("3.0"), D("4.0"), D("9.0")).status, ModuleStatus.FAILED)
        two = Rules(max_retakes=2)
        self.assertEqual(outcome(D("6.0"), D("3.0"), D("4.0"), D("9.0"), rules=two).status, ModuleStatus.PASSED)
        self.assertEqual(outcome(D("6.0"), D("3.0"), D("4.0"), rules=two).status, ModuleStatus.RETAKE)

    def test_no_retakes_allowed(self):
        self.assertEqual(outcome(D("6.0"), D("3.0"), rules=Rules(max_retakes=0)).status, ModuleStatus.FAILED)

    def test_retake_cap(self):
        capped = Rules(retake_cap=D("5.0"))
        result = outcome(D("9.0"), D("2.0"), D("9.0"), rules=capped)
        self.assertEqual((result.status, result.result), (ModuleStatus.PASSED, D("5.0")))
        # A first-attempt pass is never capped.
        self.assertEqual(outcome(D("9.0"), D("9.0"), rules=capped).result, D("9.0"))

    def test_passing_first_attempt_ignores_a_stray_retake(self):
        result = outcome(D("6.0"), D("6.0"), D("9.0"))
        self.assertEqual((result.result, result.retaken), (D("6.0"), False))

    def test_absence_limit(self):
        # 20% of 60 periods = 12: 12 missed may sit the exam, 13 may not.
        self.assertTrue(exam_allowed(12, 60))
        self.assertFalse(exam_allowed(13, 60))
        self.assertTrue(exam_allowed(0, 0))
        self.assertEqual(outcome(D("9.0"), D("9.0"), missed=12, total=60).status, ModuleStatus.PASSED)
        barred = outcome(D("9.0"), D("9.0"), missed=13, total=60)
        self.assertEqual((barred.status, barred.result), (ModuleStatus.BARRED, None))
        self.assertTrue(barred.exam_barred)
        self.assertFalse(barred.may_retake)
        self.assertTrue(exam_allowed(13, 60, Rules(max_absence_percent=30)))

    def test_module_without_exam(self):
        result = module_outcome([Part(100, False, (D("4.0"),))])
        self.assertEqual(result.status, ModuleStatus.FAILED)


class ProgramAverageTests(SimpleTestCase):
    def test_weighted_by_periods(self):
        # (60 x 8 + 30 x 7) / 90 = 7,666... -> 7,67
        self.assertEqual(program_average([(60, D("8.0")), (30, D("7.0"))]), D("7.67"))

    def test_rounds_half_up_to_two_decimals(self):
        # (1 x 8,99 + 1 x 9,00) / 2 = 8,995 -> 9,00
        self.assertEqual(program_average([(1, D("8.99")), (1, D("9.00"))]), D("9.00"))

    def test_modules_without_periods_do_not_weigh(self):
        self.assertEqual(program_average([(60, D("8.0")), (0, D("2.0"))]), D("8.00"))
        self.assertIsNone(program_average([]))


class ClassifyTests(SimpleTestCase):
    def test_edges(self):
        cases = [
            ("10.00", Classification.EXCELLENT),
            ("9.00", Classification.EXCELLENT),
            ("8.99", Classification.GOOD),
            ("8.00", Classification.GOOD),
            ("7.99", Classification.FAIR),
            ("7.00", Classification.FAIR),
            ("6.99", Classification.AVERAGE),
            ("5.00", Classification.AVERAGE),
            ("4.99", None),
        ]
        for average, expected in cases:
            with self.subTest(average=average):
                self.assertEqual(classify(D(average)), (expected, False))
        self.assertEqual(classify(None), (None, False))

    def test_downgraded_one_step_after_a_retake_or_discipline(self):
        self.assertEqual(classify(D("9.2"), retaken=True), (Classification.GOOD, True))
        self.assertEqual(classify(D("8.0"), disciplined=True), (Classification.FAIR, True))
        self.assertEqual(classify(D("9.2"), retaken=True, disciplined=True), (Classification.GOOD, True))
        self.assertEqual(classify(D("7.0"), retaken=True), (Classification.AVERAGE, True))

    def test_never_below_average(self):
        self.assertEqual(classify(D("5.0"), retaken=True), (Classification.AVERAGE, False))
        self.assertEqual(classify(D("4.9"), retaken=True), (None, False))

    def test_downgrades_can_be_switched_off(self):
        rules = Rules(downgrade_after_retake=False, downgrade_for_discipline=False)
        self.assertEqual(
            classify(D("9.2"), retaken=True, disciplined=True, rules=rules), (Classification.EXCELLENT, False)
        )

    def test_configured_bands(self):
        bands = (Band("excellent", "Xuất sắc", D("9.5")), *DEFAULT_BANDS[1:])
        rules = Rules(bands=bands)
        self.assertEqual(classify(D("9.4"), rules=rules), (Classification.GOOD, False))

    def test_the_defaults_are_todays_bands(self):
        self.assertEqual(
            [(band.code, band.name, band.minimum) for band in DEFAULT_RULES.bands],
            [("excellent", "Xuất sắc", D("9.0")), ("good", "Giỏi", D("8.0")), ("fair", "Khá", D("7.0")),
             ("average", "Trung bình", D("5.0"))],
        )  # fmt: skip
        for average, earned in (("9.0", "excellent"), ("8.99", "good"), ("7.0", "fair"), ("6.99", "average"),
                                ("5.0", "average"), ("4.99", None)):  # fmt: skip
            with self.subTest(average):
                self.assertEqual(band(D(average)), earned)

    def test_a_fair_average_band(self):
        """The preset with Trung bình khá from 6,5: a 6,8 average earns it; a downgrade from
        Khá lands on it, and from it on Trung bình."""
        rules = Rules(bands=BANDS_WITH_FAIR_AVERAGE)
        self.assertEqual(classify(D("6.8"), rules=rules), ("fair_average", False))
        self.assertEqual(classify(D("6.5"), rules=rules), ("fair_average", False))
        self.assertEqual(classify(D("6.49"), rules=rules), ("average", False))
        self.assertEqual(classify(D("7.2"), retaken=True, rules=rules), ("fair_average", True))
        self.assertEqual(classify(D("6.8"), disciplined=True, rules=rules), ("average", True))
        self.assertEqual(classification_name("fair_average", rules), "Trung bình khá")
        self.assertEqual(classification_label("fair_average", rules), "Trung bình khá")
        self.assertEqual(classification_label("good", rules), "Giỏi")
        # A code a program's bands no longer have is still read with its default name.
        self.assertEqual(classification_name("fair"), "Khá")
        self.assertEqual(classification_name("fair_average"), "fair_average")

    def test_the_pass_mark_still_decides_who_passes(self):
        rules = Rules(pass_mark=D("5.5"))  # Trung bình from 5,0 but the pass mark is higher
        self.assertEqual(classify(D("5.4"), rules=rules), (None, False))
        self.assertEqual(classify(D("5.5"), rules=rules), ("average", False))


class BandCheckTests(SimpleTestCase):
    def test_good_bands(self):
        self.assertEqual(check_bands(DEFAULT_BANDS, D("5.0")), [])
        self.assertEqual(check_bands(BANDS_WITH_FAIR_AVERAGE, D("5.0")), [])
        self.assertEqual(bands_from_json(bands_to_json(BANDS_WITH_FAIR_AVERAGE)), BANDS_WITH_FAIR_AVERAGE)

    def test_each_problem_is_named(self):
        excellent, good, fair, average = DEFAULT_BANDS
        cases = {
            (excellent, Band("good", "Giỏi", D("9.0")), fair, average): "lower average",
            (excellent, Band("good", "Xuất sắc", D("8.0")), fair, average): "same name",
            (excellent, Band("fair", "Giỏi", D("8.0")), fair, average): "same code",
            (Band("excellent", "Xuất sắc", D("10.5")), good, fair, average): "from 0 to 10",
            (Band("excellent", "Xuất sắc", D("9.25")), good, fair, average): "one decimal",
            (excellent, good, fair, Band("average", "Trung bình", D("5.5"))): "pass mark (5,0)",
            (Band("Xuat sac", "Xuất sắc", D("9.0")), good, fair, average): "lowercase letters",
            (excellent, Band("good", "", D("8.0")), fair, average): "has no name",
            (): "at least one band",
        }
        for bands, words in cases.items():
            with self.subTest(words), translation.override("en"):
                problems = check_bands(bands, D("5.0"))
                self.assertEqual(len(problems), 1, problems)
                self.assertIn(words, problems[0])

    def test_stored_bands_that_are_not_bands(self):
        for data in ([], "x", [{"code": "a", "name": "A"}], [{"code": "a", "name": "A", "from": "chín"}]):
            with self.subTest(data), self.assertRaises(ValueError):
                bands_from_json(data)


class BandCountTests(SimpleTestCase):
    def test_each_share_rounded_half_up_on_its_own(self):
        """The demo class: 29 graduates, 1 Xuất sắc (3,45%), 7 Giỏi (24,14%), 19 Khá
        (65,52%), 2 Trung bình (6,90%): the shares add up to 100,01%, as schools print them."""
        codes = ["excellent"] + ["good"] * 7 + ["fair"] * 19 + ["average"] * 2
        counts = band_counts(list(reversed(codes)))
        self.assertEqual(
            [(item.name, item.count, item.share, item.share_text) for item in counts],
            [("Xuất sắc", 1, D("0.0345"), "3,45%"), ("Giỏi", 7, D("0.2414"), "24,14%"),
             ("Khá", 19, D("0.6552"), "65,52%"), ("Trung bình", 2, D("0.0690"), "6,90%")],
        )  # fmt: skip

    def test_half_up_not_to_even_and_unknown_codes_last(self):
        # 1 of 8 = 12,5% exactly; 1 of 160 = 0,625% -> 0,63% (half up, not 0,62%).
        self.assertEqual(band_counts(["good"] + ["fair"] * 159)[0].share_text, "0,63%")
        counts = band_counts(["fair_average", "good", "", None], Rules(bands=BANDS_WITH_FAIR_AVERAGE))
        self.assertEqual([(item.name, item.share_text) for item in counts],
                         [("Giỏi", "25,00%"), ("Trung bình khá", "25,00%")])  # fmt: skip
        counts = band_counts(["retired_code", "good"])
        self.assertEqual([item.name for item in counts], ["Giỏi", "retired_code"])


class ReconcileEssayTests(SimpleTestCase):
    def test_mean_when_close(self):
        self.assertEqual(reconcile_essay(D("7.0"), D("7.5")), D("7.3"))  # 7,25 -> 7,3
        self.assertEqual(reconcile_essay(D("7.0"), D("8.0")), D("7.5"))  # gap exactly 1,0

    def test_too_far_apart(self):
        self.assertIsNone(reconcile_essay(D("7.0"), D("8.1")))
        self.assertEqual(reconcile_essay(D("7.0"), D("8.1"), Rules(essay_max_gap=D("2.0"))), D("7.6"))


class CertificateTests(SimpleTestCase):
    def test_eligible(self):
        self.assertEqual(certificate_problems(missed_periods=0, scores=[D("5.0"), D("9.0")], disciplined=False), [])

    def test_each_condition(self):
        absent = "Không tham dự đầy đủ thời gian khóa học (vắng {} tiết)."
        unscored, below, disciplined = (
            "Còn bài kiểm tra chưa có điểm.",
            "Có bài kiểm tra dưới 5,0 điểm.",
            "Bị kỷ luật trong thời gian học.",
        )
        for (missed, scores, was_disciplined), problems in (
            ((1, [D("8.0")], False), [absent.format(1)]),
            ((0, [D("4.9")], False), [below]),
            ((0, [None], False), [unscored]),
            ((0, [D("8.0"), None], False), [unscored]),
            ((0, [], False), [unscored]),
            ((0, [D("8.0")], True), [disciplined]),
            ((2, [D("4.0")], True), [absent.format(2), below, disciplined]),
        ):
            with self.subTest(missed=missed, scores=scores, disciplined=was_disciplined):
                self.assertEqual(
                    certificate_problems(missed_periods=missed, scores=scores, disciplined=was_disciplined), problems
                )

    def test_the_minimum_score_is_the_programs(self):
        rules = Rules(certificate_min_score=D("6.5"))
        self.assertEqual(
            certificate_problems(missed_periods=0, scores=[D("6.4")], disciplined=False, rules=rules),
            ["Có bài kiểm tra dưới 6,5 điểm."],
        )
        self.assertEqual(certificate_problems(missed_periods=0, scores=[D("6.5")], disciplined=False, rules=rules), [])


class RoundingTests(SimpleTestCase):
    def test_round_half_up(self):
        self.assertEqual(round_half_up(D("8.995"), 2), D("9.00"))
        self.assertEqual(round_half_up(D("0.05"), 1), D("0.1"))
        self.assertEqual(round_half_up(D("2.5"), 0), D("3"))


class DefaultsTests(SimpleTestCase):
    def test_a_new_programs_rules_start_from_the_defaults(self):
        """``GradingRules``'s field defaults are read from ``DEFAULT_RULES``, the rules of a
        program without a row: one home for the defaults of issue 5."""
        for name in RULE_FIELDS:
            with self.subTest(name):
                default = GradingRules._meta.get_field(name).get_default()
                if name == "bands":
                    default = bands_from_json(default)
                self.assertEqual(default, getattr(DEFAULT_RULES, name))


class AbsenceShareTests(SimpleTestCase):
    def test_the_share_of_periods_missed_and_how_the_sheet_shows_it(self):
        """The sheet once showed it with ``widthratio``, which rounds 2,5% to 2% (to even);
        the one percentage filter rounds half up, as every figure of the school's."""
        outcome = ModuleOutcome(ModuleStatus.PENDING, missed_periods=1, total_periods=40)
        self.assertEqual(outcome.absence_share, D("0.025"))
        self.assertIsNone(ModuleOutcome(ModuleStatus.PENDING).absence_share)
        with translation.override("vi"):
            html = render_to_string(
                "grading/partials/outcome.html", {"enrollment": SimpleNamespace(pk=1), "outcome": outcome}
            )
        self.assertIn("1/40 (3%)", html)
