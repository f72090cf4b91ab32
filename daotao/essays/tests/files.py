"""Essay files built in the tests: a .docx (python-docx), a PDF (printed by WeasyPrint
through ``daotao.lib.pdf``), one without text, and hostile ones."""

from __future__ import annotations

import io
import zipfile
import zlib
from html import escape

import docx

from daotao.lib.pdf import html_to_pdf


def docx_bytes(*paragraphs: str) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_bytes(*paragraphs: str) -> bytes:
    body = "".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs)
    return html_to_pdf(f"<html><body>{body}</body></html>")


def scanned_pdf_bytes() -> bytes:
    """A PDF with a page and no text on it, as a scanner makes (a drawing stands in for the
    scanned image)."""
    return html_to_pdf('<html><body><div style="width: 5cm; height: 5cm; border: 2px solid"></div></body></html>')


def docx_bomb(inflated: int = 70 * 1024 * 1024) -> bytes:
    """A .docx whose body unpacks to ``inflated`` bytes (a kilobyte per megabyte packed)."""
    buffer = io.BytesIO()
    body = b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(body)
            chunk = b" " * (1024 * 1024)
            for _ in range(inflated // len(chunk)):
                part.write(chunk)
    return buffer.getvalue()


def pdf_bomb(inflated: int) -> bytes:
    """A one-page PDF whose content stream inflates to ``inflated`` bytes."""
    packer = zlib.compressobj(9)
    chunk = b" " * (1024 * 1024)
    stream = b"".join(packer.compress(chunk) for _ in range(inflated // len(chunk))) + packer.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    pdf, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return pdf
