"""The Plan: every row checked against the rest of the file and the database, and the writes.

Classes are matched by class code, students by national ID and enrollments by (student,
class). The records the file names are loaded in a few queries whatever its length; writing
is a handful of bulk statements.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Upper
from django.utils.translation import gettext as _

from daotao.cohorts.importing.columns import COHORTS, STUDENTS
from daotao.cohorts.importing.reading import SheetRows
from daotao.cohorts.importing.results import ImportResult
from daotao.cohorts.importing.rows import RowReader, cell_national_id, cell_text
from daotao.cohorts.models import Cohort, CohortStatus, Enrollment, EnrollmentStatus
from daotao.lib.batches import BATCH, chunks
from daotao.lib.vietnamese import format_date, normalize_space
from daotao.org.models import Unit, UnitKind
from daotao.org.validity import unit_problem
from daotao.people.models import Student
from daotao.programs.models import Program
from daotao.web.import_results import ImportProblem, ProblemList, Tally

HOST_KINDS = (UnitKind.DISTRICT, UnitKind.COMMUNE, UnitKind.POLITICAL_CENTRE, UnitKind.SCHOOL)
LOCALITY_KINDS = (UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE)
AGENCY_KINDS = (UnitKind.AGENCY,)
# Checked before the name's sort and search keys are computed from it.
NAME_LENGTH = Student._meta.get_field("full_name").max_length

# Fields an import may change on a record already in the database.
COHORT_FIELDS = [c.key for c in COHORTS.columns if c.key != "code"]
HOST, OPENING = COHORT_FIELDS.index("host_locality"), COHORT_FIELDS.index("opening_date")
STATUS = COHORT_FIELDS.index("status")
STUDENT_FIELDS = [
    "date_of_birth", "gender", "ethnicity", "phone", "email", "position", "workplace", "locality", "agency",
]  # fmt: skip
ENROLLMENT_FIELDS = ["status", "notes"]

# A graduation decision (grading's, reached through the relations) settles statuses that an
# import, even of the very file that made the class, must never undo: see ``Plan``.
_DECISIONS = Cohort._meta.get_field("graduation_decisions").related_model


def state_of(instance: models.Model, fields: list[str]) -> tuple:
    """The values of ``fields`` (foreign keys by id, so nothing is fetched) to detect changes."""
    return tuple(getattr(instance, instance._meta.get_field(name).attname) for name in fields)


def _same_name(first: str, second: str) -> bool:
    return normalize_space(first).casefold() == normalize_space(second).casefold()


@dataclass
class _Changes:
    """What writing does to one model: rows to insert, rows to update."""

    new: list = field(default_factory=list)
    changed: list = field(default_factory=list)


class Plan:
    """Every row checked against the rest of the file and the database, and what writing
    it would change. ``problems`` lists every bad row; when it is empty, ``write`` applies."""

    def __init__(self, sheets: dict[str, SheetRows]):
        self.problems = ProblemList()
        self.cohort_sheet = sheets[COHORTS.name]
        self.student_sheet = sheets[STUDENTS.name]
        self.cohorts, self.students, self.enrollments = _Changes(), _Changes(), _Changes()
        self.result = ImportResult()
        self._load_records()
        cohorts = self._check_cohorts()
        self._check_students(cohorts)

    def _load_records(self) -> None:
        """Everything the file refers to, in a few queries whatever its length."""
        lop, hocvien = self.cohort_sheet.rows, self.student_sheet.rows
        program_codes = {cell_text(cells.get("program")).upper() for _, cells in lop} - {""}
        unit_codes = {cell_text(cells.get("host_locality")).upper() for _, cells in lop}
        unit_codes |= {cell_text(cells.get(key)).upper() for _, cells in hocvien for key in ("locality", "agency")}
        cohort_codes = {cell_text(cells.get("code")).upper() for _, cells in lop}
        cohort_codes |= {cell_text(cells.get("cohort")).upper() for _, cells in hocvien}
        national_ids = {cell_national_id(cells.get("national_id")) for _, cells in hocvien}
        # Program and unit tables are small: match their codes case-insensitively. No
        # ORDER BY: the look-ups fill dictionaries.
        programs = Program.objects.annotate(upper_code=Upper("code")).filter(upper_code__in=program_codes).order_by()
        self.programs = {p.upper_code: p for p in programs}
        units = Unit.objects.annotate(upper_code=Upper("code")).filter(upper_code__in=unit_codes - {""}).order_by()
        self.units = {u.upper_code: u for u in units}
        self.cohorts_on_record = {
            c.code: c
            for chunk in chunks(sorted(cohort_codes - {""}))
            for c in Cohort.objects.filter(code__in=chunk)
            .annotate(decided=Exists(_DECISIONS.objects.filter(cohort=OuterRef("pk"))))
            .order_by()
        }
        self.students_on_record = {
            s.national_id: s
            for chunk in chunks(sorted(national_ids - {""}))
            for s in Student.objects.filter(national_id__in=chunk).order_by()
        }
        student_pks = sorted(s.pk for s in self.students_on_record.values())
        cohort_pks = sorted(c.pk for c in self.cohorts_on_record.values())
        self.enrollments_on_record = {}
        if student_pks and cohort_pks:
            for chunk in chunks(student_pks):
                on_record = Enrollment.objects.filter(student_id__in=chunk, cohort_id__in=cohort_pks)
                for enrollment in on_record.annotate(decision_number=F("graduation__decision__number")):
                    self.enrollments_on_record[enrollment.student_id, enrollment.cohort_id] = enrollment

    def _tally(self, changes: _Changes, tally: Tally, instance: models.Model, before: tuple, after: tuple) -> None:
        if instance.pk is None:
            changes.new.append(instance)
            tally.created += 1
        elif before != after:
            changes.changed.append(instance)
            tally.updated += 1
        else:
            tally.unchanged += 1

    def _check_cohorts(self) -> dict[str, Cohort]:
        """Each class row, merged onto the class on record; the classes by code."""
        sheet = self.cohort_sheet
        first_rows: dict[str, int] = {}
        cohorts: dict[str, Cohort] = {}
        for number, cells in sheet.rows:
            row = RowReader(sheet, number, cells, self.problems)
            code = row.code("code")
            program_code = row.code("program")
            if program_code and program_code not in self.programs:
                row.fail("program", _("Unknown program code “%(code)s”.") % {"code": program_code})
            values = {
                "name": row.text("name"),
                "program": self.programs.get(program_code),
                "mode": row.choice("mode"),
                "funding": row.choice("funding"),
                "host_locality": row.unit(
                    "host_locality",
                    self.units,
                    HOST_KINDS,
                    _(
                        "The unit “%(code)s” (%(name)s) cannot host a class: "
                        "use a locality, a political centre or the school."
                    ),
                ),
                "venue": row.text("venue"),
                "opening_date": row.date("opening_date"),
                "closing_date": row.date("closing_date"),
                "status": row.choice("status"),
                "plan_year": row.year("plan_year"),
                "notes": row.text("notes"),
            }
            if code and code in first_rows:
                row.fail(
                    "code",
                    _("The class code %(code)s is already on row %(row)s of this sheet.")
                    % {"code": code, "row": first_rows[code]},
                )
                continue
            first_rows.setdefault(code, number)
            cohort = self.cohorts_on_record.get(code) or Cohort(code=code)
            before = state_of(cohort, COHORT_FIELDS)
            for name, value in values.items():
                if value not in ("", None):  # an empty cell never erases what is on record
                    setattr(cohort, name, value)
            self._keep_cohort_status(row, cohort, before[STATUS])
            # A new class, or a class given another host or opening date, must be held in a
            # unit that exists on its opening date (org/validity.py).
            opening = cohort.opening_date
            moved = (cohort.host_locality_id, opening) != (before[HOST], before[OPENING])
            if cohort.host_locality_id and (cohort.pk is None or moved):
                if problem := unit_problem(values["host_locality"] or cohort.host_locality, opening):
                    row.fail("host_locality", problem)
            row.clean(cohort, exclude=["program", "host_locality", "homeroom_lecturer"])
            if not row.failed:
                cohorts[code] = cohort
                self._tally(self.cohorts, self.result.cohorts, cohort, before, state_of(cohort, COHORT_FIELDS))
        return cohorts

    def _check_students(self, cohorts: dict[str, Cohort]) -> None:
        """Each enrollment row; the students merged by national ID, then the enrollments."""
        sheet = self.student_sheet
        listed = {cell_text(cells.get("code")).upper() for _, cells in self.cohort_sheet.rows}
        first_rows: dict[str, tuple[int, str, dt.date | None]] = {}  # national ID -> row, name, birth
        pairs: dict[tuple[str, str], int] = {}  # (national ID, class code) -> row
        students: dict[str, tuple[Student, tuple]] = {}  # national ID -> student, state before
        enrollments: list[tuple[str, str, str, str]] = []
        for number, cells in sheet.rows:
            row = RowReader(sheet, number, cells, self.problems)
            cohort_code, number_id = row.code("cohort"), row.national_id("national_id")
            name, birth = row.text("full_name", NAME_LENGTH), row.date("date_of_birth", past=True)
            values = {
                "gender": row.choice("gender"),
                "ethnicity": row.text("ethnicity"),
                "phone": row.phone("phone"),
                "email": row.text("email"),
                "position": row.text("position"),
                "workplace": row.text("workplace"),
                "locality": row.unit(
                    "locality", self.units, LOCALITY_KINDS, _("The unit “%(code)s” (%(name)s) is not a locality.")
                ),
                "agency": row.unit(
                    "agency", self.units, AGENCY_KINDS, _("The unit “%(code)s” (%(name)s) is not a sending agency.")
                ),
            }
            status, notes = row.choice("status"), row.text("notes")
            # This row's own data must make a valid student and enrollment (national ID
            # digits against birth year and gender, lengths, email).
            candidate = Student(national_id=number_id, date_of_birth=birth, **values)
            candidate.set_name(name)
            row.clean(candidate, exclude=["locality", "agency"])
            row.clean(
                Enrollment(status=status or EnrollmentStatus.STUDYING, notes=notes), exclude=["cohort", "student"]
            )
            if cohort_code and cohort_code not in listed and cohort_code not in self.cohorts_on_record:
                row.fail(
                    "cohort",
                    _("The class %(code)s is neither in the sheet %(sheet)s nor on record.")
                    % {"code": cohort_code, "sheet": COHORTS.name},
                )
            if number_id and "national_id" not in row.failed:
                self._check_same_person(row, number_id, name, birth, first_rows)
                if cohort_code and (number_id, cohort_code) in pairs:
                    row.fail(
                        "national_id",
                        _("This national ID is already in class %(code)s on row %(row)s.")
                        % {"code": cohort_code, "row": pairs[number_id, cohort_code]},
                    )
                pairs.setdefault((number_id, cohort_code), number)
            if row.failed:
                continue
            if number_id not in students:
                # A new student is this first row's candidate, whose name keys set_name()
                # derived above (bulk_create skips save(), which would derive them).
                student = self.students_on_record.get(number_id) or candidate
                students[number_id] = (student, state_of(student, STUDENT_FIELDS))
            student = students[number_id][0]
            if student.date_of_birth is None:
                student.date_of_birth = birth
            for attribute, value in values.items():
                if value not in ("", None):  # the last non-empty value in the file wins
                    setattr(student, attribute, value)
            enrollments.append((number, number_id, cohort_code, status, notes))
        if self.problems:
            return
        for student, before in students.values():
            self._tally(self.students, self.result.students, student, before, state_of(student, STUDENT_FIELDS))
        for number, number_id, cohort_code, status, notes in enrollments:
            cohort = cohorts.get(cohort_code) or self.cohorts_on_record[cohort_code]
            self._plan_enrollment(number, students[number_id][0], cohort, status, notes)

    def _check_same_person(self, row: RowReader, number_id: str, name: str, birth, first_rows: dict) -> None:
        """One national ID is one person: the same name and date of birth everywhere."""
        if number_id in first_rows:
            first_row, first_name, first_birth = first_rows[number_id]
            if name and first_name and not _same_name(name, first_name):
                row.fail(
                    "full_name",
                    _("The same national ID is on row %(row)s with another name (%(name)s).")
                    % {"row": first_row, "name": first_name},
                )
            if birth and first_birth and birth != first_birth:
                row.fail(
                    "date_of_birth",
                    _("The same national ID is on row %(row)s with another date of birth (%(date)s).")
                    % {"row": first_row, "date": format_date(first_birth)},
                )
            return
        first_rows[number_id] = (row.number, name, birth)
        on_record = self.students_on_record.get(number_id)
        if on_record is None:
            return
        if name and not _same_name(name, on_record.full_name):
            row.fail(
                "full_name",
                _("A student with this national ID is already on record as %(name)s.") % {"name": on_record.full_name},
            )
        if birth and on_record.date_of_birth and birth != on_record.date_of_birth:
            row.fail(
                "date_of_birth",
                _("A student with this national ID is already on record with the date of birth %(date)s.")
                % {"date": format_date(on_record.date_of_birth)},
            )

    def _keep_cohort_status(self, row: RowReader, cohort: Cohort, on_record: str) -> None:
        """A class with a graduation decision keeps its status, unless the file closes it."""
        if getattr(cohort, "decided", False) and cohort.status not in (on_record, CohortStatus.CLOSED):
            message = _(
                "The class %(code)s has a graduation decision: its status stays “%(kept)s” (the file says “%(file)s”)."
            )
            params = {
                "code": cohort.code,
                "kept": CohortStatus(on_record).label,
                "file": CohortStatus(cohort.status).label,
            }
            sheet = self.cohort_sheet
            self.result.keep(
                "kept_classes", ImportProblem(message % params, sheet.format.name, row.number, sheet.where("status"))
            )
            cohort.status = on_record

    def _kept_status(self, number: int, student: Student, enrollment: Enrollment, status: str) -> bool:
        """Whether the status on record stands against the file's ``status``: a graduate's
        (a graduation decision made them complete), and in a class with a graduation decision
        that of a student who had left it (withdrawn, deferred, transferred, cancelled). An
        import never undoes the decision; the row is noted in the result."""
        if not status or status == enrollment.status:
            return False
        if enrollment.decision_number is not None:
            counter = "kept_graduates"
            message = _(
                "%(name)s graduated by decision %(number)s: the status stays “%(kept)s” (the file says “%(file)s”)."
            )
        elif getattr(enrollment.cohort, "decided", False) and enrollment.status != EnrollmentStatus.STUDYING:
            counter = "kept_leavers"
            message = _(
                "%(name)s had left the class before its graduation decision: the status stays “%(kept)s” "
                "(the file says “%(file)s”)."
            )
        else:
            return False
        params = {
            "name": student.full_name,
            "number": enrollment.decision_number,
            "kept": EnrollmentStatus(enrollment.status).label,
            "file": EnrollmentStatus(status).label,
        }
        sheet = self.student_sheet
        self.result.keep(counter, ImportProblem(message % params, sheet.format.name, number, sheet.where("status")))
        return True

    def _plan_enrollment(self, number: int, student: Student, cohort: Cohort, status: str, notes: str) -> None:
        enrollment = self.enrollments_on_record.get((student.pk, cohort.pk)) if student.pk and cohort.pk else None
        if enrollment is None:
            enrollment = Enrollment(student=student, cohort=cohort, status=status or EnrollmentStatus.STUDYING)
            enrollment.notes, before = notes, ()
        else:
            before = state_of(enrollment, ENROLLMENT_FIELDS)
            enrollment.cohort = cohort  # the class on record, which knows whether it has a decision
            if not self._kept_status(number, student, enrollment, status):
                enrollment.status = status or enrollment.status
            enrollment.notes = notes or enrollment.notes
        self._tally(
            self.enrollments, self.result.enrollments, enrollment, before, state_of(enrollment, ENROLLMENT_FIELDS)
        )

    def write(self) -> None:
        Cohort.objects.bulk_create(self.cohorts.new, batch_size=BATCH)
        fill_pks(self.cohorts.new, Cohort, "code")
        Cohort.objects.bulk_update(self.cohorts.changed, COHORT_FIELDS, batch_size=BATCH)
        Student.objects.bulk_create(self.students.new, batch_size=BATCH)
        fill_pks(self.students.new, Student, "national_id")
        Student.objects.bulk_update(self.students.changed, STUDENT_FIELDS, batch_size=BATCH)
        for enrollment in self.enrollments.new:
            enrollment.cohort_id, enrollment.student_id = enrollment.cohort.pk, enrollment.student.pk
        Enrollment.objects.bulk_create(self.enrollments.new, batch_size=BATCH)
        Enrollment.objects.bulk_update(self.enrollments.changed, ENROLLMENT_FIELDS, batch_size=BATCH)


def fill_pks(objects: list[models.Model], model: type[models.Model], key: str) -> None:
    """Primary keys of bulk-created rows, for databases that do not return them."""
    missing = {getattr(obj, key): obj for obj in objects if obj.pk is None}
    for chunk in chunks(list(missing)):
        for value, pk in model.objects.filter(**{f"{key}__in": chunk}).values_list(key, "pk"):
            missing[value].pk = pk
