"""A payment's receipt (biên lai thu tiền) as the school's document (``school/documents.py``),
in Vietnamese whatever the language of the pages; a voided receipt says so across it."""

from __future__ import annotations

from daotao.school import documents

RECEIPT_KIND = "receipt"  # signed by the school's default signer unless one is set for it
RECEIPT_TYPE = "BL"  # biên lai


def receipt_pdf(payment) -> bytes:
    enrollment = payment.enrollment
    head = documents.letterhead(
        RECEIPT_KIND,
        document_type=RECEIPT_TYPE,
        title="BIÊN LAI THU TIỀN",
        subject=f"Học phí lớp {enrollment.cohort.code}",
        number=f"{payment.number:04d}",
        date=payment.paid_on,
        recipients=("- Học viên nộp tiền;",),
    )
    context = {"head": head, "payment": payment, "enrollment": enrollment, "cohort": enrollment.cohort}
    return documents.render_pdf("finance/receipt_pdf.html", context)
