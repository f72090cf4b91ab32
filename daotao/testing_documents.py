"""Where the words of a printed document land: read back from the PDF itself (pdfminer.six),
so that a test can say that no word sits on another and none runs off the page.

``pdf_layout_problems(content)`` lists, in Vietnamese-free plain words for a test's failure
message, every word that leaves its page and every pair of words whose boxes overlap by more
than ``OVERLAP`` of the smaller one (glyph boxes of neighbouring lines touch a little; text
printed on text covers much more).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTChar, LTTextContainer, LTTextLine

# The share of the smaller word's box another word may cover before it counts as overlap.
OVERLAP = 0.25
# How far (in points) a glyph box may pass the page's edge (a font's box is a little wider
# than what it draws).
EDGE = 1.0


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def area(self) -> float:
        return max(self.x1 - self.x0, 0) * max(self.y1 - self.y0, 0)

    def covered_by(self, other: Word) -> float:
        """The share of this word's box (or of the other's, whichever is smaller) that the
        two boxes have in common."""
        width = min(self.x1, other.x1) - max(self.x0, other.x0)
        height = min(self.y1, other.y1) - max(self.y0, other.y0)
        if width <= 0 or height <= 0:
            return 0.0
        smaller = min(self.area, other.area) or 1.0
        return width * height / smaller


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    words: list[Word]


def _words_of(line: LTTextLine) -> list[Word]:
    words, chars = [], []

    def flush():
        if chars:
            words.append(
                Word(
                    "".join(char.get_text() for char in chars),
                    min(char.x0 for char in chars),
                    min(char.y0 for char in chars),
                    max(char.x1 for char in chars),
                    max(char.y1 for char in chars),
                )
            )
            chars.clear()

    for item in line:
        if isinstance(item, LTChar) and not item.get_text().isspace():
            chars.append(item)
        else:
            flush()
    flush()
    return words


def pdf_pages(content: bytes) -> list[Page]:
    """Every page of the PDF with its words and their boxes (points, origin bottom left)."""
    pages = []
    for number, layout in enumerate(extract_pages(io.BytesIO(content), laparams=LAParams()), start=1):
        words = []
        for element in layout:
            if isinstance(element, LTTextContainer):
                for line in element:
                    if isinstance(line, LTTextLine):
                        words.extend(_words_of(line))
        pages.append(Page(number, layout.width, layout.height, words))
    return pages


def pdf_layout_problems(content: bytes) -> list[str]:
    """Words off their page and words printed on other words, one line each."""
    problems = []
    for page in pdf_pages(content):
        for word in page.words:
            if word.x0 < -EDGE or word.y0 < -EDGE or word.x1 > page.width + EDGE or word.y1 > page.height + EDGE:
                problems.append(f"page {page.number}: {word.text!r} runs off the page")
        words = sorted(page.words, key=lambda word: word.x0)
        for index, word in enumerate(words):
            for other in words[index + 1 :]:
                if other.x0 >= word.x1:
                    break
                if word.covered_by(other) > OVERLAP:
                    problems.append(f"page {page.number}: {word.text!r} and {other.text!r} overlap")
    return problems
