"""How large an upload may be: one rule for every upload form, service and admin page.

Each kind of file has its limit in a setting (``DAOTAO_MAX_DOCUMENT_BYTES``,
``DAOTAO_MAX_ESSAY_BYTES``, ``DAOTAO_MAX_REPORT_BYTES``, ``DAOTAO_MAX_IMAGE_BYTES``; the xlsx
imports check ``DAOTAO_MAX_IMPORT_BYTES`` when they read the workbook), read when a file is
checked, not at import. A file over its limit is refused with a message naming the file and
the limit, before anything is stored. A request body over ``DAOTAO_MAX_REQUEST_BYTES`` is
refused whole (413) by ``daotao.web.middleware.RequestSizeMiddleware``.
"""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from daotao.lib.vietnamese import format_file_size


def upload_limit(setting: str) -> int:
    """The largest file accepted under ``setting``, in bytes."""
    return getattr(settings, setting)


def upload_size_problem(upload, setting: str) -> str | None:
    """Why ``upload`` is refused for its size (naming the file and the limit), or None."""
    limit = upload_limit(setting)
    if upload is None or upload.size <= limit:
        return None
    return _("The file “%(name)s” is too large: a file may be at most %(limit)s.") % {
        "name": PurePath(upload.name or "").name,
        "limit": format_file_size(limit),
    }


def check_upload_size(upload, setting: str, field: str | None = None) -> None:
    """Raise ValidationError (on ``field`` when given) when ``upload`` is over its limit."""
    if problem := upload_size_problem(upload, setting):
        raise ValidationError({field: problem} if field else problem)


class MaxUploadSize:
    """A form field validator: the file may be at most the bytes in ``setting``."""

    def __init__(self, setting: str):
        self.setting = setting

    def __call__(self, upload) -> None:
        check_upload_size(upload, self.setting)
