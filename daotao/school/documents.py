"""The frame every document the school sends out shares, in one place: the letterhead (the
issuing body, "ĐẢNG CỘNG SẢN VIỆT NAM" or the national motto, the number and symbol, the
place and date), the title, and the signature block with "Nơi nhận".

The school is a Party body, so by default its documents follow Hướng dẫn 36-HD/VPTW: the
Party committee above it and the school's name on the left with a star under it and "Số
12-BC/TCT"; "ĐẢNG CỘNG SẢN VIỆT NAM", underlined, on the right; the date line in italics
under it. A school that chose the state format (identity ``document_style``) gets Decree
30/2020/NĐ-CP's: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc" and
"Số: 12/BC-TCT". The documents' own words are Vietnamese constants, not translations: a
document leaves the school in Vietnamese whatever language its reader chose for the pages.

``letterhead(kind, ...)`` answers a ``Letterhead``; ``templates/documents/head.html`` and
``signature.html`` print it in a PDF, ``daotao.school.docx`` writes it in a .docx, so both
read the same words. ``render_pdf`` prints a document template with the bundled font
and the shared document stylesheet, in Vietnamese.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone, translation

from daotao.lib.pdf import html_to_pdf
from daotao.lib.vietnamese import format_long_date
from daotao.school import identity
from daotao.school.models import DocumentStyle

PARTY_NAME = "ĐẢNG CỘNG SẢN VIỆT NAM"
STATE_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
STATE_MOTTO = "Độc lập - Tự do - Hạnh phúc"
RECIPIENTS_HEADING = "Nơi nhận:"
FILED = "- Lưu: VT, P.QLĐT."
# A number the school's registry (văn thư) gives when it registers the document.
NUMBER_TO_FILL = "..."


class DocumentType:
    """The abbreviations of the kinds of documents (Hướng dẫn 36, appendix)."""

    REPORT = "BC"  # báo cáo
    DECISION = "QĐ"  # quyết định
    NOTICE = "TB"  # thông báo
    PLAN = "KH"  # kế hoạch


STYLESHEET = "documents/document.css"


@dataclass(frozen=True)
class SignedAs:
    """Who signed a record already made (a decision): the title lines and the name as they
    were then, whoever signs such documents today."""

    lines: tuple[str, ...]
    name: str


@dataclass(frozen=True)
class Letterhead:
    """What heads and signs one document."""

    style: str  # DocumentStyle
    body_above: str  # "TỈNH ỦY BÌNH AN"
    body: str  # "TRƯỜNG CHÍNH TRỊ TỈNH BÌNH AN"
    number: str  # "Số 12-BC/TCT" or "Số: 12/BC-TCT"
    place_date: str  # "Bình An, ngày 05 tháng 6 năm 2026"
    title: str  # "BÁO CÁO"
    subject: str = ""  # "kết quả tốt nghiệp lớp ..." under the title
    recipients: tuple[str, ...] = ()
    signer_lines: tuple[str, ...] = ("HIỆU TRƯỞNG",)
    signer_name: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def party(self) -> bool:
        return self.style == DocumentStyle.PARTY

    @property
    def national(self) -> tuple[str, ...]:
        """The right of the header: the Party's name, or the state's name and motto."""
        return (PARTY_NAME,) if self.party else (STATE_NAME, STATE_MOTTO)


def number_text(style: str, document_type: str, code: str, number: str | int | None = None) -> str:
    """ "Số 12-BC/TCT" (Hướng dẫn 36) or "Số: 12/BC-TCT" (Decree 30); an empty number leaves
    "..." for the registry; a number that has its symbol already ("58-QĐ/TCT") is kept."""
    shown = str(number) if number not in (None, "") else NUMBER_TO_FILL
    if "/" in shown:  # already a whole number and symbol, as a decision records it: "58-QĐ/TCT"
        return f"Số: {shown}" if style == DocumentStyle.STATE else f"Số {shown}"
    if style == DocumentStyle.STATE:
        return f"Số: {shown}/{document_type}-{code}"
    return f"Số {shown}-{document_type}/{code}"


def letterhead(
    kind: str,
    *,
    document_type: str,
    title: str,
    subject: str = "",
    number: str | int | None = None,
    date: dt.date | None = None,
    recipients: tuple[str, ...] = (),
    signer: identity.Signer | SignedAs | None = None,
) -> Letterhead:
    """The letterhead of a document of ``kind`` (a ``DocumentKind``): the school's identity,
    its signer for that kind (or ``signer``, who signed a record already made), and "Nơi
    nhận" ending with the school's own file copy."""
    school = identity.current()
    style = DocumentStyle.STATE if school.document_style == DocumentStyle.STATE else DocumentStyle.PARTY
    signer = signer or school.signer(kind)
    return Letterhead(
        style=style,
        body_above=school.parent.upper(),
        body=school.name.upper(),
        number=number_text(style, document_type, school.document_code, number),
        place_date=format_long_date(date or timezone.localdate(), school.place),
        title=title.upper(),
        subject=subject,
        recipients=(*recipients, FILED),
        signer_lines=tuple(signer.lines),
        signer_name=signer.name,
    )


def class_phrase(name: str) -> str:
    """A class named in a sentence: "lớp Trung cấp ... K12", or its name lowered at the first
    letter where the name begins with "Lớp" already ("Lớp Trung cấp ..." -> "lớp Trung cấp ..."),
    never "lớp Lớp"."""
    if name[:4].lower() == "lớp ":
        return "lớp " + name[4:]
    return f"lớp {name}"


def superior(school: identity.Identity | None = None) -> str:
    """The recipient line for the Party committee above the school."""
    school = school or identity.current()
    return f"- {school.parent} (để báo cáo);" if school.parent else ""


def render_pdf(template: str, context: dict, *, request=None) -> bytes:
    """``template`` (which includes documents/head.html and signature.html) as a PDF, in
    Vietnamese, with the bundled font and the document stylesheet."""
    with translation.override("vi"):
        html = render_to_string(template, context, request=request)
    return html_to_pdf(html, (STYLESHEET,))
