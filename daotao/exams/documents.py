"""The printed papers of an exam session: the candidate list of each room (danh sách thí
sinh: seat number, name, date of birth, a column to sign) and the exam slips (thẻ dự thi),
one per candidate, laid out by ``school/documents.py`` in Vietnamese whatever the language
of the pages."""

from __future__ import annotations

from itertools import groupby

from daotao.exams.models import Candidate
from daotao.people.privacy import personal_data_access
from daotao.school import documents
from daotao.school.models import DocumentKind

# "Danh sách" in Hướng dẫn 36-HD/VPTW's table of abbreviations.
LIST = "DS"
HALF_DAYS = {"morning": "sáng", "afternoon": "chiều", "evening": "tối"}


def _candidates(exam, user):
    """The seated candidates, each with its date of birth as ``user`` may see it (``born``:
    in full for the office, masked for the board; ``people/privacy.py``)."""
    access = personal_data_access(user)
    candidates = list(
        Candidate.objects.filter(exam=exam)
        .select_related("exam_room__room__centre", "enrollment__student")
        .order_by("exam_room__pk", "seat")
    )
    for candidate in candidates:
        candidate.born = access.shown(candidate.enrollment.student).date_of_birth_text
    return candidates


def _facts(exam) -> dict:
    module = exam.assessment.module
    return {
        "exam": exam,
        "cohort": exam.cohort,
        "module": module,
        "half_day": HALF_DAYS.get(exam.session, exam.session),
        "sitting": "thi lại" if exam.attempt > 1 else "thi kết thúc học phần",
    }


def candidates_pdf(exam, user) -> bytes:
    """The candidate list, one part per room (each from a new page)."""
    facts = _facts(exam)
    module = facts["module"]
    head = documents.letterhead(
        DocumentKind.DEFAULT,
        document_type=LIST,
        title="DANH SÁCH THÍ SINH",
        subject=f"{facts['sitting'].capitalize()} {module.code} – {module.name}, lớp {exam.cohort.code}",
        recipients=("- Cán bộ coi thi các phòng thi;",),
    )
    rooms = [
        (exam_room, list(candidates))
        for exam_room, candidates in groupby(_candidates(exam, user), key=lambda candidate: candidate.exam_room)
    ]
    return documents.render_pdf("exams/candidates_pdf.html", {**facts, "head": head, "rooms": rooms})


def slips_pdf(exam, user) -> bytes:
    """One exam slip per candidate, four to a page."""
    facts = _facts(exam)
    head = documents.letterhead(DocumentKind.DEFAULT, document_type=LIST, title="THẺ DỰ THI")
    return documents.render_pdf("exams/slips_pdf.html", {**facts, "head": head, "candidates": _candidates(exam, user)})
