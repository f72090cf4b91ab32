"""Every row of the past-records workbook checked against the file and the database, and
the writes it leads to.

The classes and students come first, from the class import: a row names a class on record
that is over (closed, or past its closing date) and a student enrolled in it. A graduate
(``ResultRow``) is matched by that enrollment, a graduation decision by its class and
number, a credential (``CredentialRow``) by its register number; so the same file imported
again changes nothing, and a credential on record is never changed by an import. The records
the file names are loaded in a fixed number of queries (a few per 900 national IDs or
numbers), whatever the file's length.

Writing: the decisions, the graduates (their enrollment marked completed) and the credentials
in bulk statements, each record audited as the register and the graduation decision audit
theirs; then each register's counter is moved on past the imported numbers (the year's
register and, for serial numbers in DaoTao's own series, the series), so that the next
number the register gives (``grading.register``) is never one already given.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext as _

from daotao.audit.models import record, snapshot
from daotao.cohorts.models import Cohort, CohortStatus, Enrollment, EnrollmentStatus
from daotao.grading.graduation import DECISION_FIELDS, ENTRY_FIELDS
from daotao.grading.models import (
    OWN_REGISTER,
    Credential,
    CredentialKind,
    CredentialStatus,
    GraduationDecision,
    GraduationEntry,
    RegisterCounter,
)
from daotao.grading.register import FIELDS as CREDENTIAL_FIELDS
from daotao.grading.rules import band_from_text, classify, rules_for
from daotao.lib.batches import BATCH, chunks
from daotao.lib.vietnamese import format_date, format_decimal, normalize_space
from daotao.onboarding.importing.history_format import REGISTER, RESULTS, CredentialRow, ResultRow
from daotao.onboarding.importing.history_register import (
    SPACES,
    Graduate,
    Issued,
    RegisterChecks,
    number_key,
)
from daotao.people.models import Student
from daotao.programs.models import ProgramKind
from daotao.web.import_results import ImportProblem, ProblemList, Tally, counted_lines, too_long

Progress = Callable[[int, int], None]
PROGRESS_EVERY = 200  # rows between two progress reports
DECISION_ACTION = "graduation_decision.import"
GRADUATE_ACTION = "graduation.import"
CREDENTIAL_ACTION = "credential.import"
# The register's own action when a credential is replaced (``register._retire``).
REPLACED_ACTION = "credential_" + CredentialStatus.REPLACED
DECISION_LENGTH = GraduationDecision._meta.get_field("number").max_length
# Who may graduate: not those who left the class or whose enrollment was cancelled.
GRADUATING = (EnrollmentStatus.STUDYING, EnrollmentStatus.COMPLETED)


@dataclass
class HistoryImportResult:
    decisions: Tally = field(default_factory=Tally)
    graduates: Tally = field(default_factory=Tally)
    credentials: Tally = field(default_factory=Tally)
    dry_run: bool = False

    def lines(self) -> list[str]:
        counts = [
            (_("Graduation decisions: %(created)s created, %(unchanged)s unchanged."), self.decisions),
            (_("Graduates: %(created)s created, %(updated)s updated, %(unchanged)s unchanged."), self.graduates),
            (_("Diplomas, certificates and confirmations: %(created)s created, %(unchanged)s unchanged."),
             self.credentials),
        ]  # fmt: skip
        return counted_lines(self.dry_run, counts)

    def summary(self) -> str:
        return " ".join(self.lines())


def _finished(cohort: Cohort, today: dt.date) -> bool:
    return cohort.status == CohortStatus.CLOSED or (
        cohort.status != CohortStatus.CANCELLED and cohort.closing_date is not None and cohort.closing_date < today
    )


class HistoryPlan(RegisterChecks):
    """The checked rows: ``problems`` lists every bad one (sheet, row, column, reason); when
    it is empty, ``write`` records them. ``unread``: (class code, national ID) of result
    rows whose cells could not be read, whose credentials are not refused for it again."""

    def __init__(self, results, credentials, *, problems=None, unread=(), progress: Progress | None = None):
        self.results: list[ResultRow] = list(results)
        self.credentials: list[CredentialRow] = list(credentials)
        self.problems = problems if problems is not None else ProblemList()
        self.unread = set(unread)
        self.progress = progress
        self.today = timezone.localdate()
        self.result = HistoryImportResult()
        self.new_decisions: list[GraduationDecision] = []
        self.new_entries: list[GraduationEntry] = []
        self.changed_entries: list[tuple[GraduationEntry, dict]] = []  # (entry, its values before)
        self.completed: set[int] = set()  # enrollments marked completed
        self.issued: dict[tuple[int, str], Issued] = {}  # (enrollment, kind) -> new credential
        self.replaced: list[Credential] = []  # certificates on record a confirmation replaces
        self.counters: dict[tuple[str, int], int] = {}  # (kind, year) -> the highest number imported
        self._load()
        self._check()

    # --- the records the file names ---------------------------------------------------------
    def _load(self) -> None:
        rows = [*self.results, *self.credentials]
        codes = sorted({normalize_space(r.cohort).upper() for r in rows} - {""})
        national_ids = sorted({SPACES.sub("", r.national_id or "") for r in rows} - {""})
        self.cohorts: dict[str, Cohort] = {}
        for chunk in chunks(codes):
            found = Cohort.objects.annotate(upper_code=Upper("code")).filter(upper_code__in=chunk)
            for cohort in found.select_related("program__grading_rules").order_by():
                self.cohorts[cohort.upper_code] = cohort
        cohorts = {cohort.pk: cohort for cohort in self.cohorts.values()}
        self.students: dict[str, Student] = {}
        for chunk in chunks(national_ids):
            self.students.update((s.national_id, s) for s in Student.objects.filter(national_id__in=chunk).order_by())
        students = {student.pk: student for student in self.students.values()}
        self.enrollments: dict[tuple[int, int], Enrollment] = {}
        for chunk in chunks(sorted(students)):
            for enrollment in Enrollment.objects.filter(student_id__in=chunk).order_by():
                if enrollment.cohort_id in cohorts:
                    enrollment.cohort = cohorts[enrollment.cohort_id]
                    enrollment.student = students[enrollment.student_id]
                    self.enrollments[enrollment.cohort_id, enrollment.student_id] = enrollment
        enrollments = {enrollment.pk: enrollment for enrollment in self.enrollments.values()}
        self.entries: dict[int, GraduationEntry] = {}  # enrollment id -> its entry on record
        self.graduates: dict[int, Graduate] = {}
        self.held: dict[int, list[Credential]] = defaultdict(list)  # enrollment id -> credentials not voided
        for chunk in chunks(sorted(enrollments)):
            for entry in GraduationEntry.objects.filter(enrollment_id__in=chunk).select_related("decision").order_by():
                entry.enrollment = enrollments[entry.enrollment_id]
                self.entries[entry.enrollment_id] = entry
                self.graduates[entry.enrollment_id] = Graduate(entry, entry.decision.date)
            held = Credential.objects.filter(enrollment_id__in=chunk).exclude(status=CredentialStatus.VOIDED)
            for credential in held.order_by():
                self.held[credential.enrollment_id].append(credential)
        self.decisions: dict[tuple[int, str], GraduationDecision] = {}
        for chunk in chunks(sorted(cohorts)):
            for decision in GraduationDecision.objects.filter(cohort_id__in=chunk).order_by("id"):
                self.decisions.setdefault((decision.cohort_id, number_key(decision.number)), decision)
        self._load_register()
        years = {r.year or r.issued_on.year for r in self.credentials if r.year or r.issued_on}
        kinds = {r.kind for r in self.credentials}
        taken = Credential.objects.filter(register=OWN_REGISTER, kind__in=kinds, year__in=years).order_by()
        taken = taken.values_list("kind", "year", "sequence", "register_number")
        self.sequences = {(kind, year, sequence): number for kind, year, sequence, number in taken}

    def _load_register(self) -> None:
        """``by_register`` and ``by_serial``: the credentials on record in the school's own
        register (the past records are its own; a merged school's register may repeat its
        numbers) whose numbers the file names, by ``number_key``. The register's numbers are
        read whole and compared here, in one query: SQLite's UPPER knows only ASCII letters
        ("Số" is not "SỐ")."""
        self.by_register: dict[str, Credential] = {}
        self.by_serial: dict[str, Credential] = {}
        registers = {number_key(row.register_number) for row in self.credentials} - {""}
        serials = {number_key(row.serial_number) for row in self.credentials} - {""}
        if not registers and not serials:
            return
        named = {}  # credential id -> (register key, serial key) the file names
        own = Credential.objects.filter(register=OWN_REGISTER).order_by()
        for pk, register, serial in own.values_list("pk", "register_number", "serial_number"):
            keys = number_key(register), number_key(serial)
            if keys[0] in registers or keys[1] in serials:
                named[pk] = keys
        for chunk in chunks(sorted(named)):
            found = Credential.objects.filter(pk__in=chunk).select_related("enrollment__student", "enrollment__cohort")
            for credential in found.order_by():
                register, serial = named[credential.pk]
                if register in registers:
                    self.by_register[register] = credential
                if serial in serials:
                    self.by_serial[serial] = credential

    # --- the rows ---------------------------------------------------------------------------
    def _check(self) -> None:
        total = len(self.results) + len(self.credentials)
        self.first_results: dict[tuple[str, str], int] = {}
        self.first_numbers: dict[tuple[str, str], int] = {}  # (column, number key) -> row
        self.first_slots: dict[tuple[str, int, int], int] = {}  # (kind, year, sequence) -> row
        self.decisions_used: set[int] = set()
        rows = [(RESULTS, row) for row in self.results] + [(REGISTER, row) for row in self.credentials]
        for done, (sheet, row) in enumerate(rows):
            if self.progress and done % PROGRESS_EVERY == 0:
                self.progress(done, total)
            position = done + 1 if sheet is RESULTS else done - len(self.results) + 1
            number = row.row or position
            if sheet is RESULTS:
                self._check_result(row, number)
            else:
                self._check_credential(row, number)
        self._link_confirmations()
        self.result.decisions.created = len(self.new_decisions)
        self.result.decisions.unchanged = len(self.decisions_used)
        if self.progress:
            self.progress(total, total)

    def fail(self, sheet, row, key: str, message: str) -> None:
        column = row.columns.get(key) or sheet.column(key).header
        self.problems.append(ImportProblem(message, sheet.name, row.row, column))

    def _enrollment(self, sheet, row, code: str, national_id: str) -> Enrollment | None:
        """The enrollment a row names, in a class that is over; None (and the problem) if not."""
        cohort = self.cohorts.get(code)
        if cohort is None:
            self.fail(sheet, row, "cohort", _("No class with the code “%(code)s” is on record: import the class and "
                                              "its students first (the class workbook).") % {"code": code})  # fmt: skip
            return None
        if not _finished(cohort, self.today):
            message = (
                _("The class %(code)s was cancelled.")
                if cohort.status == CohortStatus.CANCELLED
                else _("The class %(code)s is not over (not closed, and its closing date is not past): only past "
                       "classes take past records.")
            )  # fmt: skip
            self.fail(sheet, row, "cohort", message % {"code": cohort.code})
            return None
        student = self.students.get(national_id)
        enrollment = self.enrollments.get((cohort.pk, student.pk)) if student else None
        if student is None:
            self.fail(sheet, row, "national_id", _("No student with this national ID is on record: import the "
                                                   "class's students first."))  # fmt: skip
        elif enrollment is None:
            self.fail(sheet, row, "national_id", _("%(name)s is not enrolled in the class %(code)s.")
                      % {"name": student.full_name, "code": cohort.code})  # fmt: skip
        return enrollment

    def _check_result(self, row: ResultRow, number: int) -> None:
        found = self.problems.total
        code, national_id = normalize_space(row.cohort).upper(), SPACES.sub("", row.national_id or "")
        enrollment = self._enrollment(RESULTS, row, code, national_id)
        first = self.first_results.setdefault((code, national_id), number)
        if first != number:
            self.fail(RESULTS, row, "national_id", _("This student of the class %(code)s is already on row %(row)s.")
                      % {"code": code, "row": first})  # fmt: skip
        decision_number = normalize_space(row.decision_number)
        if not decision_number:
            self.fail(RESULTS, row, "decision_number", _("A value is required."))
        elif len(decision_number) > DECISION_LENGTH:
            self.fail(RESULTS, row, "decision_number", too_long(DECISION_LENGTH, len(decision_number)))
        if row.decision_date is None:
            self.fail(RESULTS, row, "decision_date", _("A value is required."))
        elif row.decision_date > self.today:
            self.fail(RESULTS, row, "decision_date", _("The date %(date)s is in the future.")
                      % {"date": format_date(row.decision_date)})  # fmt: skip
        if enrollment is None or self.problems.total > found:
            self.unread.add((code, national_id))
            return
        cohort = enrollment.cohort
        if row.decision_date < cohort.opening_date:
            self.fail(RESULTS, row, "decision_date", _("The decision is dated before the class opened (%(date)s).")
                      % {"date": format_date(cohort.opening_date)})  # fmt: skip
        if enrollment.status not in GRADUATING:
            self.fail(RESULTS, row, "national_id", _("%(name)s's status in this class is “%(status)s”: only a "
                                                     "student who completed the class graduates.")
                      % {"name": enrollment.student.full_name, "status": enrollment.get_status_display()})  # fmt: skip
        average, classification = self._grade(row, cohort)
        decision = self._decision(row, number, cohort, decision_number)
        entry = self.entries.get(enrollment.pk)
        if entry is not None and number_key(entry.decision.number) != number_key(decision_number):
            self.fail(RESULTS, row, "decision_number", _("%(name)s already graduated from this class by the decision "
                                                         "%(number)s of %(date)s.") % {
                "name": enrollment.student.full_name, "number": entry.decision.number,
                "date": format_date(entry.decision.date),
            })  # fmt: skip
        if self.problems.total > found:
            self.unread.add((code, national_id))
            return
        self._plan_entry(enrollment, entry, decision, average, classification)

    def _grade(self, row: ResultRow, cohort: Cohort) -> tuple:
        """The average and classification the graduate is recorded with (fostering: none)."""
        if cohort.program.kind != ProgramKind.TRAINING:
            for key, value in (("average", row.average), ("classification", row.classification)):
                if value not in (None, ""):
                    self.fail(RESULTS, row, key, _("A fostering course is not classified: leave this cell empty."))
            return None, ""
        average, classification = row.average, row.classification
        if average is not None and not 0 <= average <= 10:
            self.fail(RESULTS, row, "average", _("An average is from 0 to 10."))
            return None, ""
        rules = rules_for(cohort.program)
        if classification:
            code = band_from_text(classification, rules)
            if code is None:
                bands = ", ".join(band.name for band in rules.bands)
                self.fail(RESULTS, row, "classification",
                          _("“%(value)s” is not a band of the program's grading rules; use one of: %(bands)s.")
                          % {"value": classification, "bands": bands})  # fmt: skip
            classification = code or ""
        elif average is None:
            self.fail(RESULTS, row, "classification", _("Give the classification, or the program average it "
                                                        "follows from."))  # fmt: skip
        else:
            classification, _downgraded = classify(average, rules=rules)
            if classification is None:
                self.fail(
                    RESULTS,
                    row,
                    "average",
                    _("%(average)s is below the pass mark (%(mark)s): the student did not graduate.")
                    % {"average": format_decimal(average, 2), "mark": format_decimal(rules.pass_mark, 1)},
                )
                classification = ""
        return average, classification

    def _decision(self, row: ResultRow, number: int, cohort: Cohort, decision_number: str) -> GraduationDecision:
        """The decision of the class with this number: on record, earlier in the file, or new."""
        key = (cohort.pk, number_key(decision_number))
        decision = self.decisions.get(key)
        if decision is None:
            decision = GraduationDecision(cohort=cohort, number=decision_number, date=row.decision_date)
            decision.first_row = number
            self.decisions[key] = decision
            self.new_decisions.append(decision)
        elif decision.date != row.decision_date:
            params = {"number": decision.number, "code": cohort.code, "date": format_date(decision.date)}
            if decision.pk:
                message = _("The decision %(number)s of the class %(code)s is on record dated %(date)s.") % params
            else:
                message = _("The decision %(number)s of the class %(code)s is dated %(date)s on row %(row)s.") % {
                    **params, "row": decision.first_row
                }  # fmt: skip
            self.fail(RESULTS, row, "decision_date", message)
        elif decision.pk:
            self.decisions_used.add(decision.pk)
        return decision

    def _plan_entry(self, enrollment, entry, decision, average, classification) -> None:
        tally = self.result.graduates
        if entry is None:
            entry = GraduationEntry(
                decision=decision, enrollment=enrollment, average=average, classification=classification
            )
            self.new_entries.append(entry)
            tally.created += 1
        else:
            average = entry.average if average is None else average  # an empty cell never erases
            if (entry.average, entry.classification) == (average, classification):
                tally.unchanged += 1
            else:
                before = snapshot(entry, ENTRY_FIELDS)
                entry.average, entry.classification = average, classification
                self.changed_entries.append((entry, before))
                tally.updated += 1
        self.graduates[enrollment.pk] = Graduate(entry, decision.date)
        if enrollment.status == EnrollmentStatus.STUDYING:
            self.completed.add(enrollment.pk)

    # --- writing ----------------------------------------------------------------------------
    def write(self, user) -> None:
        """Record the checked rows, audited; inside the caller's transaction."""
        note = _("Imported from the past-records workbook.")
        creator = user if getattr(user, "pk", None) else None
        for decision in self.new_decisions:
            decision.created_by = creator
        GraduationDecision.objects.bulk_create(self.new_decisions, batch_size=BATCH)
        for decision in self.new_decisions:
            record(user, decision, DECISION_ACTION, {}, snapshot(decision, DECISION_FIELDS), note=note)
        GraduationEntry.objects.bulk_create(self.new_entries, batch_size=BATCH)
        for entry in self.new_entries:
            record(user, entry, GRADUATE_ACTION, {}, snapshot(entry, ENTRY_FIELDS), note=entry.decision.number)
        GraduationEntry.objects.bulk_update(
            [entry for entry, _before in self.changed_entries], ["average", "classification"], batch_size=BATCH
        )
        for entry, before in self.changed_entries:
            record(user, entry, GRADUATE_ACTION, before, snapshot(entry, ENTRY_FIELDS), note=entry.decision.number)
        for chunk in chunks(sorted(self.completed)):
            Enrollment.objects.filter(pk__in=chunk, status=EnrollmentStatus.STUDYING).update(
                status=EnrollmentStatus.COMPLETED
            )
        credentials = [issued.credential for issued in self.issued.values()]
        # A confirmation may point at a certificate of the file: certificates are inserted first.
        for first in (True, False):
            batch = [c for c in credentials if (c.kind != CredentialKind.CONFIRMATION) == first]
            Credential.objects.bulk_create(batch, batch_size=BATCH)
        for credential in credentials:
            record(user, credential, CREDENTIAL_ACTION, {}, snapshot(credential, CREDENTIAL_FIELDS), note=note)
        for certificate in self.replaced:
            certificate.save(update_fields=["status", "reason"])
            after = snapshot(certificate, CREDENTIAL_FIELDS)
            record(user, certificate, REPLACED_ACTION, certificate.before, after, note=certificate.reason)
        self._move_counters()

    def _move_counters(self) -> None:
        """Each register's counter past the highest number imported into it; never back."""
        if not self.counters:
            return
        kinds, years = {kind for kind, _year in self.counters}, {year for _kind, year in self.counters}
        locked = RegisterCounter.objects.select_for_update().filter(kind__in=kinds, year__in=years).order_by()
        existing = {(counter.kind, counter.year): counter for counter in locked}
        new, moved = [], []
        for (kind, year), number in sorted(self.counters.items()):
            counter = existing.get((kind, year))
            if counter is None:
                new.append(RegisterCounter(kind=kind, year=year, last_number=number))
            elif counter.last_number < number:
                counter.last_number = number
                moved.append(counter)
        RegisterCounter.objects.bulk_create(new)
        RegisterCounter.objects.bulk_update(moved, ["last_number"])
