"""Where the texts of a chart land once a renderer has drawn them: the SVG is printed by
WeasyPrint (``daotao.lib.pdf.html_to_pdf``) on a page exactly as large as its viewBox, and
every glyph's box is read back from the PDF (pdfminer.six), as the printed documents are
(``daotao.testing_documents``). The letters are measured in the font the renderer really
used, not estimated, and in two fonts: the documents' own (``daotao.lib.pdf.FAMILY``, which
``html_to_pdf`` gives every chart it prints) and DejaVu Sans, the widest of the fonts the
pages ask for (``static/css/daotao.css``: Segoe UI, Noto Sans, DejaVu Sans, Arial).

``chart_layout_problems(svg)`` lists every text that is not printed as written, leaves the
viewBox, or lies on another text. WeasyPrint draws an SVG text letter by letter (spaces are
not drawn), in the order of the document: the glyphs read back are matched to the
``<text>`` elements in that order, so that each problem names the texts concerned. A text
turned upright is measured turned (its glyphs' boxes are those of the turned letters).

The chart's own texts only: ``<title>`` and ``<desc>`` are not drawn.
"""

from __future__ import annotations

import io
import itertools
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTChar, LTContainer, LTPage
from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.utils import apply_matrix_rect

from daotao.lib import charts
from daotao.lib.charts import Series
from daotao.lib.pdf import FAMILY, FONT_NAME, html_to_pdf
from daotao.lib.vietnamese import format_percent_value

SVG = "{http://www.w3.org/2000/svg}"
PT_PER_PX = 0.75
# The fonts a chart is measured in: (the family asked for, the name the PDF gives it).
PRINTED = (FAMILY, FONT_NAME)
SCREEN = ("DejaVu Sans", "DejaVu-Sans")
# Glyph boxes may share this much (points) without counting as overlap: anti-aliasing, and
# the boxes of letters that merely touch.
TOLERANCE = 0.4


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        return (
            self.x0 < other.x1 - TOLERANCE
            and other.x0 < self.x1 - TOLERANCE
            and self.y0 < other.y1 - TOLERANCE
            and other.y0 < self.y1 - TOLERANCE
        )


@dataclass(frozen=True)
class PrintedText:
    """One ``<text>`` of the chart: what it says and the box of each of its glyphs (points,
    origin at the bottom left of the viewBox)."""

    text: str
    glyphs: tuple[Box, ...]

    @property
    def box(self) -> Box:
        return Box(
            min(glyph.x0 for glyph in self.glyphs),
            min(glyph.y0 for glyph in self.glyphs),
            max(glyph.x1 for glyph in self.glyphs),
            max(glyph.y1 for glyph in self.glyphs),
        )

    def overlaps(self, other: PrintedText) -> bool:
        if not self.glyphs or not other.glyphs or not self.box.overlaps(other.box):
            return False
        return any(mine.overlaps(theirs) for mine in self.glyphs for theirs in other.glyphs)


def _visible(text: str) -> str:
    return "".join(character for character in unicodedata.normalize("NFC", text) if not character.isspace())


def view_box(svg: str) -> tuple[float, float]:
    _x, _y, width, height = (float(value) for value in ET.fromstring(svg).get("viewBox").split())
    return width, height


def chart_pdf(svg: str, family: str = FAMILY) -> bytes:
    """The chart alone on a page of its viewBox's size (1 px of the viewBox = 0,75 pt), its
    texts in ``family`` (by default the one ``html_to_pdf`` gives it)."""
    width, height = view_box(svg)
    if family != FAMILY:
        svg = svg.replace("<svg ", f'<svg font-family="{family}" ', 1)
    # A test's own page, never served: the Content-Security-Policy of the pages does not apply.
    html = (
        "<html><head><style>"
        f"@page {{ size: {width}px {height}px; margin: 0 }} body {{ margin: 0 }} svg {{ display: block }}"
        f"</style></head><body>{svg}</body></html>"
    )
    return html_to_pdf(html)


class _Glyph(LTChar):
    """A glyph with the box of its line of text: from the font's descent to its ascent (as a
    browser measures a text), where pdfminer's box is one em from the descent, lower than
    the Vietnamese letters with two diacritics."""

    def __init__(self, matrix, font, fontsize, scaling, rise, *args) -> None:
        super().__init__(matrix, font, fontsize, scaling, rise, *args)
        box = (0, font.get_descent() * fontsize + rise, self.adv, font.get_ascent() * fontsize + rise)
        x0, y0, x1, y1 = apply_matrix_rect(matrix, box)
        self.line_box = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


class _Aggregator(PDFPageAggregator):
    def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate) -> float:
        try:
            text = font.to_unichr(cid)
        except PDFUnicodeNotDefined:
            text = self.handle_undefined_char(font, cid)
        glyph = _Glyph(
            matrix, font, fontsize, scaling, rise, text, font.char_width(cid), font.char_disp(cid), ncs, graphicstate
        )
        self.cur_item.add(glyph)
        return glyph.adv


def _pages(content: bytes) -> list[LTPage]:
    """The pages as drawn, in the order of the drawing: no layout analysis (``extract_pages``
    always does one, which sorts the texts)."""
    resources = PDFResourceManager()
    device = _Aggregator(resources, laparams=None)
    interpreter = PDFPageInterpreter(resources, device)
    pages = []
    for page in PDFPage.get_pages(io.BytesIO(content)):
        interpreter.process_page(page)
        pages.append(device.get_result())
    return pages


def _glyphs(container) -> list[LTChar]:
    found = []
    for item in container:
        if isinstance(item, LTChar):
            found.append(item)
        elif isinstance(item, LTContainer):
            found.extend(_glyphs(item))
    return found


def printed_texts(svg: str, font: tuple[str, str] = PRINTED) -> tuple[list[PrintedText], float, float, list[str]]:
    """(the texts as printed in ``font``, the page's width and height in points, problems
    in matching the glyphs to the texts)."""
    family, font_name = font
    pages = _pages(chart_pdf(svg, family))
    problems = [] if len(pages) == 1 else [f"printed on {len(pages)} pages"]
    page = pages[0]
    glyphs = [glyph for glyph in _glyphs(page) if not glyph.get_text().isspace()]
    others = {glyph.fontname for glyph in glyphs if font_name not in glyph.fontname}
    if others:
        problems.append(f"measured in {sorted(others)}, not in {family}")
    texts, position = [], 0
    for element in ET.fromstring(svg).iter(f"{SVG}text"):
        content = "".join(element.itertext())
        wanted = _visible(content)
        mine = glyphs[position : position + len(wanted)]
        position += len(wanted)
        printed = "".join(glyph.get_text() for glyph in mine)
        if _visible(printed) != wanted:
            problems.append(f"{content!r} printed as {printed!r}")
        texts.append(PrintedText(content, tuple(Box(*glyph.line_box) for glyph in mine)))
    if position != len(glyphs):
        problems.append(f"{len(glyphs) - position} glyphs printed that no text has")
    return texts, page.width, page.height, problems


def chart_layout_problems(svg: str, fonts: tuple[tuple[str, str], ...] = (PRINTED, SCREEN)) -> list[str]:
    """Texts not printed as written, outside the viewBox, or on another text, in each of
    ``fonts``; one line each, starting with the font."""
    problems = []
    for font in fonts:
        problems += [f"{font[0]}: {problem}" for problem in _problems(*printed_texts(svg, font))]
    return problems


def _problems(texts: list[PrintedText], width: float, height: float, problems: list[str]) -> list[str]:
    problems = list(problems)
    for text in texts:
        if not text.glyphs:
            continue
        box = text.box
        if box.x0 < -TOLERANCE or box.y0 < -TOLERANCE or box.x1 > width + TOLERANCE or box.y1 > height + TOLERANCE:
            problems.append(
                f"{text.text!r} leaves the viewBox ({box.x0:.1f}, {box.y0:.1f}, {box.x1:.1f}, {box.y1:.1f} "
                f"in 0, 0, {width:.1f}, {height:.1f} pt)"
            )
    for first, second in itertools.combinations(texts, 2):
        if first.overlaps(second):
            problems.append(f"{first.text!r} overlaps {second.text!r}")
    return problems


def _visible_words(text: str) -> str:
    return "".join(text.split())


def missing_labels(svg: str, labels: Sequence[str]) -> list[str]:
    """The labels not kept whole: each must be written on the chart (its lines one after
    the other, or in the key of numbered columns), named in the description with its
    figures, and start the tooltip of one of its bars (unless all its bars are 0, as a
    stacked column's)."""
    root = ET.fromstring(svg)
    shown = _visible_words("".join("".join(text.itertext()) for text in root.iter(f"{SVG}text")))
    desc = root.find(f"{SVG}desc").text or ""
    tooltips = [title.text or "" for title in root.iter(f"{SVG}title")]
    problems = []
    for label in labels:
        if _visible_words(label) not in shown:
            problems.append(f"{label!r} is not written whole")
        if f"{label}: " not in desc:
            problems.append(f"{label!r} is not in the description")
        if not any(tooltip.startswith(label) for tooltip in tooltips):
            problems.append(f"{label!r} has no tooltip")
    return problems


# --- every chart, as its callers draw it ----------------------------------------------------

HUGE = 4_419_761_000_000


def values(count: int, offset: int = 0) -> list[int]:
    """0, a huge value, and ordinary ones between."""
    return [(0, HUGE, 7, 1040)[(index + offset) % 4] for index in range(count)]


def every_chart(labels: Sequence[str], names: Sequence[str]) -> dict[str, str]:
    """Every chart ``daotao.lib.charts`` draws, with the options its callers give it (the
    graduation report, an evaluation question, the board's sections), over ``labels``; the
    series named after ``names`` (four of them)."""
    labels = list(labels)
    count = len(labels)
    two = [Series(names[0], values(count)), Series(names[1], values(count, 1))]
    three = [*two, Series(names[2], values(count, 2))]
    bars = list(zip(labels, values(count), strict=True))
    percents = [Series(names[3], [Decimal("66.67")] * count), Series(names[0], [Decimal(0)] * count)]
    return {
        "bar_chart": charts.bar_chart(bars, "t", chart_id="b"),
        "bar_chart (survey)": charts.bar_chart(bars, "t", chart_id="s", width=max(320, 44 * count + 24), height=200),
        "column_chart (one series)": charts.column_chart(labels, [Series("n", values(count))], "t", chart_id="c1"),
        "column_chart (side by side)": charts.column_chart(labels, three, "t", chart_id="c3"),
        "column_chart (stacked)": charts.column_chart(
            labels, three, "t", chart_id="cs", stacked=True, total_label="tổng"
        ),
        "horizontal_bar_chart (one series)": charts.horizontal_bar_chart(
            labels, [Series("n", values(count))], "t", chart_id="h1"
        ),
        "horizontal_bar_chart (two series)": charts.horizontal_bar_chart(labels, two, "t", chart_id="h2"),
        "horizontal_bar_chart (stacked)": charts.horizontal_bar_chart(
            labels, three, "t", chart_id="hs", stacked=True, total_label="tổng"
        ),
        "horizontal_bar_chart (percent)": charts.horizontal_bar_chart(
            labels, percents, "t", chart_id="hp", value_format=format_percent_value, scale_max=100
        ),
    }
