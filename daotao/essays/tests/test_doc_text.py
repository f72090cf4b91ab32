"""Reading the text of a document within limits (``daotao.lib.doc_text``), without a
database: the kinds, a PDF bomb stopped by the reader's memory, the limits on pages and
characters, a zip whose directory lies about a part's size."""

import io
import zipfile

from django.test import SimpleTestCase

from daotao.essays.tests.files import docx_bytes, pdf_bomb, pdf_bytes
from daotao.lib.doc_text import MB, Limits, TextRefused, read_text

ODT_CONTENT = (
    '<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
    "<text:h>Tiểu luận</text:h><text:p>Chi bộ<text:s/>thôn<text:tab/>Đông</text:p></office:text></office:body>"
    "</office:document-content>"
)


def odt_bytes(content: str = ODT_CONTENT, mimetype: str = "application/vnd.oasis.opendocument.text") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
    return buffer.getvalue()


class ReadTextTests(SimpleTestCase):
    def refused(self, data, extension, limits=None) -> TextRefused:
        with self.assertRaises(TextRefused) as raised:
            read_text(data, extension, limits or Limits())
        return raised.exception

    def test_each_kind(self):
        self.assertEqual(read_text(docx_bytes("Một", "Hai  ba"), "docx"), "Một\nHai ba")
        self.assertEqual(read_text(odt_bytes(), "odt"), "Tiểu luận\nChi bộ thôn Đông")
        self.assertEqual(read_text(pdf_bytes("Một đoạn văn."), "PDF"), "Một đoạn văn.")
        self.assertEqual(read_text(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "doc"), "")

    def test_the_kind_is_told_from_the_bytes(self):
        self.assertEqual(self.refused(odt_bytes(mimetype="application/zip"), "odt").figures, {"kind": "odt"})
        self.assertEqual(self.refused(docx_bytes("x"), "odt").reason, "kind")
        self.assertEqual(self.refused(b"MZ\x90\x00", "docx").figures, {"kind": "docx"})
        self.assertEqual(self.refused(b"PK\x03\x04broken", "docx").reason, "damaged")
        self.assertEqual(self.refused(b"x", "exe").reason, "kind")

    def test_a_dtd_is_refused(self):
        bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
        self.assertEqual(self.refused(odt_bytes(bomb), "odt").reason, "damaged")

    def test_a_part_larger_than_its_directory_says_is_not_read_past_it(self):
        data = bytearray(odt_bytes(ODT_CONTENT + " " * 5000))
        # Shrink the declared size of content.xml in the central directory.
        archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
        info = archive.getinfo("content.xml")
        directory = bytes(data).rindex(b"PK\x01\x02")
        size_at = directory + 24
        self.assertEqual(int.from_bytes(data[size_at : size_at + 4], "little"), info.file_size)
        data[size_at : size_at + 4] = (100).to_bytes(4, "little")
        self.assertEqual(self.refused(bytes(data), "odt").reason, "damaged")

    def test_characters_and_pages(self):
        self.assertEqual(self.refused(docx_bytes("x" * 50), "docx", Limits(chars=40)).figures, {"limit": 40})
        self.assertEqual(self.refused(pdf_bytes("y" * 50), "pdf", Limits(chars=40)).reason, "chars")
        two_pages = pdf_bytes("Một", *["Dòng"] * 120)
        self.assertEqual(self.refused(two_pages, "pdf", Limits(pages=1)).figures, {"limit": 1})

    def test_a_pdf_bomb_is_stopped_by_the_readers_memory(self):
        bomb = pdf_bomb(400 * MB)
        self.assertLess(len(bomb), 1 * MB)
        self.assertEqual(self.refused(bomb, "pdf", Limits(memory_bytes=256 * MB)).reason, "limits")
        self.assertEqual(self.refused(b"%PDF-1.4 tieu luan", "pdf").reason, "damaged")


class ElementLimitTests(SimpleTestCase):
    def test_a_docx_of_millions_of_empty_elements_is_refused(self):
        """A small file unpacking to millions of elements would hold the request for seconds."""
        body = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        body += b"<w:x/>" * 1_100_000 + b"</w:body></w:document>"
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("word/document.xml", body)
        self.assertLess(len(buffer.getvalue()), MB)
        with self.assertRaises(TextRefused) as refused:
            read_text(buffer.getvalue(), "docx")
        self.assertEqual(refused.exception.reason, "limits")
        # Within the limit the same body is read.
        self.assertEqual(read_text(buffer.getvalue(), "docx", Limits(elements=2_000_000)), "")
