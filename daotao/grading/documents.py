"""The graduation documents the school signs: the graduation report of a class and a
graduation decision with its list of graduates, laid out by daotao/school/documents.py
(Hướng dẫn 36-HD/VPTW), in Vietnamese whatever the language of the pages."""

from __future__ import annotations

from django.utils import timezone

from daotao.grading import cohort_report
from daotao.grading.models import GraduationDecision
from daotao.grading.rules import classification_name, rules_for
from daotao.programs.models import ProgramKind
from daotao.school import documents, identity
from daotao.school.models import DocumentKind

SENDING_UNITS = "- Các địa phương, cơ quan cử học viên (để biết);"


def _recipients(*lines: str) -> tuple[str, ...]:
    return tuple(line for line in (documents.superior(), *lines) if line)


def report_pdf(cohort, *, built: cohort_report.CohortReport | None = None, request=None) -> bytes:
    """The graduation report of ``cohort`` (figures from ``cohort_report.build``, or ``built``
    when the caller has them already)."""
    built = built or cohort_report.build(cohort)
    head = documents.letterhead(
        DocumentKind.GRADUATION,
        document_type=documents.DocumentType.REPORT,
        title="BÁO CÁO",
        subject=f"Kết quả tốt nghiệp lớp {cohort.code}",
        recipients=_recipients(SENDING_UNITS),
    )
    context = {"cohort": cohort, "report": built, "chart": built.chart(), "today": timezone.localdate(), "head": head}
    return documents.render_pdf("grading/report_pdf.html", context, request=request)


def signed_as(decision: GraduationDecision) -> documents.SignedAs:
    """Who signed ``decision``: the title and name recorded with it; a decision recorded
    without them (imported from past records) takes today's graduation signer's title, and
    their name where none was typed."""
    today = identity.current().signer(DocumentKind.GRADUATION)
    lines = tuple(line for line in decision.signer_lines.splitlines() if line.strip()) or tuple(today.lines)
    return documents.SignedAs(lines, decision.signed_by or today.name)


def decision_pdf(decision: GraduationDecision, entries) -> bytes:
    """``decision`` with the list of ``entries`` (its graduates the reader may see, with
    ``enrollment__student`` and their units read)."""
    cohort = decision.cohort
    program = cohort.program
    training = program.kind == ProgramKind.TRAINING
    recognised = "tốt nghiệp" if training else "hoàn thành chương trình bồi dưỡng"
    head = documents.letterhead(
        DocumentKind.GRADUATION,
        document_type=documents.DocumentType.DECISION,
        title="QUYẾT ĐỊNH",
        subject=f"Về việc công nhận {recognised} lớp {cohort.code}",
        number=decision.number,
        date=decision.date,
        recipients=("- Như Điều 3;", *_recipients()),
        signer=signed_as(decision),
    )
    rules = rules_for(program)  # the classification as printed: the name of its band
    rows = []
    for entry in entries:
        student = entry.enrollment.student
        entry.unit_name = " / ".join(
            unit.name for unit in (student.locality, getattr(student, "agency", None)) if unit is not None
        )
        entry.classification_text = classification_name(entry.classification, rules)
        rows.append(entry)
    context = {
        "decision": decision,
        "cohort": cohort,
        "program": program,
        "training": training,
        "recognised": recognised,
        "class_phrase": documents.class_phrase(cohort.name),
        # "58-QĐ/TCT", as the annex cites it: "Kèm theo Quyết định số 58-QĐ/TCT".
        "number_only": head.number.removeprefix("Số:").removeprefix("Số").strip(),
        "credential_name": "bằng tốt nghiệp" if training else "chứng chỉ",
        "authority": f"{head.signer_lines[0].removeprefix('KT. ')} {head.body}",
        "entries": rows,
        "head": head,
    }
    return documents.render_pdf("grading/decision_pdf.html", context)
