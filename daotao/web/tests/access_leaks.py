"""What a persona can read in an answer, and the leaks the access matrix looks for in it.

- ``Readable``: the text of an answer as a person reads it: a page's HTML with its entities
  decoded, JSON with its ``\\u`` escapes decoded, every XML part of an xlsx, and for a PDF
  the HTML that WeasyPrint was given to print it (``PdfSources`` keeps it): the PDF's own
  streams are compressed and its text is drawn glyph by glyph, so it is read at its source.
- ``national_ids``: the 12-digit numbers in it (national IDs of students and applicants).
- ``formula_problems``: in an xlsx, every formula but the yearly report's own totals, every
  error cell and every cell of text that a spreadsheet would compute rather than show.
- anonymous answers next to names: see ``test_access_matrix.AccessMatrixTests._assert_in_scope``.
"""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from dataclasses import dataclass
from unittest import mock

from daotao.web.tests.test_no_formulas import CODE_FORMULA, MARK

NATIONAL_ID = re.compile(r"(?<!\d)\d{12}(?!\d)")
# A worksheet's cell: its attributes and its content (a formula <f>, a value <v>, inline text).
CELL = re.compile(r"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
CELL_TYPE = re.compile(r'\bt="(\w+)"')
CELL_REF = re.compile(r'\br="(\w+)"')
FORMULA = re.compile(r"<f\b[^>]*?(?:/>|>(.*?)</f>)", re.S)
# Where the admin lists a round's invitations with whether each answered (or was reminded,
# which tells the same: reminders go only to those who have not answered).
PER_INVITEE = ("field-answered", "field-reminders_sent", "field-last_sent_at")


def body_of(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


class PdfSources:
    """While active, keeps the HTML of every PDF WeasyPrint makes (``daotao.lib.pdf``)."""

    def __init__(self):
        self.html: list[str] = []

    def __enter__(self):
        import weasyprint

        real = weasyprint.HTML

        def kept(*args, **kwargs):
            if kwargs.get("string") is not None:
                self.html.append(kwargs["string"])
            return real(*args, **kwargs)

        self._patch = mock.patch.object(weasyprint, "HTML", side_effect=kept)
        self._patch.start()
        return self

    def __exit__(self, *exc):
        self._patch.stop()


@dataclass
class Readable:
    """An answer's body and the text a person reads in it."""

    body: bytes
    text: str
    xlsx: bool = False
    pdf: bool = False

    @classmethod
    def of(cls, response, pdf_sources: list[str]) -> Readable:
        body = body_of(response)
        content_type = response.get("Content-Type", "")
        if body[:2] == b"PK":  # xlsx (a zip of XML)
            try:
                with zipfile.ZipFile(io.BytesIO(body)) as archive:
                    parts = [archive.read(name).decode() for name in archive.namelist() if name.endswith(".xml")]
                return cls(body, html.unescape("\n".join(parts)), xlsx=True)
            except zipfile.BadZipFile:
                pass
        if content_type.startswith("application/pdf"):
            return cls(body, html.unescape("\n".join(pdf_sources)), pdf=True)
        text = body.decode("utf-8", "replace")
        if content_type.startswith("application/json"):
            try:
                return cls(body, json.dumps(json.loads(text), ensure_ascii=False))
            except ValueError:
                return cls(body, text)
        return cls(body, html.unescape(text))

    def national_ids(self) -> set[str]:
        return set(NATIONAL_ID.findall(self.text))


def formula_problems(body: bytes, totals_allowed: bool) -> tuple[list[str], int]:
    """Cells of an xlsx that a spreadsheet would compute: formulas (but the yearly report's
    own ``SUM``/``IF`` totals when ``totals_allowed``), error cells, and text kept as a
    formula's result (``t="str"``) instead of a string cell. Also returns how many string
    cells hold text planted by the test (``MARK``), to show that the check had text to bite."""
    problems, planted = [], 0
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        names = archive.namelist()
        if "xl/sharedStrings.xml" in names:
            planted += html.unescape(archive.read("xl/sharedStrings.xml").decode()).lower().count(MARK)
        for part in names:
            if not part.startswith("xl/worksheets/"):
                continue
            for attributes, content in CELL.findall(archive.read(part).decode()):
                kind = CELL_TYPE.search(attributes)
                kind = kind.group(1) if kind else "n"
                where = f"{part} {(CELL_REF.search(attributes) or [None, '?'])[1]}"
                formula = FORMULA.search(content or "")
                if formula:
                    text = html.unescape(formula.group(1) or "")
                    if not (totals_allowed and CODE_FORMULA.fullmatch(text)):
                        problems.append(f"{where}: formula {text!r}")
                elif kind in ("str", "e"):
                    problems.append(f"{where}: a cell of type {kind!r} ({html.unescape(content)[:60]!r})")
                elif kind == "inlineStr":
                    planted += html.unescape(content).lower().count(MARK)
    return problems, planted
