"""The results pack of one class for one locality or sending agency: for each of the class's
students who came from that unit (their locality or agency is the unit or below it), each
module's result in the program's order, the average, the classification, the periods
missed, the disciplinary measures, whether they graduated and their diploma or certificate
number; as a table, an xlsx workbook and a PDF.

Everything is computed from the records (``grading.results.cohort_results`` for the
results) in a constant number of queries, whatever the number of students."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from daotao.accounts.scope import SYSTEM, scope_of
from daotao.cohorts.models import Cohort, Enrollment
from daotao.grading.cohort_report import bands_table, summary_sentence
from daotao.grading.models import Credential, CredentialStatus, Discipline, GraduationEntry, register_note
from daotao.grading.results import cohort_results
from daotao.grading.rules import BandCount, ModuleOutcome, ModuleStatus, band_counts, classification_label
from daotao.lib import xlsx
from daotao.lib.vietnamese import fold, format_date, format_decimal
from daotao.org.models import Unit, contact_emails
from daotao.people.privacy import personal_data_access
from daotao.programs.models import ProgramKind
from daotao.school import documents, identity
from daotao.school.models import DocumentKind


@dataclass
class PackRow:
    """One student's line in a pack."""

    full_name: str
    # The date in full, or its masked text ("••/••/1985") for a reader who may not see it.
    date_of_birth: dt.date | str | None
    locality: str
    agency: str
    status: str
    outcomes: list[ModuleOutcome]
    average: Decimal | None
    classification: str
    missed_periods: int
    total_periods: int
    conduct: list[str] = field(default_factory=list)
    graduated: bool = False
    graduation: str = ""
    credential_number: str = ""
    # The register of a school merged into this one the number is in; empty: the school's own.
    credential_register: str = ""
    # The student's record, which the pack's page links the name to (``records:student``).
    student_id: int | None = None
    # Graduated, or qualifies awaiting the decision: counted in the pack's summary.
    qualified: bool = False
    classification_code: str = ""

    @property
    def date_of_birth_text(self) -> str:
        return format_date(self.date_of_birth) if isinstance(self.date_of_birth, dt.date) else self.date_of_birth or ""

    @property
    def attendance(self) -> str:
        """Missed / total periods, as the table shows them."""
        return f"{self.missed_periods}/{self.total_periods}"


@dataclass
class Pack:
    cohort: object
    unit: Unit
    modules: list
    rows: list[PackRow]
    training: bool
    made_on: dt.date
    # Each band with graduates among the pack's qualified students, with its share of them.
    classes: list[BandCount] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def summary(self) -> str:
        """The graduation summary of the unit's students, in the graduation report's words
        (``grading.cohort_report.summary_sentence``)."""
        qualified = sum(1 for row in self.rows if row.qualified)
        return summary_sentence(qualified, len(self.rows), self.classes, training=self.training)

    @property
    def title(self) -> str:
        return _("Results of class %(cohort)s for %(unit)s") % {"cohort": self.cohort.code, "unit": self.unit.name}

    @property
    def file_stem(self) -> str:
        """The attachments' name without extension: ASCII, class code and unit code."""
        return f"ket-qua-{_ascii(self.cohort.code)}-{_ascii(self.unit.code)}"


def _ascii(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in fold(text)).strip("-") or "x"


def came_from(path: str) -> Q:
    """The rule of who is in a unit's pack, on Enrollment: the student's locality or sending
    agency is the unit at ``path`` or below it. ``comes_from`` is the same rule on rows
    already read."""
    return Q(student__locality__path__startswith=path) | Q(student__agency__path__startswith=path)


def cohorts_with_packs(user):
    """The classes (not cancelled) with at least one student from the user's units; every
    class for school-wide users, none for users without a unit."""
    cohorts = Cohort.objects.counted()
    scope = scope_of(user)
    if scope.everything:
        return cohorts
    if scope.own_unit_path is None:
        return cohorts.none()
    from_scope = Enrollment.objects.filter(cohort=OuterRef("pk")).on_roll()
    from_scope = from_scope.filter(came_from(scope.own_unit_path))
    return cohorts.filter(Exists(from_scope))


def comes_from(student, path: str) -> bool:
    return any(unit is not None and unit.path.startswith(path) for unit in (student.locality, student.agency))


def pack_enrollments(cohort, unit: Unit):
    """The class's students (not cancelled) who came from ``unit`` or a unit below it, by
    locality or by sending agency, in class order."""
    return (
        Enrollment.objects.filter(cohort=cohort)
        .on_roll()
        .filter(came_from(unit.path))
        .select_related("student__locality", "student__agency")
        .in_class_order()
    )


def _outcome_text(outcome: ModuleOutcome) -> str:
    if outcome.result is not None:
        return format_decimal(outcome.result, 1) + ("*" if outcome.retaken else "")
    if outcome.status == ModuleStatus.BARRED:
        return _("barred")
    return ""


def _conduct(discipline: Discipline) -> str:
    text = f"{discipline.get_measure_display()} ({format_date(discipline.date)}"
    if discipline.decision_number:
        text += f", {_('decision')} {discipline.decision_number}"
    return f"{text}): {discipline.reason}"


def pack_for(cohort, unit: Unit, reader=SYSTEM) -> Pack:
    """The pack of ``cohort`` for ``unit``; ``cohort`` best read with
    ``select_related("program__grading_rules")``. Eleven queries whatever the number of
    students: the students, their results (``cohort_results``), then their disciplinary
    measures, graduation entries and credentials once each.

    The pack goes to the unit the students came from, which sees their dates of birth; a
    ``reader`` who may not (the board) gets them masked (``privacy``)."""
    access = personal_data_access(reader)
    enrollments = list(pack_enrollments(cohort, unit))
    results = cohort_results(cohort, enrollments)
    ids = [enrollment.pk for enrollment in enrollments]
    conduct: dict[int, list[str]] = {}
    for discipline in Discipline.objects.filter(enrollment_id__in=ids).order_by("date", "id"):
        conduct.setdefault(discipline.enrollment_id, []).append(_conduct(discipline))
    entries = {
        entry.enrollment_id: entry
        for entry in GraduationEntry.objects.filter(enrollment_id__in=ids).select_related("decision")
    }
    credentials = {
        credential.enrollment_id: credential
        for credential in Credential.objects.filter(enrollment_id__in=ids, status=CredentialStatus.VALID).order_by(
            "kind"
        )
    }
    rows = []
    for enrollment in enrollments:
        result = results[enrollment.pk]
        student = enrollment.student
        entry = entries.get(enrollment.pk)
        credential = credentials.get(enrollment.pk)
        if entry is not None:
            classification = entry.classification
            graduation = _("Graduated (decision %(number)s of %(date)s)") % {
                "number": entry.decision.number,
                "date": format_date(entry.decision.date),
            }
        else:
            classification = result.classification or ""
            if result.complete:
                graduation = _("Qualifies; awaiting the graduation decision")
            else:
                graduation = _("Not graduated") + (": " + " ".join(result.problems) if result.problems else "")
        rows.append(
            PackRow(
                full_name=student.full_name,
                date_of_birth=access.shown(student).date_of_birth_cell,
                locality=student.locality.name if student.locality_id else "",
                agency=student.agency.name if student.agency_id else "",
                status=enrollment.get_status_display(),
                outcomes=result.module_list,
                average=entry.average if entry is not None and entry.average is not None else result.average,
                classification=classification_label(classification, results.rules),
                classification_code=classification,
                qualified=entry is not None or result.complete,
                missed_periods=result.missed_periods,
                total_periods=result.total_periods,
                conduct=conduct.get(enrollment.pk, []),
                graduated=entry is not None,
                graduation=graduation,
                credential_number=credential.register_number if credential else "",
                credential_register=credential.register if credential else "",
                student_id=student.pk,
            )
        )
    training = cohort.program.kind == ProgramKind.TRAINING
    codes = [row.classification_code for row in rows if row.qualified]
    return Pack(
        cohort=cohort,
        unit=unit,
        modules=results.modules,
        rows=rows,
        training=training,
        made_on=timezone.localdate(),
        classes=band_counts(codes, results.rules) if training else [],
    )


def recipients_with_counts(cohort) -> list[tuple[Unit, str, int]]:
    """(unit, email address or "", students) for every unit named as a locality or sending
    agency of the class's students (not cancelled). A unit without an address sends to
    the nearest unit above it that has one. Two queries."""
    named: dict[int, Unit] = {}
    enrollments = list(
        Enrollment.objects.filter(cohort=cohort).on_roll().select_related("student__locality", "student__agency")
    )
    for enrollment in enrollments:
        for unit in (enrollment.student.locality, enrollment.student.agency):
            if unit is not None:
                named[unit.pk] = unit
    if not named:
        return []
    emails = contact_emails(named.values())
    sizes = _pack_sizes(enrollments, named.values())
    recipients = []
    for unit in sorted(named.values(), key=lambda u: (u.sort_key, u.path)):
        recipients.append((unit, emails[unit.pk], sizes[unit.pk]))
    return recipients


def _pack_sizes(enrollments, units) -> dict[int, int]:
    """How many of ``enrollments`` (already read) each unit's pack holds."""
    sizes = {}
    for unit in units:
        sizes[unit.pk] = sum(1 for enrollment in enrollments if comes_from(enrollment.student, unit.path))
    return sizes


def recipients_for(cohort) -> list[tuple[Unit, str]]:
    """(unit, email address or "") for every unit the class's results go back to."""
    return [(unit, email) for unit, email, _count in recipients_with_counts(cohort)]


def _context(pack: Pack) -> dict:
    return {"pack": pack, "cohort": pack.cohort, "school": identity.current()}


def pack_pdf(pack: Pack) -> bytes:
    """The pack as the notice the school signs and sends to the unit (A4 landscape, Hướng
    dẫn 36-HD/VPTW)."""
    head = documents.letterhead(
        DocumentKind.RESULTS_PACK,
        document_type=documents.DocumentType.NOTICE,
        title="THÔNG BÁO",
        subject=f"Kết quả học tập của học viên lớp {pack.cohort.code}",
        date=pack.made_on,
        recipients=(f"- {pack.unit.name} (để biết);",),
    )
    context = {**_context(pack), "head": head, "class_phrase": documents.class_phrase(pack.cohort.name)}
    return documents.render_pdf("twoway/pack_pdf.html", context)


def pack_xlsx(pack: Pack) -> bytes:
    """The pack as xlsx: a title, the header row (in view, and on every printed page), then
    one row per student; results and averages as numbers (8,0 / 8,25), periods as counts;
    then the sheet TongHop: the graduation summary and each band's count and share."""
    book = xlsx.Book()
    sheet = book.sheet("KetQua")
    sheet.append([pack.title], xlsx.BOLD)
    sheet.append([f"{pack.cohort.name} · {pack.cohort.program.name}"])
    sheet.append()
    header = [_("No."), _("Full name"), _("Date of birth"), _("Locality"), _("Sending agency"), _("Status")]
    header += [module.code for module in pack.modules]
    if pack.training:
        header += [_("Average"), _("Classification")]
    header += [
        _("Missed periods"),
        _("Total periods"),
        _("Conduct"),
        _("Graduation"),
        _("Diploma or certificate number"),
    ]
    sheet.table_header(header, xlsx.Style(bold=True, wrap=True, vertical="top"))
    for number, row in enumerate(pack.rows, start=1):
        values = [number, row.full_name, row.date_of_birth, row.locality, row.agency, row.status]
        values += [
            xlsx.number(outcome.result, xlsx.GRADE) if outcome.result is not None else _outcome_text(outcome) or None
            for outcome in row.outcomes
        ]
        if pack.training:
            values += [xlsx.number(row.average, xlsx.AVERAGE), row.classification]
        values += [
            xlsx.number(row.missed_periods, xlsx.INTEGER),
            xlsx.number(row.total_periods, xlsx.INTEGER),
            "\n".join(row.conduct),
            row.graduation,
            "\n".join(filter(None, [row.credential_number, register_note(row.credential_register)])),
        ]
        sheet.append(values)
    widths = [6, 28, 12, 22, 22, 14, *[10] * len(pack.modules)]
    if pack.training:
        widths += [10, 14]
    widths += [10, 10, 30, 30, 18]
    sheet.finish_table(widths, freeze_columns=2)
    summary = book.sheet("TongHop")  # the graduation summary, as the graduation report's
    summary.append([pack.title], xlsx.BOLD)
    summary.append([pack.summary])
    summary.append()
    if pack.classes:
        bands_table(summary, pack.classes)
    summary.finish_table((40, 14, 14), header=(1, 2))
    return book.to_bytes()
