"""The SVG charts (``daotao.lib.charts``), read back as XML: an accessible image (role, title,
a description naming every figure), a viewBox, Vietnamese numbers, a legend for several
series, markup in labels escaped, and no label overlapping another or cut by the edge, with
the widths of the labels estimated as the module does (that estimate is checked against the
widest font the pages ask for, DejaVu Sans, when it is installed, and the documents' font).
Where a renderer really puts the labels: ``test_chart_labels``."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path
from unittest import skipUnless

from django.test import SimpleTestCase

from daotao.lib import charts, pdf
from daotao.lib.charts import Series, column_chart, horizontal_bar_chart, text_width, wrap
from daotao.lib.vietnamese import format_count, format_percent_value

SVG = "{http://www.w3.org/2000/svg}"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
DEJAVU_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")

LOCALITIES = [
    "Thành phố Bình An",
    "Huyện Tân Thành",
    "Thị xã Phú Mỹ",
    "Trung tâm Chính trị xã Tân Thành và các xã Đông Sơn, Ea Sim, An Lạc (sau sắp xếp năm 2025)",
    "Huyện Ea Sim",
    "Xã",
]
CATEGORIES = [
    "Trung cấp lý luận chính trị",
    "Bồi dưỡng theo ngạch công chức",
    "Bồi dưỡng lãnh đạo, quản lý",
    "Bồi dưỡng cán bộ cấp xã",
    "Khác",
]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def text_boxes(root: ET.Element) -> list[tuple[float, float, float, float, str]]:
    """(left, top, right, bottom, text) of every text, as a browser would lay it out with
    the module's width estimate: the anchor decides where the text stands, the font size
    how tall it is (ascent 0,8 em above the baseline, descent 0,25 em below); a text turned
    upright (``rotate(-90 x y)``, anchored at its end) hangs below its point, its ascent to
    the left."""
    boxes = []
    for text in root.iter(f"{SVG}text"):
        x, y, size = float(text.get("x")), float(text.get("y")), float(text.get("font-size"))
        content = "".join(text.itertext())
        width = text_width(content, size, bold=text.get("font-weight") == "bold")
        anchor = text.get("text-anchor", "start")
        if text.get("transform"):
            assert text.get("transform") == f"rotate(-90 {text.get('x')} {text.get('y')})" and anchor == "end"
            boxes.append((x - 0.8 * size, y, x + 0.25 * size, y + width, content))
            continue
        left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
        boxes.append((left, y - 0.8 * size, left + width, y + 0.25 * size, content))
    return boxes


class ChartAssertions(SimpleTestCase):
    def assertReadable(self, svg: str) -> ET.Element:
        """An accessible, scalable image whose labels neither overlap nor stick out."""
        root = parse(svg)
        self.assertEqual(root.tag, f"{SVG}svg")
        self.assertEqual(root.get("role"), "img")
        title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
        self.assertTrue(title is not None and title.text)
        self.assertTrue(desc is not None and desc.text)
        self.assertEqual(root.get("aria-labelledby"), f"{title.get('id')} {desc.get('id')}")
        _x, _y, width, height = (float(value) for value in root.get("viewBox").split())
        boxes = text_boxes(root)
        for left, top, right, bottom, content in boxes:
            with self.subTest(text=content):
                self.assertGreaterEqual(left, 0)
                self.assertGreaterEqual(top, 0)
                self.assertLessEqual(right, width)
                self.assertLessEqual(bottom, height)
        for first, second in itertools.combinations(boxes, 2):
            overlap = first[0] < second[2] and second[0] < first[2] and first[1] < second[3] and second[1] < first[3]
            self.assertFalse(overlap, f"{first[4]!r} overlaps {second[4]!r}")
        return root

    def texts(self, root: ET.Element) -> list[str]:
        return ["".join(text.itertext()) for text in root.iter(f"{SVG}text")]


class HorizontalBarChartTests(ChartAssertions):
    def chart(self, **options) -> str:
        series = [
            Series("Chỉ tiêu", [160, 85, 1040, 20, 0, 4419761]),
            Series("Đã mở", [161, 75, 1040, 0, 7, 12]),
        ]
        return horizontal_bar_chart(LOCALITIES, series, "Chỉ tiêu và đã mở", chart_id="q", **options)

    def test_long_locality_names_are_wrapped_not_cut_and_nothing_overlaps(self):
        root = self.assertReadable(self.chart())
        texts = self.texts(root)
        # Every word of every name is there, the longest name on several lines.
        for name in LOCALITIES:
            for word in name.split():
                self.assertTrue(any(word in text for text in texts), word)
        longest = LOCALITIES[3]
        self.assertNotIn(longest, texts)
        labels = ["".join(text.itertext()) for text in root.iter(f"{SVG}text") if text.get("text-anchor") == "end"]
        lines = [text for text in labels if text in longest]
        self.assertGreater(len(lines), 1)
        self.assertEqual(" ".join(lines), longest)

    def test_every_figure_the_vietnamese_way_in_the_description_and_on_the_bars(self):
        root = self.assertReadable(self.chart())
        desc = root.find(f"{SVG}desc").text
        self.assertIn("Thành phố Bình An: Chỉ tiêu 160, Đã mở 161", desc)
        self.assertIn("Xã: Chỉ tiêu 4.419.761, Đã mở 12", desc)
        texts = self.texts(root)
        for value in ("160", "161", "1.040", "4.419.761", "0", "7"):
            self.assertIn(value, texts)

    def test_a_legend_for_several_series_none_for_one(self):
        root = self.assertReadable(self.chart())
        self.assertIn("Chỉ tiêu", self.texts(root))
        self.assertIn("Đã mở", self.texts(root))
        single = horizontal_bar_chart(["A", "B"], [Series("Học viên", [3, 4])], "Một dãy", chart_id="s")
        self.assertNotIn("Học viên", self.texts(self.assertReadable(single)))

    def test_stacked_bars_write_the_total_at_the_end_and_segments_inside_when_they_fit(self):
        series = [Series("Được hỗ trợ kinh phí", [559, 1, 0]), Series("Tự túc kinh phí", [481, 0, 0])]
        svg = horizontal_bar_chart(
            ["Huyện Tân Thành", "Thị xã Phú Mỹ", "Huyện Ea Sim"],
            series,
            "Kinh phí",
            chart_id="f",
            stacked=True,
            total_label="tổng",
        )
        root = self.assertReadable(svg)
        texts = self.texts(root)
        self.assertIn("1.040", texts)  # the total, bold
        self.assertIn("559", texts)
        self.assertIn("481", texts)
        self.assertIn("Huyện Tân Thành: Được hỗ trợ kinh phí 559, Tự túc kinh phí 481, tổng 1.040", root[1].text)
        bold = [text.text for text in root.iter(f"{SVG}text") if text.get("font-weight") == "bold"]
        self.assertEqual(bold, ["1.040", "1", "0"])
        # A segment of 1 among 559 is too thin for its label: not written, but in the description.
        self.assertIn("Thị xã Phú Mỹ: Được hỗ trợ kinh phí 1, Tự túc kinh phí 0, tổng 1", root[1].text)

    def test_percentages_on_a_fixed_scale(self):
        svg = horizontal_bar_chart(
            [
                "Lớp được đánh giá về chương trình, giảng viên, cơ sở vật chất và tổ chức",
                "Lớp được đánh giá về học viên",
            ],
            [Series("Đã thực hiện", [Decimal("66.67"), Decimal("0")]), Series("Chỉ tiêu", [Decimal(20), Decimal(10)])],
            "Tỷ lệ",
            chart_id="c",
            value_format=format_percent_value,
            scale_max=100,
        )
        root = self.assertReadable(svg)
        self.assertIn("66,67%", self.texts(root))
        widths = {rect.find(f"{SVG}title").text: float(rect.get("width")) for rect in root.iter(f"{SVG}rect")
                  if rect.find(f"{SVG}title") is not None}  # fmt: skip
        done = widths["Lớp được đánh giá về chương trình, giảng viên, cơ sở vật chất và tổ chức – Đã thực hiện: 66,67%"]
        target = widths["Lớp được đánh giá về chương trình, giảng viên, cơ sở vật chất và tổ chức – Chỉ tiêu: 20,00%"]
        self.assertAlmostEqual(done / target, 66.67 / 20, places=1)

    def test_markup_in_names_is_text(self):
        svg = horizontal_bar_chart(
            ['<script>alert("x")</script> & Co', "B"],
            [Series("<b>Chỉ tiêu</b>", [1, 2]), Series("Đã mở", [2, 1])],
            "Tiêu đề <i>",
            chart_id="m",
        )
        self.assertNotIn("<script>", svg)
        self.assertNotIn("<b>", svg)
        root = self.assertReadable(svg)  # still well-formed XML
        self.assertEqual(root.find(f"{SVG}title").text, "Tiêu đề <i>")
        self.assertIn("<b>Chỉ tiêu</b>", self.texts(root))

    def test_a_series_of_the_wrong_length_is_refused(self):
        with self.assertRaises(ValueError):
            horizontal_bar_chart(["A", "B"], [Series("x", [1])], "t", chart_id="w")
        with self.assertRaises(ValueError):
            horizontal_bar_chart(["A"], [], "t", chart_id="w")

    def test_no_rows_still_an_image(self):
        self.assertReadable(horizontal_bar_chart([], [Series("x", [])], "Trống", chart_id="e"))


class ColumnChartTests(ChartAssertions):
    def test_a_five_year_trend_stacked_by_category(self):
        years = ["2022", "2023", "2024", "2025", "2026"]
        values = [[13, 14, 15, 13, 15], [19, 15, 0, 19, 22], [3, 2, 1, 3, 3], [8, 6, 0, 8, 9], [0, 0, 1, 0, 1]]
        svg = column_chart(
            years,
            [Series(name, row) for name, row in zip(CATEGORIES, values, strict=True)],
            "Lớp mở mới",
            chart_id="t",
            stacked=True,
            total_label="tổng",
            value_format=format_count,
        )
        root = self.assertReadable(svg)
        texts = self.texts(root)
        for year in years:
            self.assertIn(year, texts)
        for name in CATEGORIES:  # the legend
            self.assertIn(name, texts)
        self.assertIn("43", texts)  # 2022's total
        desc = root.find(f"{SVG}desc").text
        self.assertIn(
            "2022: Trung cấp lý luận chính trị 13, Bồi dưỡng theo ngạch công chức 19, Bồi dưỡng lãnh đạo, quản lý 03, "
            "Bồi dưỡng cán bộ cấp xã 08, Khác 0, tổng 43",
            desc,
        )

    def test_students_in_the_thousands_side_by_side(self):
        svg = column_chart(
            ["2025", "2026"],
            [Series(name, [1040 * (i + 1), 2135]) for i, name in enumerate(CATEGORIES)],
            "Học viên",
            chart_id="g",
        )
        root = self.assertReadable(svg)
        # Five bars side by side in a slot of 472 px: each is wide enough for its figure.
        for value in ("1.040", "2.080", "5.200", "2.135"):
            self.assertIn(value, self.texts(root))

    def test_twelve_months_fit_their_labels(self):
        months = [f"Tháng {month}" for month in range(1, 13)]
        root = self.assertReadable(
            column_chart(
                months, [Series("Lớp đang học", [18, 21, 0, 26, 27, 26, 28, 31, 30, 30, 27, 24])], "t", chart_id="m"
            )
        )
        texts = self.texts(root)
        self.assertIn("Tháng 12", texts)
        self.assertIn("31", texts)

    def test_labels_too_wide_for_a_narrow_chart_wrap_and_values_that_do_not_fit_are_left_out(self):
        svg = column_chart(
            ["Trung cấp lý luận chính trị", "Bồi dưỡng theo ngạch công chức"],
            [Series(str(i), [4419761, 1]) for i in range(4)],
            "Hẹp",
            chart_id="n",
            width=300,
        )
        root = self.assertReadable(svg)
        texts = self.texts(root)
        self.assertNotIn("4.419.761", texts)  # too wide for a bar of 28 px: only in the description
        self.assertIn("Trung cấp lý luận chính trị: 0 4.419.761", root.find(f"{SVG}desc").text)

    def test_series_are_told_apart_in_grey(self):
        """Solid fills far apart in lightness, then patterns, each with its own id."""
        svg = column_chart(["2026"], [Series(str(i), [i + 1]) for i in range(6)], "t", chart_id="grey", stacked=True)
        root = self.assertReadable(svg)
        solid = [colour for kind, colour, _text in charts.FILLS if kind == "solid"]

        def lightness(colour: str) -> float:
            red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
            return 0.2126 * red + 0.7152 * green + 0.0722 * blue

        for first, second in itertools.combinations(solid, 2):
            self.assertGreater(abs(lightness(first) - lightness(second)), 40)
        patterns = [pattern.get("id") for pattern in root.iter(f"{SVG}pattern")]
        self.assertEqual(patterns, ["grey-p2", "grey-p4", "grey-p5"])
        fills = {rect.get("fill") for rect in root.iter(f"{SVG}rect") if rect.find(f"{SVG}title") is not None}
        self.assertEqual(len(fills), 6)


class BarChartTests(ChartAssertions):
    def test_the_distribution_chart_moved_here(self):
        svg = charts.bar_chart([("dưới 5", 1), ("5 đến dưới 6", 1040)], "Điểm", chart_id="d")
        root = parse(svg)
        self.assertEqual(root.get("role"), "img")
        self.assertIn("dưới 5: 1; 5 đến dưới 6: 1.040", root.find(f"{SVG}desc").text)


class TextTests(SimpleTestCase):
    def test_wrap_keeps_every_word_within_the_limit(self):
        text = "Trung tâm Chính trị xã Tân Thành và các xã Đông Sơn, Ea Sim"
        lines = wrap(text, 12, 120)
        self.assertEqual(" ".join(lines), text)
        self.assertTrue(all(text_width(line, 12) <= 120 for line in lines))
        self.assertEqual(wrap("", 12, 100), [""])
        # A word wider than the limit alone is broken inside.
        long = wrap("Xãrấtrấtrấtdàikhôngcódấucách", 12, 60)
        self.assertGreater(len(long), 1)
        self.assertEqual("".join(long), "Xãrấtrấtrấtdàikhôngcódấucách")
        self.assertTrue(all(text_width(line, 12) <= 60 for line in long))
        # Its first part fills the line it starts on.
        numbered = wrap("1. Xãrấtrấtrấtdàikhôngcódấucách", 12, 60)
        self.assertTrue(numbered[0].startswith("1. Xã"), numbered)
        self.assertEqual("".join(numbered), "1. Xãrấtrấtrấtdàikhôngcódấucách")
        self.assertTrue(all(text_width(line, 12) <= 60 for line in numbered))

    @skipUnless(DEJAVU.is_file() and DEJAVU_BOLD.is_file(), "DejaVu Sans is not installed")
    def test_the_width_estimate_is_never_narrower_than_dejavu_sans(self):
        self.assertEstimateBounds(((DEJAVU, False), (DEJAVU_BOLD, True)))

    def test_the_width_estimate_is_never_narrower_than_the_documents_font(self):
        """The font ``html_to_pdf`` prints the charts of documents in."""
        self.assertEstimateBounds(((pdf.FACES["normal", "normal"], False), (pdf.FACES["bold", "normal"], True)))

    def assertEstimateBounds(self, fonts) -> None:
        from PIL import ImageFont

        samples = [
            *LOCALITIES,
            *CATEGORIES,
            "Bồi dưỡng Bí thư, Phó Bí thư Thường trực cấp xã",
            "4.419.761",
            "100,00%",
            "MWMW mmm www",
            "ĐẠI HỘI ĐẢNG BỘ TỈNH",
            "Lớp được đánh giá sau khóa học (đợt kết thúc trong năm)",
            "Tháng 12",
        ]
        for path, bold in fonts:
            font = ImageFont.truetype(str(path), 100)
            for sample in samples:
                with self.subTest(font=path.name, sample=sample, bold=bold):
                    self.assertGreaterEqual(text_width(sample, 100, bold=bold), font.getlength(sample))
