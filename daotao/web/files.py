"""Serving a stored file to someone a view has already checked may see it: dossier scans,
essays, field-trip reports are never public media addresses."""

from django.http import FileResponse, Http404


def private_file(field_file, as_attachment: bool = True) -> FileResponse:
    """The file under its own name; 404 when there is none or it is gone from storage."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=as_attachment, filename=field_file.name.rsplit("/", 1)[-1])
