"""One of every document the school sends out, from the demo: what ``render_documents``
writes for people to look at, and what the layout tests read back word by word.

Each document is fetched at its own address, as the training office downloads it, so that
the file is the one a user gets (the same view, template, stylesheet and font)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.test import Client
from django.urls import reverse

from daotao.cohorts.models import Cohort
from daotao.demo import teaching_data as td
from daotao.exams.models import ExamSession
from daotao.finance.models import Payment
from daotao.grading.models import Credential, CredentialKind, CredentialStatus, GraduationDecision
from daotao.planning.models import AnnualPlan
from daotao.surveys.models import SurveyRound

# The yearly report the demo reproduces (the 2020 report of Bình An's school).
ANNUAL_YEAR = 2020


@dataclass(frozen=True)
class Document:
    kind: str  # a DocumentKind (the graduation decision is of the kind "graduation")
    file: str  # the file's name in the output folder
    url: str

    @property
    def extension(self) -> str:
        return self.file.rsplit(".", 1)[-1]


class DemoMissing(LookupError):
    """The database lacks the demo's records a document is drawn from."""


def _first(queryset, what: str):
    found = queryset.first()
    if found is None:
        raise DemoMissing(what)
    return found


def demo_documents() -> list[Document]:
    """Every document kind, in each format it has."""
    cohort = _first(Cohort.objects.filter(code=td.TC_CODE), f"class {td.TC_CODE}")
    documents = []
    for kind, stem in (
        (CredentialKind.DIPLOMA, "bang-tot-nghiep"),
        (CredentialKind.CERTIFICATE, "chung-chi"),
        (CredentialKind.CONFIRMATION, "giay-xac-nhan"),
    ):
        credential = _first(
            Credential.objects.filter(kind=kind, status=CredentialStatus.VALID).order_by("pk"),
            f"a {kind}",
        )
        documents.append(
            Document(kind, f"{stem}.pdf", reverse("grading:credential_print", args=[credential.pk]) + "?format=pdf")
        )
    student = _first(cohort.enrollments.select_related("student").order_by("pk"), "a student").student
    pack = reverse("twoway:pack_pdf", args=[cohort.pk, student.locality_id])
    documents += [
        Document("results_pack", "ket-qua-hoc-tap.pdf", pack),
        Document("results_pack", "ket-qua-hoc-tap.xlsx", pack.removesuffix(".pdf") + ".xlsx"),
        Document("graduation", "bao-cao-tot-nghiep.pdf", reverse("grading:report_pdf", args=[cohort.pk])),
        Document("graduation", "bao-cao-tot-nghiep.xlsx", reverse("grading:report_xlsx", args=[cohort.pk])),
    ]
    decision = _first(GraduationDecision.objects.filter(cohort=cohort), "a graduation decision")
    documents.append(
        Document(
            "graduation", "quyet-dinh-tot-nghiep.pdf", reverse("grading:decision_pdf", args=[cohort.pk, decision.pk])
        )
    )
    exam = _first(ExamSession.objects.filter(cohort=cohort).order_by("pk"), "an exam session")
    documents += [
        Document("exam_candidates", "danh-sach-thi-sinh.pdf", reverse("exams:candidates_pdf", args=[exam.pk])),
        Document("exam_slips", "the-du-thi.pdf", reverse("exams:slips_pdf", args=[exam.pk])),
    ]
    survey_round = _first(SurveyRound.objects.filter(cohort=cohort, phase="end").order_by("pk"), "a survey round")
    documents += [
        Document(
            "survey_results", "ket-qua-khao-sat.pdf", reverse("surveys:results_round_pdf", args=[survey_round.pk])
        ),
        Document(
            "survey_results", "ket-qua-khao-sat.xlsx", reverse("surveys:results_round_xlsx", args=[survey_round.pk])
        ),
    ]
    for extension in ("pdf", "docx", "xlsx"):
        documents.append(
            Document(
                "annual_report",
                f"bao-cao-nam-{ANNUAL_YEAR}.{extension}",
                reverse("reports:annual_download", args=[ANNUAL_YEAR, extension]),
            )
        )
    payment = _first(Payment.objects.valid().order_by("pk"), "a payment of a class's fee")
    documents.append(Document("receipt", "bien-lai.pdf", reverse("finance:receipt", args=[payment.pk])))
    plan = _first(AnnualPlan.objects.order_by("-year"), "a training plan")
    for extension in ("pdf", "docx", "xlsx"):
        documents.append(
            Document(
                "quota_table",
                f"chi-tieu-{plan.year}.{extension}",
                reverse(f"planning:quota_{extension}", args=[plan.year]),
            )
        )
    return documents


def render(documents: list[Document], user) -> dict[str, bytes]:
    """Each document's file as ``user`` downloads it (name: content); a document that does
    not come back as a file raises ``RuntimeError`` naming it."""
    host = next((host for host in settings.ALLOWED_HOSTS if host and "*" not in host and not host.startswith(".")), "")
    client = Client(HTTP_HOST=host) if host else Client()
    client.force_login(user)
    files = {}
    for document in documents:
        response = client.get(
            document.url, secure=not settings.DEBUG and getattr(settings, "SECURE_SSL_REDIRECT", False)
        )
        if response.status_code != 200 or "html" in response.get("Content-Type", ""):
            raise RuntimeError(f"{document.file}: {document.url} answered {response.status_code}")
        files[document.file] = response.content
    return files
