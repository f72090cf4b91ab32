"""The text of an uploaded document (.docx, .odt, .pdf; .doc is only recognised), read
within limits, for comparing essays (no Django here).

A document is untrusted: its name says nothing of what it is, and a few hundred kilobytes
can unpack to gigabytes. So:

- the kind is told from the bytes, never from the name: a .docx is a zip holding
  ``word/document.xml``, an .odt a zip whose ``mimetype`` is an OpenDocument text, a .pdf
  starts with ``%PDF-``, a .doc is an OLE compound file; anything else is refused
  (``reason="kind"``);
- .docx and .odt: the zip's directory is checked before anything is inflated (only stored
  or deflated parts; the part read at most ``Limits.xml_bytes`` once inflated; Python's
  zipfile holds a part to the size its directory declares), and the part is streamed
  through expat a chunk at a time: a DTD (hence any entity) is refused, so is nesting deeper
  than ``MAX_DEPTH``; the text is counted as it comes and refused past ``Limits.chars``;
- .pdf: pdfminer.six, which inflates a stream whole in memory and follows whatever the file
  nests, so it runs in a child process (``python -m daotao.lib.doc_text``) held to
  ``Limits.memory_bytes`` of memory and ``Limits.cpu_seconds`` of processor time, and
  stopped after ``Limits.wall_seconds``; a file past them is refused (``reason="limits"``),
  so are more than ``Limits.pages`` pages and more than ``Limits.chars`` characters;
- a .doc (Word 97) or a scanned PDF yields no text: ``""``, which the caller turns into
  a note asking for the text to be pasted.

``read_text(data, extension)`` returns the text, or raises ``TextRefused`` with a
``reason`` (``kind``, ``damaged``, ``inflated``, ``chars``, ``pages``, ``limits``) and the
figures its message names.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path
from xml.parsers import expat

MB = 1024 * 1024
MAX_DEPTH = 128  # Word nests tables in tables; a few dozen levels at most
MAX_TOKEN = MB  # the longest tag or comment expat may hold
_CHUNK = 64 * 1024
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_PDF_MAGIC = b"%PDF-"
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main "
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0 "
_ROOT = Path(__file__).resolve().parent.parent.parent
KINDS = ("docx", "odt", "pdf", "doc")


@dataclass(frozen=True)
class Limits:
    """What a document may hold."""

    chars: int = 400_000  # the text read (the essay form's pasted text holds as many)
    xml_bytes: int = 64 * MB  # the .docx or .odt body, inflated
    # Its XML elements: a 300-page thesis has a few hundred thousand; millions of empty ones
    # packed in a small file would take seconds of the request to walk through.
    elements: int = 1_000_000
    pages: int = 300
    memory_bytes: int = 768 * MB  # the PDF reader's address space
    cpu_seconds: int = 30
    wall_seconds: int = 90


class TextRefused(Exception):
    """The document is not read. ``reason``: ``kind`` (not what its extension says),
    ``damaged``, ``inflated``, ``chars``, ``pages`` or ``limits``; ``figures``: the limits
    the reason names."""

    def __init__(self, reason: str, **figures):
        super().__init__(reason, figures)
        self.reason, self.figures = reason, figures


def read_text(data: bytes, extension: str, limits: Limits | None = None) -> str:
    """The text of a document of kind ``extension`` (``docx``, ``odt``, ``pdf``, ``doc``),
    paragraphs on lines of their own; ``""`` when it holds none that can be read."""
    limits = limits or Limits()
    extension = extension.lower().lstrip(".")
    if extension == "docx":
        return _read_zip(data, "word/document.xml", _DocxBody, limits, mimetype=None)
    if extension == "odt":
        return _read_zip(data, "content.xml", _OdtBody, limits, mimetype=_ODT_MIMETYPE)
    if extension == "pdf":
        return _read_pdf(data, limits)
    if extension == "doc":
        if not data.startswith(_OLE_MAGIC):
            raise TextRefused("kind", kind="doc")
        return ""  # Word 97's binary text is not read
    raise TextRefused("kind", kind=extension)


# --- .docx and .odt -----------------------------------------------------------------------


def _read_zip(data: bytes, part: str, body_class, limits: Limits, mimetype: bytes | None) -> str:
    kind = "odt" if mimetype else "docx"
    if not data.startswith(_ZIP_MAGIC):
        raise TextRefused("kind", kind=kind)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = {info.filename: info for info in archive.infolist()}
    except (zipfile.BadZipFile, ValueError, OSError):
        raise TextRefused("damaged") from None
    if part not in names:
        raise TextRefused("kind", kind=kind)
    if mimetype is not None:
        info = names.get("mimetype")
        if info is None or info.file_size > 256 or archive.read(info).strip() != mimetype:
            raise TextRefused("kind", kind=kind)
    info = names[part]
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or info.flag_bits & 0x1:
        raise TextRefused("damaged")
    if info.file_size > limits.xml_bytes:
        raise TextRefused("inflated", limit=limits.xml_bytes)
    body = body_class(limits.chars, limits.elements)
    try:
        with archive.open(info) as source:
            _parse(body, source)
    except (zipfile.BadZipFile, expat.ExpatError, EOFError, OSError, ValueError):
        raise TextRefused("damaged") from None
    return body.text()


def _no_dtd(*args) -> None:
    raise TextRefused("damaged")


def _parse(handler: _Body, source) -> None:
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.buffer_size = _CHUNK
    parser.StartDoctypeDeclHandler = _no_dtd
    parser.EntityDeclHandler = _no_dtd
    parser.StartElementHandler = handler.start
    parser.EndElementHandler = handler.end
    parser.CharacterDataHandler = handler.data
    fed = 0
    while chunk := source.read(_CHUNK):
        parser.Parse(chunk, False)
        fed += len(chunk)
        if fed - max(parser.CurrentByteIndex, 0) > MAX_TOKEN:
            raise TextRefused("damaged")
    parser.Parse(b"", True)


class _Body:
    """The text of a document body as it is parsed: counted, refused past the limit."""

    PARAGRAPHS: tuple[str, ...] = ()

    def __init__(self, limit: int, elements: int = Limits.elements):
        self.limit, self.length, self.depth, self.inside = limit, 0, 0, 0
        self.elements = elements
        self.parts: list[str] = []

    def add(self, text: str) -> None:
        self.length += len(text)
        if self.length > self.limit:
            raise TextRefused("chars", limit=self.limit)
        self.parts.append(text)

    def start(self, name: str, attrs: dict) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise TextRefused("damaged")
        self.elements -= 1
        if self.elements < 0:
            raise TextRefused("limits")
        self.on_start(name, attrs)

    def end(self, name: str) -> None:
        self.depth -= 1
        self.on_end(name)
        if name in self.PARAGRAPHS:
            self.add("\n")

    def on_start(self, name: str, attrs: dict) -> None:
        raise NotImplementedError

    def on_end(self, name: str) -> None:
        pass

    def data(self, text: str) -> None:
        if self.inside:
            self.add(text)

    def text(self) -> str:
        lines = (" ".join(line.split()) for line in "".join(self.parts).splitlines())
        return "\n".join(line for line in lines if line)


class _DocxBody(_Body):
    """Word's body: the text runs (``w:t``), tabs and breaks; paragraphs end lines."""

    PARAGRAPHS = (_W + "p",)

    def on_start(self, name, attrs):
        if name == _W + "t":
            self.inside += 1
        elif name in (_W + "tab", _W + "br", _W + "cr"):
            self.add("\t" if name == _W + "tab" else "\n")

    def on_end(self, name):
        if name == _W + "t":
            self.inside -= 1


class _OdtBody(_Body):
    """An OpenDocument text: paragraphs and headings, their spaces, tabs and line breaks."""

    PARAGRAPHS = (_TEXT + "p", _TEXT + "h")

    def on_start(self, name, attrs):
        if name in self.PARAGRAPHS:
            self.inside += 1
        elif name == _TEXT + "s":
            self.add(" ")
        elif name in (_TEXT + "tab", _TEXT + "line-break"):
            self.add("\t" if name == _TEXT + "tab" else "\n")

    def on_end(self, name):
        if name in self.PARAGRAPHS:
            self.inside -= 1


# --- .pdf ---------------------------------------------------------------------------------


def _read_pdf(data: bytes, limits: Limits) -> str:
    if _PDF_MAGIC not in data[:1024]:
        raise TextRefused("kind", kind="pdf")
    command = [sys.executable, "-m", "daotao.lib.doc_text", json.dumps(asdict(limits))]
    try:
        done = subprocess.run(
            command,
            input=data,
            capture_output=True,
            cwd=_ROOT,
            timeout=limits.wall_seconds,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise TextRefused("limits") from None
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        answer = None
    if done.returncode != 0 or not isinstance(answer, dict):
        # Killed past its processor time, or out of memory.
        raise TextRefused("limits")
    if "refused" in answer:
        raise TextRefused(answer["refused"], **answer.get("figures", {}))
    return answer["text"]


def _pdf_text(data: bytes, limits: Limits) -> str:
    """In the child: every page's text, refused past the pages or the characters."""
    from pdfminer.converter import TextConverter
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    output = io.StringIO()
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        manager = PDFResourceManager(caching=True)
        device = TextConverter(manager, output, laparams=LAParams())
        interpreter = PDFPageInterpreter(manager, device)
        for number, page in enumerate(PDFPage.create_pages(document), start=1):
            if number > limits.pages:
                raise TextRefused("pages", limit=limits.pages)
            interpreter.process_page(page)
            if output.tell() > limits.chars * 2:  # spaces are squeezed below; this is far past
                raise TextRefused("chars", limit=limits.chars)
    except (TextRefused, MemoryError, RecursionError):
        raise
    except Exception:  # pdfminer raises many kinds of errors on a damaged or encrypted file
        raise TextRefused("damaged") from None
    lines = (" ".join(line.split()) for line in output.getvalue().replace("\x0c", "\n").splitlines())
    text = "\n".join(line for line in lines if line)
    if len(text) > limits.chars:
        raise TextRefused("chars", limit=limits.chars)
    return text


def _child(argv: list[str]) -> int:
    limits = Limits(**json.loads(argv[0]))
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
        resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds))
    except (ImportError, ValueError, OSError):  # pragma: no cover - not on Linux
        pass
    data = sys.stdin.buffer.read()
    try:
        answer = {"text": _pdf_text(data, limits)}
    except TextRefused as refused:
        answer = {"refused": refused.reason, "figures": refused.figures}
    except (MemoryError, RecursionError):
        return 3
    sys.stdout.write(json.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
