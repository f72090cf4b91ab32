"""A cadre's training record as a workbook: one sheet per section of the page, the personal
data as the reader may see it (``TrainingRecord.personal``), every text written as text
(``daotao.lib.xlsx``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from daotao.grading.models import CredentialStatus
from daotao.grading.rules import classification_label, rules_for
from daotao.lib import xlsx
from daotao.records.record import ClassRecord, TrainingRecord


def credential_text(item: ClassRecord) -> str:
    """``Bằng tốt nghiệp TC 000028`` for each credential of the class, a replaced or voided
    one with its status, one of a merged school's register with that register."""
    texts = []
    for credential in item.credentials:
        text = f"{credential.get_kind_display()} {credential.serial_number}"
        if credential.status != CredentialStatus.VALID:
            text += f" ({credential.get_status_display()})"
        if credential.register:
            text += f" ({credential.register_note})"
        texts.append(text)
    return "; ".join(texts)


def class_rows(record: TrainingRecord) -> list[list]:
    """The classes sheet's rows (without the heading), as the page lists them."""
    rows = []
    for number, item in enumerate(record.classes, start=1):
        cohort, entry = item.cohort, item.graduation
        rows.append(
            [
                number,
                cohort.code,
                cohort.name,
                cohort.program.name,
                cohort.opening_date,
                cohort.closing_date,
                item.enrollment.get_status_display(),
                xlsx.number(entry.average, xlsx.AVERAGE) if entry is not None else None,
                classification_label(entry.classification, rules_for(cohort.program)) if entry is not None else None,
                credential_text(item) or None,
            ]
        )
    return rows


def workbook(record: TrainingRecord) -> bytes:
    student, personal = record.student, record.personal
    book = xlsx.Book(title=_("Training record"))
    sheet = book.sheet("HocVien")
    sheet.table_header([_("Training record"), student.full_name], xlsx.BOLD)
    for label, value in (
        (_("Full name"), student.full_name),
        # An identifier with leading zeros: text, and text again when edited.
        (_("National ID"), xlsx.Cell(personal.national_id, xlsx.Style(number_format=xlsx.TEXT))),
        (_("Date of birth"), personal.date_of_birth_cell),
        (_("Gender"), student.get_gender_display()),
        (_("Locality"), student.locality.name if student.locality_id else None),
        (_("Sending agency"), student.agency.name if student.agency_id else None),
        (_("Position"), student.position),
        (_("Workplace"), student.workplace),
    ):
        sheet.append([label, value])
    sheet.finish_table((22, 50))

    classes = book.sheet("LopHoc")
    classes.table_header(
        [
            _("No."),
            _("Class code"),
            _("Class"),
            _("Program"),
            _("Opening date"),
            _("Closing date"),
            _("Status"),
            _("Program average"),
            _("Classification"),
            _("Diploma or certificate"),
        ]
    )
    for row in class_rows(record):
        classes.append(row)
    classes.finish_table((6, 18, 36, 36, 13, 13, 14, 12, 14, 30))

    applications = book.sheet("TuyenSinh")
    applications.table_header(
        [
            _("Plan year"),
            _("Program"),
            _("Nominating locality"),
            _("Sending agency"),
            _("Status"),
            _("Decision"),
            _("Decision number"),
            _("Decision date"),
        ]
    )
    for application in record.applications:
        applications.append(
            [
                application.plan.year,
                application.program.name,
                application.locality.name,
                application.agency.name if application.agency_id else None,
                application.get_status_display(),
                application.get_decision_display(),
                application.decision_number,
                application.decision_date,
            ]
        )
    applications.finish_table((10, 36, 24, 24, 18, 14, 16, 13))

    essays = book.sheet("TieuLuan")
    essays.table_header([_("Class code"), _("Essay topic"), _("Status"), _("Final score")])
    for essay in record.essays:
        score = xlsx.number(essay.score, xlsx.GRADE)
        essays.append([essay.enrollment.cohort.code, essay.title, essay.get_status_display(), score])
    essays.finish_table((18, 60, 20, 10))

    rounds = book.sheet("DanhGia")
    rounds.table_header([_("Class code"), _("Round"), _("Phase"), _("Who answers"), _("Closes on"), _("Closed")])
    for invited in record.rounds:
        survey_round = invited.survey_round
        rounds.append(
            [
                invited.cohort.code,
                survey_round.title,
                survey_round.get_phase_display(),
                survey_round.get_audience_display(),
                survey_round.closes_on,
                _("Yes") if invited.closed else _("No"),
            ]
        )
    rounds.finish_table((18, 50, 20, 30, 13, 10))

    career = book.sheet("CongTac")
    career.table_header([_("Date"), _("Kind"), _("Decision number"), _("Content")])
    for event in record.career_events:
        career.append([event.date, event.get_kind_display(), event.decision_number, event.description])
    career.finish_table((13, 16, 20, 60))
    return book.to_bytes()
