"""Checking an uploaded logo before it is kept: a PNG or JPEG that Pillow opens (bounded in
bytes and pixels, so a decompression bomb is refused), or an SVG drawing with no script, no
event handler, no embedded document and no reference outside itself. The logo is also
served with a sandboxing Content-Security-Policy (``views.logo``), should a check miss."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image  # Pillow comes with WeasyPrint

from daotao.lib.vietnamese import format_int

MAX_BYTES = 1024 * 1024
MAX_SIDE = 4096
SVG = "image/svg+xml"
_RASTER = {"PNG": "image/png", "JPEG": "image/jpeg"}
# A logo is a drawing: no script, no embedded document, no style sheet (it can fetch), no
# animation (``<set>``/``<animate>`` can turn a link's target into a script).
_SVG_FORBIDDEN = {
    "script", "foreignobject", "iframe", "embed", "object", "handler", "listener", "style",
    "animate", "set", "animatemotion", "animatetransform", "animatecolor", "discard",
}  # fmt: skip
_LOCAL_REF = re.compile(r"^(#|data:image/(png|jpeg);)")
_URL = re.compile(r"url\s*\(\s*['\"]?\s*([^)'\"\s]*)", re.IGNORECASE)


def check_logo(data: bytes) -> str:
    """The content type of an acceptable logo; ValidationError naming what is wrong."""
    if not data:
        raise ValidationError(_("The logo file is empty."))
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The logo is too large: at most %(limit)s bytes.") % {"limit": format_int(MAX_BYTES)})
    if data.lstrip()[:5] in (b"<?xml", b"<svg ", b"<svg\n", b"<!--") or b"<svg" in data[:1024]:
        _check_svg(data)
        return SVG
    return _check_raster(data)


def _check_raster(data: bytes) -> str:
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, (width, height) = image.format, image.size
            if kind not in _RASTER:
                raise ValidationError(_("The logo must be a PNG, JPEG or SVG image."))
            if width > MAX_SIDE or height > MAX_SIDE:
                raise ValidationError(
                    _("The logo is too large: at most %(side)s × %(side)s pixels.") % {"side": format_int(MAX_SIDE)}
                )
            image.verify()
    except ValidationError:
        raise
    except Exception:  # Pillow raises many kinds for a file that is not an image
        raise ValidationError(_("The logo must be a PNG, JPEG or SVG image.")) from None
    return _RASTER[kind]


def _check_svg(data: bytes) -> None:
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise ValidationError(_("The SVG logo may not declare a document type or entities."))
    if re.search(rb"<\?(?!xml\s)", data):  # a processing instruction (xml-stylesheet) but the XML declaration
        raise ValidationError(_("The SVG logo may not refer to other files or addresses."))
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        raise ValidationError(_("The SVG logo cannot be read: it is not well-formed XML.")) from None
    if _local(root.tag) != "svg":
        raise ValidationError(_("The logo must be a PNG, JPEG or SVG image."))
    for element in root.iter():
        if _local(element.tag).lower() in _SVG_FORBIDDEN:
            raise ValidationError(_("The SVG logo may not contain scripts or embedded documents."))
        for name, value in element.attrib.items():
            attribute = _local(name).lower()
            if attribute.startswith("on"):
                raise ValidationError(_("The SVG logo may not contain scripts or embedded documents."))
            if attribute == "href" and not _LOCAL_REF.match(value.strip()):
                raise ValidationError(_("The SVG logo may not refer to other files or addresses."))
            # Every url(...) must point inside the drawing; a CSS escape could hide one.
            if "\\" in value or any(not target.startswith("#") for target in _URL.findall(value)):
                raise ValidationError(_("The SVG logo may not refer to other files or addresses."))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
