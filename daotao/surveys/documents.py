"""An evaluation round's results as the report the school signs (Hướng dẫn 36-HD/VPTW,
daotao/school/documents.py), in Vietnamese whatever the language of the pages."""

from __future__ import annotations

from django.utils import timezone

from daotao.school import documents
from daotao.school.models import DocumentKind


def round_pdf(survey_round, built, *, request=None) -> bytes:
    """``built``: ``results.round_results`` of ``survey_round`` as the reader may see it."""
    head = documents.letterhead(
        DocumentKind.SURVEY_RESULTS,
        document_type=documents.DocumentType.REPORT,
        title="BÁO CÁO",
        subject=f"Kết quả khảo sát, đánh giá: {survey_round.title}",
        recipients=tuple(line for line in (documents.superior(),) if line),
    )
    context = {"survey_round": survey_round, "results": built, "today": timezone.localdate(), "head": head}
    return documents.render_pdf("surveys/results/round_pdf.html", context, request=request)
