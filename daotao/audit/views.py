"""The file an import record keeps, for the training office only (docs/security.md)."""

from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from daotao.accounts.access import office_required
from daotao.audit.models import ImportRecord
from daotao.web.files import private_file


@require_safe
@office_required
def import_file(request, import_id: int):
    """The workbook as it was imported, under the name it was sent with."""
    record = get_object_or_404(ImportRecord, pk=import_id)
    return private_file(record.file, filename=record.file_name)
