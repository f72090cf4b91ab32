"""Every nomination row checked against the file, the database and the user's scope, and
the writes it leads to.

A row is matched to an application of the year by (program, national ID): a new one is
created; one on record is updated if it is still pending and the user may see it. The
records the file names are loaded in a fixed number of queries (a few per 900 national
IDs), so checking costs the same per row whatever the file's length.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext as _

from daotao.accounts.scope import scope_of
from daotao.admissions.models import (
    Application,
    ApplicationDocument,
    Decision,
    DocumentType,
    PositionCategory,
    ProgramDocument,
)
from daotao.cohorts.importing.plan import state_of
from daotao.cohorts.importing.reading import SheetRows
from daotao.cohorts.importing.rows import RowReader, cell_national_id, cell_text
from daotao.lib.batches import chunks
from daotao.lib.vietnamese import format_int
from daotao.org.models import LOCALITY_KINDS, Unit, UnitKind
from daotao.org.validity import unit_problem
from daotao.planning.models import AnnualPlan
from daotao.programs.models import Program
from daotao.web.import_results import ProblemList

PROGRESS_EVERY = 200  # rows between two progress reports
# What an import may change on an application on record (the name's derived keys follow).
FIELDS = [
    "mode", "funding", "locality", "agency", "full_name", "date_of_birth", "gender", "ethnicity", "phone",
    "email", "party_status", "party_joined_on", "education_level", "theory_level", "position",
    "position_category", "workplace", "grade", "in_planning_pool", "planned_position", "rating_last_year",
    "rating_year_before", "notes",
]  # fmt: skip
UPDATE_FIELDS = [*FIELDS, "given_name", "sort_key", "search_key", "updated_at"]
# full_clean checks only the text fields (lengths, email) and the model's clean(): the
# other fields were parsed from their cells or resolved from preloaded codes (full_clean
# would query once per row for a foreign key).
CLEANED = ["full_name", "national_id", "ethnicity", "phone", "email", "position", "workplace", "notes"]
NOT_CLEANED = [f.name for f in Application._meta.fields if f.name not in CLEANED]
# Checked before the name's sort and search keys are computed from it.
NAME_LENGTH = Application._meta.get_field("full_name").max_length
_DOCUMENT_SEPARATORS = re.compile(r"[,;\n]+")

Progress = Callable[[int, int], None]


class _Row(RowReader):
    """A row of the file whose choice cells are read once per distinct value and column:
    the same few labels fill every row, and reading one folds its text (``choices``,
    shared by the rows of a file: (column, type, value) -> code)."""

    def __init__(self, sheet: SheetRows, number: int, cells: dict, problems, choices: dict):
        super().__init__(sheet, number, cells, problems)
        self.choices = choices

    def choice(self, key: str):
        value = self.cells.get(key)
        known = (key, type(value), value)
        code = self.choices.get(known)
        if code is None:
            code = super().choice(key)
            if code != "":  # not empty, and accepted
                self.choices[known] = code
        return code


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    documents: int = 0  # documents newly marked received
    dry_run: bool = False

    def lines(self) -> list[str]:
        head = _("The file is valid; nothing was written (check only).") if self.dry_run else _("Import finished.")
        counts = {k: format_int(getattr(self, k)) for k in ("created", "updated", "unchanged", "documents")}
        return [
            head,
            _("Nominations: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.") % counts,
            _("Documents marked received: %(documents)s.") % counts,
        ]

    def summary(self) -> str:
        return " ".join(self.lines())


@dataclass
class Plan:
    """The checked rows of a nomination sheet: ``problems`` lists every bad row; when it is
    empty, ``new`` and ``changed`` are the applications to write and ``received`` the
    documents each of them gets."""

    sheet: SheetRows
    plan: AnnualPlan
    user: object
    progress: Progress | None = None
    problems: ProblemList = field(default_factory=ProblemList)
    new: list[Application] = field(default_factory=list)
    changed: list[Application] = field(default_factory=list)
    received: dict[int, tuple[Application, list[int]]] = field(default_factory=dict)  # row -> (application, types)
    result: ImportResult = field(default_factory=ImportResult)

    def __post_init__(self):
        self.scope = scope_of(self.user)
        self.submitter = self.user if getattr(self.user, "pk", None) else None  # not the command's SYSTEM
        # Each concrete field's default, and whether it is called for each application.
        self.defaults = [
            (f.default, True) if f.has_default() and callable(f.default) else (f.get_default(), False)
            for f in Application._meta.concrete_fields
        ]
        self._load_records()
        self._check_rows()

    # --- the records the file names ---------------------------------------------------------
    def _load_records(self) -> None:
        rows = self.sheet.rows
        unit_codes = {cell_text(cells.get(k)).upper() for _, cells in rows for k in ("locality", "agency")} - {""}
        national_ids = sorted({cell_national_id(cells.get("national_id")) for _, cells in rows} - {""})
        # Small tables, loaded whole; no ORDER BY: they fill dictionaries.
        self.programs = {p.code.upper(): p for p in Program.objects.order_by()}
        self.positions = {p.code.upper(): p for p in PositionCategory.objects.order_by()}
        self.document_types = {d.code.upper(): d for d in DocumentType.objects.order_by()}
        self.checklists: dict[int, set[int]] = {}
        for program_id, type_id in ProgramDocument.objects.order_by().values_list("program_id", "document_type_id"):
            self.checklists.setdefault(program_id, set()).add(type_id)
        units = Unit.objects.annotate(upper_code=Upper("code")).filter(upper_code__in=unit_codes).order_by()
        self.units = {u.upper_code: u for u in units}
        self.on_record: dict[tuple[int, str], Application] = {}
        self.visible: set[int] = set()
        for chunk in chunks(national_ids):
            for application in Application.objects.filter(plan=self.plan, national_id__in=chunk).order_by():
                self.on_record[application.program_id, application.national_id] = application
            mine = Application.objects.visible_to(self.user).filter(plan=self.plan, national_id__in=chunk)
            self.visible.update(mine.order_by().values_list("pk", flat=True))
        # (application id, document type id) -> (document id, received): some five per
        # application, so tuples rather than model instances.
        self.documents_on_record: dict[tuple[int, int], tuple[int, bool]] = {}
        for chunk in chunks(sorted(a.pk for a in self.on_record.values())):
            documents = ApplicationDocument.objects.filter(application_id__in=chunk).order_by()
            for application_id, type_id, pk, received in documents.values_list(
                "application_id", "document_type_id", "pk", "received"
            ):
                self.documents_on_record[application_id, type_id] = (pk, received)

    # --- the rows ---------------------------------------------------------------------------
    def _check_rows(self) -> None:
        total = len(self.sheet.rows)
        first_rows: dict[str, int] = {}
        choices: dict[tuple, object] = {}
        self.not_a_locality = _("The unit “%(code)s” (%(name)s) is not a locality.")
        self.not_an_agency = _("The unit “%(code)s” (%(name)s) is not a sending agency.")
        for done, (number, cells) in enumerate(self.sheet.rows):
            if self.progress and done % PROGRESS_EVERY == 0:
                self.progress(done, 2 * total)
            row = _Row(self.sheet, number, cells, self.problems, choices)
            self._check_row(row, first_rows)
        if self.progress:
            self.progress(total, 2 * total)

    def _unit(self, row: RowReader, key: str, kinds, wrong_kind: str) -> Unit | None:
        """The unit the cell names, if it exists in the plan year (org/validity.py)."""
        unit = row.unit(key, self.units, kinds, wrong_kind)
        if (problem := unit_problem(unit, self.plan.year)) is not None:
            row.fail(key, problem)
            return None
        return unit

    def _category(self, row: RowReader, key: str) -> PositionCategory | None:
        code = row.code(key)
        if code and code not in self.positions:
            row.fail(
                key,
                _("Unknown position category code “%(code)s”; use one of: %(codes)s.")
                % {"code": code, "codes": ", ".join(sorted(self.positions))},
            )
        return self.positions.get(code)

    def _documents(self, row: RowReader, program: Program | None) -> list[int]:
        codes = [c.strip().upper() for c in _DOCUMENT_SEPARATORS.split(row.text("documents")) if c.strip()]
        types: list[int] = []
        for code in dict.fromkeys(codes):
            document = self.document_types.get(code)
            if document is None:
                row.fail(
                    "documents",
                    _("Unknown document code “%(code)s”; use one of: %(codes)s.")
                    % {"code": code, "codes": ", ".join(sorted(self.document_types))},
                )
            elif program is not None and document.pk not in self.checklists.get(program.pk, set()):
                row.fail(
                    "documents",
                    _("The document “%(code)s” is not on the dossier checklist of %(program)s.")
                    % {"code": code, "program": program.code},
                )
            else:
                types.append(document.pk)
        return types

    def _in_scope(self, row: RowReader, locality: Unit | None, agency: Unit | None) -> None:
        scope = self.scope
        if scope.everything:
            return
        if scope.agency_path is not None:
            if agency is not None and not agency.path.startswith(scope.agency_path):
                row.fail("agency", _("Your account may nominate only the staff of its own agency."))
        elif locality is not None and not locality.path.startswith(scope.unit_path):
            row.fail("locality", _("Your account may nominate only for its own locality and the units below it."))

    def _check_row(self, row: RowReader, first_rows: dict[str, int]) -> None:
        program_code = row.code("program")
        program = self.programs.get(program_code)
        if program_code and program is None:
            row.fail("program", _("Unknown program code “%(code)s”.") % {"code": program_code})
        number_id = row.national_id("national_id")
        locality = self._unit(row, "locality", LOCALITY_KINDS, self.not_a_locality)
        agency = self._unit(row, "agency", (UnitKind.AGENCY,), self.not_an_agency)
        if agency is None and "agency" not in row.failed and self.scope.agency_path is not None:
            agency = self.user.unit  # an agency nominates its own staff
        self._in_scope(row, locality, agency)
        name = row.text("full_name", NAME_LENGTH)
        values = {
            "mode": row.choice("mode"),
            "funding": row.choice("funding"),
            "locality": locality,
            "agency": agency,
            "date_of_birth": row.date("date_of_birth", past=True),
            "gender": row.choice("gender"),
            "ethnicity": row.text("ethnicity"),
            "phone": row.phone("phone"),
            "email": row.text("email"),
            "party_status": row.choice("party_status"),
            "party_joined_on": row.date("party_joined_on"),
            "education_level": row.choice("education_level"),
            "theory_level": row.choice("theory_level"),
            "position": row.text("position"),
            "position_category": self._category(row, "position_category"),
            "workplace": row.text("workplace"),
            "grade": row.choice("grade"),
            "in_planning_pool": row.choice("in_planning_pool"),
            "planned_position": self._category(row, "planned_position"),
            "rating_last_year": row.choice("rating_last_year"),
            "rating_year_before": row.choice("rating_year_before"),
            "notes": row.text("notes"),
        }
        documents = self._documents(row, program)
        if number_id and "national_id" not in row.failed:
            if number_id in first_rows:
                row.fail(
                    "national_id", _("This national ID is already on row %(row)s.") % {"row": first_rows[number_id]}
                )
            first_rows.setdefault(number_id, row.number)
        application = self._application(row, program, number_id)
        before = state_of(application, FIELDS) if application.pk else None
        if name and name != application.full_name:
            application.set_name(name)
        for attribute, value in values.items():
            if value not in ("", None):  # an empty cell never erases what is on record
                setattr(application, attribute, value)
        row.clean(application, exclude=NOT_CLEANED)
        if row.failed:
            return
        new_documents = [t for t in documents if not self._received(application, t)]
        if new_documents:
            self.received[row.number] = (application, new_documents)
            self.result.documents += len(new_documents)
        if application.pk is None:
            self.new.append(application)
            self.result.created += 1
        elif before != state_of(application, FIELDS) or new_documents:
            self.changed.append(application)
            self.result.updated += 1
        else:
            self.result.unchanged += 1

    def _application(self, row: RowReader, program: Program | None, number_id: str) -> Application:
        """The application on record this row updates, or a new one; a failure is recorded on
        the row when it may not (the application is then still checked, never written)."""
        application = self.on_record.get((program.pk, number_id)) if program is not None else None
        if application is None:
            return self._new_application(program, number_id)
        params = {"program": program.code, "year": self.plan.year}
        if application.pk not in self.visible:
            row.fail(
                "national_id",
                _("This candidate is already nominated for %(program)s in %(year)s by another locality or agency.")
                % params,
            )
        elif application.decision != Decision.PENDING:
            params["decision"] = application.get_decision_display().lower()
            row.fail(
                "national_id",
                _("The nomination of this candidate for %(program)s in %(year)s is already decided (%(decision)s).")
                % params,
            )
        return application

    def _new_application(self, program: Program | None, number_id: str) -> Application:
        """A new application with the model's defaults, as ``Application(plan=..., ...)``
        builds it, in a quarter of the time: the defaults are taken once per file (a callable
        one, such as the JSON fields' ``list``, called for each) and passed by position,
        Django's fast path (the one it loads rows with)."""
        application = Application(*[default() if call else default for default, call in self.defaults])
        application.plan, application.program = self.plan, program
        application.national_id, application.submitted_by = number_id, self.submitter
        return application

    def _received(self, application: Application, type_id: int) -> bool:
        document = self.documents_on_record.get((application.pk, type_id)) if application.pk else None
        return document is not None and document[1]

    # --- writing ----------------------------------------------------------------------------
    def documents_to_write(self) -> tuple[list[tuple[int, int]], list[int]]:
        """The documents to insert, as (application id, document type id), and the ids of
        those on record (not received yet) to mark received. Call after the applications are
        saved."""
        new, changed = [], []
        for application, types in self.received.values():
            for type_id in types:
                document = self.documents_on_record.get((application.pk, type_id))
                if document is None:
                    new.append((application.pk, type_id))
                else:
                    changed.append(document[0])
        return new, changed

    def stamp(self) -> None:
        now = timezone.now()
        for application in self.changed:
            application.updated_at = now
