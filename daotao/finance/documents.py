"""A payment's receipt (biên lai thu tiền) as the school's document (``school/documents.py``),
in Vietnamese whatever the language of the pages; a voided receipt says so across it."""

from __future__ import annotations

from daotao.school import documents

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
GROUPS = ("", "nghìn", "triệu", "tỷ", "nghìn tỷ")

RECEIPT_KIND = "receipt"  # signed by the school's default signer unless one is set for it
RECEIPT_TYPE = "BL"  # biên lai


def _three(number: int, whole: bool) -> list[str]:
    """A group of three digits read aloud; ``whole``: read its hundreds (and "linh") even
    when they are 0, as a group after the first is read (1.005.000: "không trăm linh năm")."""
    hundreds, tens, units = number // 100, number // 10 % 10, number % 10
    words = []
    if whole or hundreds:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units == 1 and tens >= 2:
        words.append("mốt")
    elif units == 5 and tens >= 1:
        words.append("lăm")
    elif units:
        words.append(DIGITS[units])
    return words


def amount_in_words(amount: int) -> str:
    """An amount in đồng as written on a receipt: 2500000 -> "Hai triệu năm trăm nghìn đồng"."""
    if amount == 0:
        return "Không đồng"
    groups = []
    while amount:
        groups.append(amount % 1000)
        amount //= 1000
    words = []
    for index in range(len(groups) - 1, -1, -1):
        if groups[index]:
            words += _three(groups[index], whole=index < len(groups) - 1)
            words += [GROUPS[index]] if GROUPS[index] else []
    text = " ".join(words)
    return f"{text[0].upper()}{text[1:]} đồng"


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
    context = {
        "head": head,
        "payment": payment,
        "enrollment": enrollment,
        "cohort": enrollment.cohort,
        "in_words": amount_in_words(payment.amount),
    }
    return documents.render_pdf("finance/receipt_pdf.html", context)
