"""Where the words of a printed document land: read back from the PDF itself (pdfminer.six),
so that a test can say that no word sits on another and none runs off the page.

``pdf_layout_problems(content)`` lists, in Vietnamese-free plain words for a test's failure
message, every word that leaves its page and every pair of words whose boxes overlap by more
than ``OVERLAP`` of the smaller one (glyph boxes of neighbouring lines touch a little; text
printed on text covers much more).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import unittest
from dataclasses import dataclass
from pathlib import Path

from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTChar, LTFigure, LTTextContainer, LTTextLine
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import resolve1

# How far from the sheet's edge a printer prints (about 5 mm): words must stay inside.
PRINTABLE_MARGIN = 14.0
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
    # all_texts: the text inside figures too (a chart's labels, drawn in nested objects).
    for number, layout in enumerate(extract_pages(io.BytesIO(content), laparams=LAParams(all_texts=True)), start=1):
        pages.append(Page(number, layout.width, layout.height, _words_in(layout)))
    return pages


def _words_in(container) -> list[Word]:
    words = []
    for element in container:
        if isinstance(element, LTTextLine):
            words.extend(_words_of(element))
        elif isinstance(element, LTTextContainer | LTFigure):
            words.extend(_words_in(element))
    return words


def pdf_layout_problems(content: bytes, margin: float = PRINTABLE_MARGIN) -> list[str]:
    """Words outside the printable area (``margin`` points inside the sheet's edges) and
    words printed on other words, one line each."""
    problems = []
    for page in pdf_pages(content):
        low, right, top = margin - EDGE, page.width - margin + EDGE, page.height - margin + EDGE
        for word in page.words:
            if word.x0 < low or word.y0 < low or word.x1 > right or word.y1 > top:
                problems.append(f"page {page.number}: {word.text!r} runs off the printable area")
        words = sorted(page.words, key=lambda word: word.x0)
        for index, word in enumerate(words):
            for other in words[index + 1 :]:
                if other.x0 >= word.x1:
                    break
                if word.covered_by(other) > OVERLAP:
                    problems.append(f"page {page.number}: {word.text!r} and {other.text!r} overlap")
    return problems


# Points: words whose tops are this close are on one line (pdf_lines).
LEVEL = 2.0


def pdf_lines(content: bytes) -> list[list[str]]:
    """The PDF's words line by line (words whose tops are level, left to right): a table's
    row starts with a line holding every cell's first line, its figures at the end."""
    lines = []
    for page in pdf_pages(content):
        line, top = [], None
        for word in sorted(page.words, key=lambda word: -word.y1):
            if top is not None and top - word.y1 > LEVEL:
                lines.append(line)
                line = []
            if not line:
                top = word.y1
            line.append(word)
        lines.append(line)
    return [[word.text for word in sorted(line, key=lambda word: word.x0)] for line in lines if line]


def pdf_text(content: bytes) -> str:
    """The words of every page, one space between words, for "is this text printed?"."""
    return " ".join(word.text for page in pdf_pages(content) for word in page.words)


def pdf_fonts(content: bytes) -> set[str]:
    """The names of the fonts the PDF's pages use, without their subset prefix
    ("DaoTao-Serif-Bold"), as the PDF itself names them."""
    names = set()
    for page in PDFPage.get_pages(io.BytesIO(content)):
        fonts = resolve1((page.resources or {}).get("Font")) or {}
        for font in fonts.values():
            base = resolve1(resolve1(font).get("BaseFont"))
            name = getattr(base, "name", str(base))
            names.add(name.split("+", 1)[-1])
    return names


def foreign_fonts(content: bytes) -> set[str]:
    """The fonts a PDF uses other than the bundled DaoTao Serif (``daotao.lib.pdf``), or
    ``{"(none)"}`` when it embeds no font at all: empty is right."""
    from daotao.lib.pdf import FONT_NAME

    used = pdf_fonts(content)
    if not used:
        return {"(none)"}
    return {font for font in used if not font.startswith(FONT_NAME)}


# --- .docx printed by LibreOffice ---------------------------------------------------------


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def require_libreoffice() -> str:
    """LibreOffice's ``soffice``; skips the test where it is not installed, fails it when
    ``DAOTAO_REQUIRE_LIBREOFFICE=1`` (CI installs it)."""
    path = soffice_path()
    if path is None:
        missing = "LibreOffice is not installed (apt-get install libreoffice-writer-nogui)"
        if os.environ.get("DAOTAO_REQUIRE_LIBREOFFICE") == "1":
            raise RuntimeError(f"DAOTAO_REQUIRE_LIBREOFFICE=1 but {missing}")
        raise unittest.SkipTest(missing)
    return path


def docx_to_pdf(documents: dict[str, bytes]) -> dict[str, bytes]:
    """Each .docx (name: content) printed to PDF by LibreOffice headless, in one run."""
    soffice = require_libreoffice()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        sources = []
        for name, content in documents.items():
            path = root / f"{name}.docx"
            path.write_bytes(content)
            sources.append(str(path))
        # A profile of its own: a second LibreOffice (another test run) does not block this one.
        profile = (root / "profile").as_uri()
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                folder,
                *sources,
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        return {name: (root / f"{name}.pdf").read_bytes() for name in documents}
