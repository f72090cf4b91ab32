"""Import of career events from one .xlsx workbook: the sheet ``CongTac``, one row per
event (national ID, kind, date, decision number, content).

Reading the file, its headers and its cells is the class import's
(``daotao.cohorts.importing``); this module adds the format, the checks of each row
against the file, the database and the user's scope, and the writes. Every row is checked
first; events are written only when the whole file is right (all or nothing), and each
one is audited.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from daotao.accounts.access import is_recorder
from daotao.audit.models import record, snapshot
from daotao.cohorts.access import recordable_students
from daotao.cohorts.importing.columns import Choices, Column, SheetFormat
from daotao.cohorts.importing.reading import SheetRows, read_workbook
from daotao.cohorts.importing.rows import RowReader, cell_national_id
from daotao.cohorts.importing.template import accepted_values, build_template
from daotao.lib import national_id as cccd
from daotao.lib.batches import chunks
from daotao.lib.vietnamese import format_int
from daotao.people.models import Student
from daotao.people.privacy import personal_data_access
from daotao.surveys.models import CareerEvent, CareerEventKind
from daotao.surveys.outcomes import EVENT_FIELDS
from daotao.web.import_results import ImportProblem, ImportRejected, ProblemList

logger = logging.getLogger(__name__)

_TWELVE_DIGITS = re.compile(r"^\d{12}$")

# The Vietnamese labels are the file format, so they are literals; codes are accepted too.
KINDS = Choices(
    {
        CareerEventKind.APPOINTMENT: ("Bổ nhiệm",),
        CareerEventKind.ROTATION: ("Luân chuyển", "Điều động"),
        CareerEventKind.PROMOTION: ("Đề bạt", "Nâng ngạch"),
        CareerEventKind.REWARD: ("Khen thưởng",),
        CareerEventKind.DISCIPLINE: ("Kỷ luật",),
    }
)
EVENTS = SheetFormat(
    "CongTac",
    (
        Column(
            "national_id", "Số CCCD", True,
            gettext_lazy("Citizen identity card number (12 digits) of a student on record."),
            ("CCCD", "Số căn cước công dân", "Số căn cước", "Số định danh cá nhân"), width=16,
        ),
        Column("kind", "Loại", True, gettext_lazy("What the decision is."),
               ("Loại sự kiện", "Hình thức", "Loại quyết định"), KINDS, 16),
        Column("date", "Ngày quyết định", True, gettext_lazy("Date of the decision (dd/mm/yyyy)."),
               ("Ngày", "Ngày QĐ", "Ngày ký"), width=16),
        Column("decision_number", "Số quyết định", True, gettext_lazy("Number of the decision."),
               ("Số QĐ", "Số hiệu quyết định"), width=20),
        Column("description", "Nội dung", False,
               gettext_lazy("The new position, the reward, or the measure."),
               ("Nội dung quyết định", "Ghi chú"), width=50),
    ),
)  # fmt: skip
SHEETS = (EVENTS,)


@dataclass
class OutcomeImportResult:
    created: int = 0
    dry_run: bool = False

    def summary(self) -> str:
        head = _("The file is valid; nothing was written (check only).") if self.dry_run else _("Import finished.")
        count = ngettext("%(count)s career event created.", "%(count)s career events created.", self.created) % {
            "count": format_int(self.created)
        }
        return f"{head} {count}"


@dataclass
class Plan:
    """The checked rows: ``problems`` lists every bad row; when it is empty, ``events``
    are the career events to write."""

    sheet: SheetRows
    user: object
    problems: ProblemList = field(default_factory=ProblemList)
    events: list[CareerEvent] = field(default_factory=list)

    def __post_init__(self):
        self._load_records()
        first_rows: dict[tuple[int, str, str], int] = {}
        for number, cells in self.sheet.rows:
            self._check_row(RowReader(self.sheet, number, cells, self.problems), first_rows)

    def _load_records(self) -> None:
        """The students the file names and their events, in a few queries per 900 IDs."""
        numbers = sorted({cell_national_id(cells.get("national_id")) for _, cells in self.sheet.rows} - {""})
        self.students: dict[str, Student] = {}
        self.recordable: set[int] = set()
        self.on_record: set[tuple[int, str, str]] = set()
        allowed = recordable_students(self.user)
        # Only students whose national ID the user sees: for another's (a student from
        # elsewhere in a class the user's locality hosts) the file confirms nothing.
        known = Student.objects.visible_to(self.user).filter(personal_data_access(self.user).q(Student))
        for chunk in chunks(numbers):
            found = known.filter(national_id__in=chunk).order_by()
            self.students.update({s.national_id: s for s in found})
            self.recordable.update(allowed.filter(national_id__in=chunk).order_by().values_list("pk", flat=True))
        for chunk in chunks(sorted(s.pk for s in self.students.values())):
            events = CareerEvent.objects.filter(student_id__in=chunk).order_by()
            self.on_record.update(events.values_list("student_id", "kind", "decision_number"))

    def _student(self, row: RowReader) -> Student | None:
        number = row.national_id("national_id")
        if not number:
            return None
        if not _TWELVE_DIGITS.match(number):
            row.fail("national_id", _("“%(value)s” is not a national ID: it has 12 digits.") % {"value": number})
            return None
        student = self.students.get(number)
        if student is None:
            # The same answer for a student who does not exist and one outside the scope.
            row.fail("national_id", _("There is no student with this national ID in your records."))
        elif student.pk not in self.recordable:
            row.fail("national_id", _("You may not record career events of this student."))
            return None
        return student

    def _check_row(self, row: RowReader, first_rows: dict[tuple[int, str, str], int]) -> None:
        student = self._student(row)
        event = CareerEvent(
            student=student,
            kind=row.choice("kind"),
            date=row.date("date"),
            decision_number=row.text("decision_number"),
            description=row.text("description"),
            recorded_by=self.user if getattr(self.user, "pk", None) else None,
        )
        row.clean(event, exclude=["student", "recorded_by"])
        if row.failed or student is None:
            return
        key = (student.pk, event.kind, event.decision_number)
        if key in self.on_record:
            row.fail(
                "decision_number",
                _("This decision (%(kind)s) is already on record for this student.")
                % {"kind": event.get_kind_display().lower()},
            )
        elif key in first_rows:
            row.fail("decision_number", _("The same event is already on row %(row)s.") % {"row": first_rows[key]})
        else:
            first_rows[key] = row.number
            self.events.append(event)


def _rejected(message: str) -> ImportRejected:
    return ImportRejected([ImportProblem(message)], SHEETS)


def career_events_import(source, *, user, dry_run: bool = False) -> OutcomeImportResult:
    """Import the career events of a workbook (path, bytes or file object): all rows, or
    nothing. Raises ImportRejected listing every problem (sheet, row, column, reason)."""
    if not is_recorder(user):
        raise _rejected(_("Your account may not record career events."))
    sheet = read_workbook(source, SHEETS)[EVENTS.name]
    plan = Plan(sheet, user)
    if plan.problems:
        raise ImportRejected(plan.problems, SHEETS)
    result = OutcomeImportResult(created=len(plan.events), dry_run=dry_run)
    if dry_run:
        return result
    try:
        with transaction.atomic():
            for event in plan.events:
                event.save()
                record(user, event, "career_event", {}, snapshot(event, EVENT_FIELDS), note=_("import"))
    except IntegrityError:
        logger.warning("career event import collided with a concurrent change", exc_info=True)
        raise _rejected(
            _("The records changed while the file was being imported; nothing was written. Try again.")
        ) from None
    return result


def template_workbook() -> bytes:
    """An empty career-event workbook: the sheet CongTac with its headers and an example
    row, and a HuongDan sheet that explains every column (in the active language)."""
    example = {
        "national_id": cccd.make("052", cccd.MALE, dt.date(1986, 3, 9), 1),
        "kind": KINDS.label(CareerEventKind.APPOINTMENT),
        "date": dt.date(2025, 8, 15),
        "decision_number": "125/QĐ-UBND",
        "description": "Bổ nhiệm giữ chức Phó Trưởng phòng Nội vụ",
    }
    rules = [
        _("One row per decision in the sheet %(sheet)s.") % {"sheet": EVENTS.name},
        _("The first row holds the column names; the order of the columns is free."),
        _("Dates: dd/mm/yyyy, or a date cell. Type values, not formulas, and do not merge cells."),
        _("The whole file is checked before anything is written: if any row is wrong, nothing is imported "
          "and every problem is listed with its row and column."),
        _("The student must be on record (by national ID) and among those you may record for; "
          "an event already on record (same student, kind and decision number) is refused."),
    ]  # fmt: skip
    return build_template([(EVENTS, example)], rules, accepted_values)
