"""Files handed to someone a view has already checked may see them: dossier scans, essays,
field-trip reports are never public media addresses; workbooks are made on request."""

from pathlib import Path

from django.conf import settings
from django.conf.urls.static import static
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

from daotao.lib import xlsx


def private_file(field_file, as_attachment: bool = True, filename: str = "") -> FileResponse:
    """The file under its own name (or ``filename``); 404 when there is none or it is gone
    from storage."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    filename = "".join(c for c in filename if c.isprintable()) or field_file.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=as_attachment, filename=filename)


def xlsx_response(workbook: bytes, filename: str) -> HttpResponse:
    """A workbook written by ``daotao.lib.xlsx`` as a download named ``filename`` (control
    characters left out: a class or module code typed with one must not break the header)."""
    response = HttpResponse(workbook, content_type=xlsx.CONTENT_TYPE)
    filename = "".join(character for character in filename if character.isprintable())
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


# The uploads anyone may fetch by address: the portal's article and banner images. The
# reverse proxy serves these and refuses every other /media/ address (docs/deploy.md).
PUBLIC_MEDIA = "portal/"


def public_media_urlpatterns() -> list:
    """In development (DEBUG) runserver serves what the reverse proxy serves in production,
    the public uploads, and nothing else: dossier scans, essays and field-trip reports are
    reached only through the views that check who asks (``private_file``), as in production.
    No patterns without DEBUG."""
    return static(f"{settings.MEDIA_URL}{PUBLIC_MEDIA}", document_root=Path(settings.MEDIA_ROOT) / PUBLIC_MEDIA)
