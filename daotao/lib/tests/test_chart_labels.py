"""Chart labels never overlap and never leave the chart, proven by a renderer: each chart is
printed by WeasyPrint and every glyph read back (``chart_layout``), in the documents' font
and in DejaVu Sans, the widest the pages ask for. The labels are built to break a chart:
60-letter words without a space, thirty bars, one-letter labels, Vietnamese letters with
two diacritics, a value of 0 beside a huge one, and as long series names. Every label stays
whole: on the chart (on its lines, or in the key of numbered columns), in the description
and in its bar's tooltip. The labels the demo really has: ``dashboards/tests/test_chart_labels``."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from django.test import SimpleTestCase

from daotao.lib import charts
from daotao.lib.charts import Series
from daotao.lib.tests.chart_layout import (
    HUGE,
    SVG,
    chart_layout_problems,
    every_chart,
    missing_labels,
    printed_texts,
    values,
)
from daotao.lib.vietnamese import format_int

# 60 letters, no space: diacritics, capitals, the widest letters.
WORDS = [
    ("Trungtâmchínhtrịhuyệnđảo" * 3)[:60],
    "ẪẴỄỖỠỮẰẲẾỀỂỆỐỒỔỘỚỜỞỢỨỪỬỰẤẦẨẬẮẶÝỲỶỸỴÚÙỦŨỤÍÌỈĨỊÉÈẺẼẸÓÒỎÕỌÁÀ",
    "W" * 30 + "m" * 30,
]
DIACRITICS = "Ủy ban nhân dân xã Ẵng Ửng Ễnh Ỗng, huyện Ỷ Ỳ Ỹ, tỉnh Bình Định"
ONE_LETTER = ["A", "ẫ", "1", "Ư", "i", "W", "Ỹ", "m", "Đ", "l", "ộ", "Q"]
THIRTY = [
    f"{name} {number}"
    for number, name in enumerate(
        ["Thành phố Bình An", "Xã", "Trung tâm Chính trị huyện Ea Sim và các xã lân cận", WORDS[0][:24], "Ỹ"] * 6,
        start=1,
    )
]
LABEL_SETS = {
    "60-letter words": [*WORDS, DIACRITICS, "A"],
    "thirty bars": THIRTY,
    "one letter each": ONE_LETTER,
}


class ChartLabelTests(SimpleTestCase):
    def assertLaidOut(self, svg: str, labels: list[str], what: str) -> None:
        """Nothing on anything, nothing outside, every label whole."""
        self.assertEqual(chart_layout_problems(svg), [], what)
        self.assertEqual(missing_labels(svg, labels), [], what)

    def test_every_chart_with_labels_built_to_break_it(self):
        for set_name, labels in LABEL_SETS.items():
            for chart_name, svg in every_chart(labels, [WORDS[0], DIACRITICS, "B", WORDS[1]]).items():
                with self.subTest(labels=set_name, chart=chart_name):
                    self.assertLaidOut(svg, labels, f"{chart_name}, {set_name}")

    def test_crowded_columns_turn_their_labels_upright_then_number_them(self):
        months = [f"Tháng {month}" for month in range(1, 31)]
        upright = charts.column_chart(months, [Series("n", values(30))], "t", chart_id="u")
        self.assertLaidOut(upright, months, "upright")
        turned = [text for text in ET.fromstring(upright).iter(f"{SVG}text") if text.get("transform")]
        self.assertEqual(["".join(text.itertext()) for text in turned], months)

        keyed = charts.column_chart(THIRTY, [Series("n", values(30))], "t", chart_id="k")
        texts = ["".join(text.itertext()) for text in ET.fromstring(keyed).iter(f"{SVG}text")]
        self.assertIn("30", texts)  # under the last column
        self.assertIn(f"30. {THIRTY[-1]}", texts)  # in the key

        # Few enough to fit flat: written flat, wrapped between words.
        flat = charts.column_chart(["Thành phố Bình An", "Xã"], [Series("n", [3, 4])], "t", chart_id="f")
        self.assertFalse([text for text in ET.fromstring(flat).iter(f"{SVG}text") if text.get("transform")])

    def test_columns_too_many_for_the_width_widen_the_chart(self):
        svg = charts.bar_chart([(str(number), number) for number in range(200)], "t", chart_id="w")
        width = float(ET.fromstring(svg).get("viewBox").split()[2])
        self.assertGreaterEqual(width, 200 * charts.MIN_SLOT)
        self.assertLaidOut(svg, [str(number) for number in range(200)], "200 columns")

    def test_a_value_too_wide_for_its_column_is_left_to_the_tooltip_and_the_description(self):
        svg = charts.bar_chart([(str(number), HUGE if number == 3 else number) for number in range(30)], "t")
        self.assertLaidOut(svg, [str(number) for number in range(30)], "huge")
        root = ET.fromstring(svg)
        huge = format_int(HUGE)
        self.assertNotIn(huge, ["".join(text.itertext()) for text in root.iter(f"{SVG}text")])
        self.assertIn(f"3: {huge}", [title.text for title in root.iter(f"{SVG}title")])
        self.assertIn(f"3: {huge}", root.find(f"{SVG}desc").text)


class TheCheckBitesTests(SimpleTestCase):
    """The reading back finds what it is there to find."""

    def svg(self, body: str, width: int = 200, height: int = 60) -> str:
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}">{body}</svg>'
        )

    def test_text_on_text_outside_the_view_box_and_turned_text_are_found(self):
        problems = chart_layout_problems(
            self.svg(
                '<text x="10" y="20" font-size="12">Bình An</text>'
                '<text x="30" y="24" font-size="12">Tân Thành</text>'
                '<text x="170" y="50" font-size="12">Phú Mỹ</text>'
                '<text x="100" y="55" font-size="12">ở</text>'
                '<text x="60" y="40" font-size="12" text-anchor="end" transform="rotate(-90 60 40)">Đứng</text>'
            )
        )
        self.assertIn("DaoTao Serif: 'Bình An' overlaps 'Tân Thành'", problems)
        self.assertTrue(any(p.startswith("DejaVu Sans: 'Phú Mỹ' leaves the viewBox") for p in problems), problems)
        # Upright, "Đứng" hangs from y 40 down past the bottom (60).
        self.assertTrue(any(p.startswith("DejaVu Sans: 'Đứng' leaves the viewBox") for p in problems), problems)
        # Baseline 5 px above the bottom: its descent (0,24 em, 2,9 px) stays inside.
        self.assertFalse([p for p in problems if "'ở'" in p], problems)

    def test_neighbouring_lines_and_words_are_not_overlap(self):
        self.assertEqual(
            chart_layout_problems(
                self.svg(
                    '<text x="10" y="20" font-size="12">Trung tâm Chính trị</text>'
                    '<text x="10" y="35" font-size="12">Ễnh Ỗng Ủy ban</text>'
                    '<text x="150" y="20" font-size="12">Xã</text>'
                )
            ),
            [],
        )

    def test_every_glyph_is_matched_to_its_text(self):
        texts, _width, _height, problems = printed_texts(
            self.svg('<text x="10" y="20" font-size="12">Một hai</text><text x="10" y="40" font-size="12">ba</text>')
        )
        self.assertEqual(problems, [])
        self.assertEqual([(text.text, len(text.glyphs)) for text in texts], [("Một hai", 6), ("ba", 2)])
