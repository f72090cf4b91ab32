"""The units workbook: one sheet ``DonVi``, one row per unit of the tree (the province, the
school with its faculties and offices, the localities before and after the 2025
reorganisation, the political centres and the sending agencies; docs/onboarding.md).

``units_apply(rows, user=…)`` checks every row against the others and against the units on
record, then writes all of them or none: units are matched by code (case and extra spaces
aside), created or updated, never deleted, each change audited. ``units_import(source,
user=…)`` reads a workbook into rows and applies them; the page, the command and the demo
all end in ``units_apply``.

A row's parent and successor may be on any row of the file or on record. Units are saved
one by one, parents first, so that ``Unit.save`` keeps every path; the successions are
written once every unit exists. The successor column names the unit this one merged into
(``org.Succession``, kind merged, effective the day after the unit ends): a unit with that
successor on record keeps its successions (a split recorded in the admin stays), another
code replaces them with this one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daotao.accounts.access import is_training_office
from daotao.accounts.scope import SYSTEM
from daotao.audit.models import record, snapshot
from daotao.cohorts.importing.columns import Choices, Column, SheetFormat
from daotao.cohorts.importing.reading import SheetRows, read_workbook
from daotao.cohorts.importing.rows import RowReader
from daotao.lib.batches import BATCH, chunks
from daotao.lib.vietnamese import format_date, format_int, normalize_space
from daotao.org.models import Succession, SuccessionKind, Unit, UnitKind
from daotao.web.import_results import ImportProblem, ImportRejected, ProblemList, Tally, counted_lines, too_long

ACTION = "unit.import"
# What the workbook sets on a unit, and what the audit trail compares.
FIELDS = ["code", "name", "kind", "parent", "valid_from", "valid_to", "email"]
CODE_LENGTH = Unit._meta.get_field("code").max_length
NAME_LENGTH = Unit._meta.get_field("name").max_length
EMAIL_LENGTH = Unit._meta.get_field("email").max_length

MAX_LEVELS = 10  # levels of the tree, the province being 1: a unit's path must fit its column
SHOWN_LOOP = 6  # units of a loop named in its problem

Progress = Callable[[int, int], None]

KINDS = Choices(
    {
        UnitKind.PROVINCE: ("Tỉnh", "Cấp tỉnh"),
        UnitKind.SCHOOL: ("Trường", "Trường Chính trị"),
        UnitKind.FACULTY: ("Khoa",),
        UnitKind.OFFICE: ("Phòng",),
        UnitKind.DISTRICT: ("Cấp huyện", "Huyện", "Quận", "Thị xã"),
        UnitKind.COMMUNE: ("Cấp xã", "Xã", "Phường", "Thị trấn", "Đặc khu"),
        UnitKind.POLITICAL_CENTRE: ("Trung tâm chính trị", "TTCT"),
        UnitKind.AGENCY: ("Cơ quan", "Cơ quan cử đi học"),
        UnitKind.OTHER: ("Khác",),
    }
)

UNITS = SheetFormat(
    "DonVi",
    (
        Column(
            "code", "Mã đơn vị", True,
            gettext_lazy("Unique code of the unit, stored in capitals; a unit on record with this code is updated."),
            ("Mã",), width=14,
        ),
        Column("name", "Tên đơn vị", True, gettext_lazy("Full name of the unit."), ("Tên",), width=40),
        Column("kind", "Loại", True, gettext_lazy("Kind of unit."), ("Loại đơn vị", "Cấp"), KINDS, 20),
        Column(
            "parent", "Mã đơn vị cấp trên", False,
            gettext_lazy("Code of the unit directly above: on any row of this sheet or on record. Required for "
                         "every unit but a province, which has none."),
            ("Mã cấp trên", "Đơn vị cấp trên", "Mã đơn vị trực thuộc"), width=18,
        ),
        Column(
            "valid_from", "Hiệu lực từ", False,
            gettext_lazy("First day the unit exists (dd/mm/yyyy); empty: it always has, or keeps the date on record."),
            ("Hiệu lực từ ngày", "Từ ngày"), width=14,
        ),
        Column(
            "valid_to", "Hiệu lực đến", False,
            gettext_lazy("Last day the unit exists (dd/mm/yyyy), e.g. 30/06/2025 for a district-level locality; "
                         "empty: it still exists, or keeps the date on record."),
            ("Hiệu lực đến ngày", "Đến ngày"), width=14,
        ),
        Column(
            "successor", "Mã đơn vị kế thừa", False,
            gettext_lazy("Code of the unit that took over when this one ended (e.g. the commune after a district); "
                         "it must be valid on the day after this unit's end."),
            ("Mã kế thừa", "Đơn vị kế thừa"), width=18,
        ),
        Column(
            "email", "Email", False,
            gettext_lazy("Where the school sends the unit's results packs and post-training surveys."),
            ("Thư điện tử",), width=26,
        ),
    ),
)  # fmt: skip
SHEETS = (UNITS,)


@dataclass(frozen=True)
class UnitRow:
    """One unit as a workbook row or the demo states it. Codes are compared in capitals with
    single spaces; ``kind`` is a ``UnitKind`` value or one of its Vietnamese labels. An empty
    date, successor or email keeps what is on record; ``parent`` empty means no parent (only
    a province has none). ``row``: the sheet's row number for problems (by default the row's
    place in the list, after one header row)."""

    code: str
    name: str
    kind: str
    parent: str = ""
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    successor: str = ""
    email: str = ""
    row: int | None = None


@dataclass
class UnitsResult:
    units: Tally = field(default_factory=Tally)
    dry_run: bool = False

    def lines(self) -> list[str]:
        return counted_lines(
            self.dry_run, [(_("Units: %(created)s created, %(updated)s updated, %(unchanged)s unchanged."), self.units)]
        )


def unit_code(text) -> str:
    """A unit code as stored and compared: single spaces, capitals (as ``Unit.clean``)."""
    return normalize_space(str(text or "")).upper()


def _rejected(message: str) -> ImportRejected:
    return ImportRejected([ImportProblem(message)], SHEETS)


def _check_user(user) -> None:
    if user is not SYSTEM and not is_training_office(user):
        raise _rejected(_("Your account may not change the units."))


def units_apply(rows: list[UnitRow], *, user, dry_run: bool = False, progress: Progress | None = None) -> UnitsResult:
    """Check ``rows`` against each other and the units on record, then create or update
    every unit, or none: ImportRejected lists every problem by sheet, row and column.
    ``user``: the training office, or ``SYSTEM`` (the command, the demo)."""
    _check_user(user)
    return _apply(rows, SheetRows(UNITS, {}, []), {}, ProblemList(), user=user, dry_run=dry_run, progress=progress)


def units_import(source, *, user, dry_run: bool = False, progress: Progress | None = None) -> UnitsResult:
    """Import the units workbook (path, bytes or file object): ``units_apply`` of its rows,
    with the problems of its cells listed along with those of the rows."""
    _check_user(user)
    sheet = read_workbook(source, SHEETS)[UNITS.name]
    problems = ProblemList()
    rows: list[UnitRow] = []
    failed: dict[int, set[str]] = {}  # row's index -> columns whose cell could not be read
    for number, cells in sheet.rows:
        reader = RowReader(sheet, number, cells, problems)
        rows.append(
            UnitRow(
                code=reader.text("code"),
                name=reader.text("name"),
                kind=reader.choice("kind"),
                parent=reader.text("parent"),
                valid_from=reader.date("valid_from"),
                valid_to=reader.date("valid_to"),
                successor=reader.text("successor"),
                email=reader.text("email"),
                row=number,
            )
        )
        if reader.failed:
            failed[len(rows) - 1] = set(reader.failed)
    return _apply(rows, sheet, failed, problems, user=user, dry_run=dry_run, progress=progress)


def _apply(rows, sheet, failed, problems, *, user, dry_run, progress) -> UnitsResult:
    if progress:
        progress(0, len(rows))
    try:
        with transaction.atomic():
            plan = _Plan(rows, sheet, failed, problems)
            if plan.problems:
                raise ImportRejected(plan.problems, SHEETS)
            if not dry_run:
                plan.write(user)
    except IntegrityError:
        raise _rejected(
            _("The records changed while the file was being imported; nothing was written. Try again.")
        ) from None
    if progress:
        progress(len(rows), len(rows))
    plan.result.dry_run = dry_run
    return plan.result


@dataclass
class _State:
    """A unit as the file leaves it: the row's values, and what is on record where the row
    leaves a date, the successor or the email empty."""

    number: int
    code: str
    name: str
    kind: str
    parent: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    successor: str
    email: str
    failed: set[str]
    gave: set[str] = field(default_factory=set)  # the optional cells the row filled in
    record: Unit | None = None

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


class _Plan:
    """The rows checked against each other and the units on record: ``problems``, or the
    units to create and update (``write``)."""

    def __init__(self, rows: list[UnitRow], sheet: SheetRows, failed: dict[int, set[str]], problems: ProblemList):
        self.sheet, self.problems, self.result = sheet, problems, UnitsResult()
        self.states: dict[str, _State] = {}  # by code, in the file's order; a repeated code is left out
        first_rows: dict[str, int] = {}
        for index, row in enumerate(rows):
            state = self._read(row, row.row or index + 2, failed.get(index, set()))
            if not state.code:
                continue
            if state.code in first_rows:
                self.fail(state, "code", _("The unit “%(code)s” is already on row %(row)s: one row per unit.")
                          % {"code": state.code, "row": format_int(first_rows[state.code])})  # fmt: skip
                continue
            first_rows[state.code] = state.number
            self.states[state.code] = state
        self._load()
        for state in self.states.values():
            self._merge(state)
        for state in self.states.values():
            self._check_parent(state)
            self._check_dates(state)
        self._check_tree()
        if not self.problems:
            self._count()

    def fail(self, state: _State, key: str, message: str) -> None:
        state.failed.add(key)
        self.problems.append(ImportProblem(message, UNITS.name, state.number, self.sheet.where(key)))

    # --- one row ----------------------------------------------------------------------------
    def _read(self, row: UnitRow, number: int, failed: set[str]) -> _State:
        state = _State(
            number, unit_code(row.code), normalize_space(row.name or ""), "", unit_code(row.parent),
            row.valid_from, row.valid_to, unit_code(row.successor), normalize_space(row.email or ""), set(failed),
        )  # fmt: skip
        state.gave = {key for key in ("valid_from", "valid_to", "successor", "email") if getattr(state, key)}
        for key, limit in (("code", CODE_LENGTH), ("name", NAME_LENGTH)):
            text = getattr(state, key)
            if key not in failed and not text:
                self.fail(state, key, _("A value is required."))
            elif key not in failed and len(text) > limit:
                self.fail(state, key, too_long(limit, len(text)))
        state.code = "" if "code" in state.failed else state.code  # a row without a code is left out
        if "kind" not in failed:
            if not row.kind:
                self.fail(state, "kind", _("A value is required."))
            elif (kind := KINDS[str(row.kind)]) is None:
                self.fail(state, "kind", _("“%(value)s” is not an accepted value; use one of: %(choices)s.")
                          % {"value": row.kind, "choices": KINDS.shown()})  # fmt: skip
            else:
                state.kind = kind
        if state.email and "email" not in failed:
            if len(state.email) > EMAIL_LENGTH:
                self.fail(state, "email", too_long(EMAIL_LENGTH, len(state.email)))
            else:
                try:
                    validate_email(state.email)
                except ValidationError:
                    self.fail(state, "email", _("“%(value)s” is not a valid email address.") % {"value": state.email})
        return state

    # --- the units on record ----------------------------------------------------------------
    def _load(self) -> None:
        """The units the file names, every unit above them, their successors and the units
        on record that they took over (to check the dates). A few queries per 900 codes."""
        named = {code for s in self.states.values() for code in (s.code, s.parent, s.successor)}
        self.by_pk: dict[int, Unit] = {}
        for chunk in chunks(sorted(named - {""})):
            units = Unit.objects.annotate(upper_code=Upper("code")).filter(upper_code__in=chunk).order_by()
            self.by_pk.update((unit.pk, unit) for unit in units)
        self.successors: dict[int, list[int]] = {}  # predecessor pk -> successor pks, earliest first
        self.predecessors: dict[int, list[Unit]] = {}  # successor pk -> predecessors not in the file
        links: dict[int, Succession] = {}
        for chunk in chunks(sorted(self.by_pk)):
            found = Succession.objects.filter(Q(predecessor_id__in=chunk) | Q(successor_id__in=chunk))
            links.update((link.pk, link) for link in found.select_related("predecessor", "successor").order_by())
        for link in sorted(links.values(), key=lambda link: (link.effective_date, link.pk)):
            if link.predecessor_id in self.by_pk:
                self.successors.setdefault(link.predecessor_id, []).append(link.successor_id)
                self.by_pk.setdefault(link.successor_id, link.successor)
            in_file = unit_code(self.by_pk[link.successor_id].code) in self.states
            if in_file and unit_code(link.predecessor.code) not in self.states:
                self.predecessors.setdefault(link.successor_id, []).append(link.predecessor)
        more = {int(pk) for unit in self.by_pk.values() for pk in unit.path.strip("/").split("/") if pk}
        for chunk in chunks(sorted(more - set(self.by_pk))):
            self.by_pk.update((unit.pk, unit) for unit in Unit.objects.filter(pk__in=chunk).order_by())
        self.on_record = {unit_code(unit.code): unit for unit in self.by_pk.values()}

    def _successor_codes(self, unit: Unit) -> list[str]:
        """The codes of the units on record as ``unit``'s successors, earliest first."""
        return [self._code_of(pk) for pk in self.successors.get(unit.pk, ())]

    def _code_of(self, pk: int | None) -> str:
        unit = self.by_pk.get(pk) if pk else None
        return unit_code(unit.code) if unit else ""

    def _merge(self, state: _State) -> None:
        unit = state.record = self.on_record.get(state.code)
        if unit is None:
            return
        state.valid_from = state.valid_from if "valid_from" in state.gave else unit.valid_from
        state.valid_to = state.valid_to if "valid_to" in state.gave else unit.valid_to
        state.successor = state.successor or next(iter(self._successor_codes(unit)), "")
        state.email = state.email or unit.email

    def _known(self, code: str) -> bool:
        return code in self.states or code in self.on_record

    def _parent_of(self, code: str) -> str:
        if code in self.states:
            return self.states[code].parent
        unit = self.on_record.get(code)
        return self._code_of(unit.parent_id) if unit else ""

    # --- the tree ---------------------------------------------------------------------------
    def _check_parent(self, state: _State) -> None:
        if "parent" in state.failed:
            return
        if state.kind == UnitKind.PROVINCE and state.parent:
            self.fail(state, "parent", _("A province is at the top of the tree: leave this cell empty."))
        elif not state.parent:
            if state.kind and state.kind != UnitKind.PROVINCE:
                self.fail(state, "parent", _("Give the code of the unit directly above this one: only a province "
                                             "has none."))  # fmt: skip
        elif state.parent == state.code:
            self.fail(state, "parent", _("A unit cannot be placed below itself."))
        elif not self._known(state.parent):
            self.fail(state, "parent", _("Unknown unit code “%(code)s”.") % {"code": state.parent})

    def _check_tree(self) -> None:
        """No unit below itself, none deeper than ``MAX_LEVELS``: each unit's chain up to the
        top is followed once, so that a long chain in the file costs no more than its length.
        ``levels``: the level of each unit named (the top is 1), used to write parents first."""
        self.levels: dict[str, int] = {}
        done: set[str] = set()  # codes whose chain was followed
        for state in self.states.values():
            chain, code = [], state.code
            while code and code not in done:
                done.add(code)
                chain.append(code)
                code = self._parent_of(code)
            if code in chain:
                self._report_loop(chain[chain.index(code) :])
            elif not code or code in self.levels:
                level = self.levels.get(code, 0)
                for below in reversed(chain):
                    level = self.levels[below] = level + 1
        for state in self.states.values():
            level = self.levels.get(state.code, 0)
            if level > MAX_LEVELS and "parent" not in state.failed:
                self.fail(state, "parent", _("This unit would be on level %(level)s of the tree, counting the top "
                                             "as 1; at most %(max)s levels are allowed.")
                          % {"level": format_int(level), "max": MAX_LEVELS})  # fmt: skip

    def _report_loop(self, loop: list[str]) -> None:
        """Each unit of the file in ``loop`` (each below the next, the last below the first)
        is placed below itself; the problem names the loop from that unit (at most a few)."""
        for start, code in enumerate(loop):
            state = self.states.get(code)
            if state is None or "parent" in state.failed:
                continue
            shown = [loop[(start + step) % len(loop)] for step in range(min(len(loop), SHOWN_LOOP))]
            shown += ["…", code] if len(loop) > SHOWN_LOOP else [code]
            self.fail(state, "parent", _("This places the unit below itself: %(chain)s, each below the next.")
                      % {"chain": " → ".join(shown)})  # fmt: skip

    # --- validity and succession ------------------------------------------------------------
    def _dates_key(self, state: _State) -> str:
        return "valid_to" if "valid_to" in state.gave or "valid_from" not in state.gave else "valid_from"

    def _check_dates(self, state: _State) -> None:
        if state.failed & {"valid_from", "valid_to"}:
            return
        if state.valid_from and state.valid_to and state.valid_to < state.valid_from:
            self.fail(state, self._dates_key(state), _("The end of validity cannot be before its start."))
            return
        self._check_successor(state)
        for predecessor in self.predecessors.get(state.record.pk if state.record else None, ()):
            if predecessor.valid_to and not state.is_valid_on(day := predecessor.valid_to + dt.timedelta(days=1)):
                self.fail(
                    state, self._dates_key(state),
                    _("%(name)s (%(code)s), on record with this unit as its successor, ends on %(end)s: this unit "
                      "must be valid on %(day)s.")
                    % {"name": predecessor.name, "code": predecessor.code, "end": format_date(predecessor.valid_to),
                       "day": format_date(day)},
                )  # fmt: skip
                return

    def _check_successor(self, state: _State) -> None:
        code = state.successor
        if not code or "successor" in state.failed:
            return
        if code == state.code:
            self.fail(state, "successor", _("A unit cannot be its own successor."))
            return
        if not self._known(code):
            self.fail(state, "successor", _("Unknown unit code “%(code)s”.") % {"code": code})
            return
        if state.valid_to is None:
            self.fail(state, "successor", _("A unit with a successor must have an end of validity: fill in "
                                            "%(column)s.") % {"column": UNITS.column("valid_to").header})  # fmt: skip
            return
        successor = self.states.get(code) or self.on_record[code]
        if isinstance(successor, _State) and successor.failed & {"valid_from", "valid_to"}:
            return  # its dates are reported on its own row
        day = state.valid_to + dt.timedelta(days=1)
        values = {"code": code, "day": format_date(day)}
        if successor.valid_from and successor.valid_from > day:
            self.fail(state, "successor", _("The successor “%(code)s” starts on %(start)s, later than %(day)s, the "
                                            "day after this unit ends.")
                      % {**values, "start": format_date(successor.valid_from)})  # fmt: skip
        elif successor.valid_to and successor.valid_to < day:
            self.fail(state, "successor", _("The successor “%(code)s” ends on %(end)s, before %(day)s, the day after "
                                            "this unit ends.")
                      % {**values, "end": format_date(successor.valid_to)})  # fmt: skip

    # --- the writes -------------------------------------------------------------------------
    def _is_unchanged(self, state: _State) -> bool:
        unit = state.record
        return (
            unit_code(unit.code) == unit.code
            and (unit.name, unit.kind, unit.valid_from, unit.valid_to, unit.email)
            == (state.name, state.kind, state.valid_from, state.valid_to, state.email)
            and self._code_of(unit.parent_id) == state.parent
            and self._successions_unchanged(unit, state)
        )

    def _successions_unchanged(self, unit: Unit, state: _State) -> bool:
        codes = self._successor_codes(unit)
        return not state.successor if not codes else state.successor in codes

    def _count(self) -> None:
        self.to_write: list[_State] = []
        for state in self.states.values():
            if state.record is None:
                self.result.units.created += 1
            elif self._is_unchanged(state):
                self.result.units.unchanged += 1
                continue
            else:
                self.result.units.updated += 1
            self.to_write.append(state)

    def _parents_first(self) -> list[_State]:
        """The units to write, each after the unit above it."""
        return sorted(self.to_write, key=lambda state: self.levels[state.code])

    def _unit(self, code: str) -> Unit | None:
        """The unit with ``code`` as it now stands: saved by this import, or on record."""
        state = self.states.get(code)
        return self.saved.get(code) or (state.record if state else self.on_record.get(code))

    def _refresh_paths(self) -> None:
        """Moving a unit rewrote the paths below it in the database: read them back into
        the units in hand, whose paths the next saves build on."""
        units = [unit for unit in [*self.by_pk.values(), *self.saved.values()] if unit.pk]
        paths: dict[int, str] = {}
        for chunk in chunks([unit.pk for unit in units]):
            paths.update(Unit.objects.filter(pk__in=chunk).values_list("pk", "path"))
        for unit in units:
            unit.path = paths.get(unit.pk, unit.path)

    def write(self, user) -> None:
        self.saved: dict[str, Unit] = {}
        before: dict[str, dict] = {}
        for state in self._parents_first():
            unit = state.record or Unit()
            before[state.code] = snapshot(unit, FIELDS) if state.record else {}
            if state.record:
                before[state.code]["successor"] = next(iter(self.successors.get(unit.pk, ())), None)
            old_parent = unit.parent_id
            unit.code, unit.name, unit.kind, unit.email = state.code, state.name, state.kind, state.email
            unit.valid_from, unit.valid_to = state.valid_from, state.valid_to
            unit.parent = self._unit(state.parent) if state.parent else None
            unit.save()
            self.saved[state.code] = unit
            if state.record and unit.parent_id != old_parent:
                self._refresh_paths()
        successors = self._write_successions()
        for state in self.to_write:
            unit, after = self.saved[state.code], snapshot(self.saved[state.code], FIELDS)
            after["successor"] = successors.get(state.code)
            if not state.record:  # a unit created: what it was given, not its empty fields
                after = {name: value for name, value in after.items() if value not in (None, "")}
            record(user, unit, ACTION, before[state.code], after)

    def _write_successions(self) -> dict[str, int | None]:
        """Each written unit's successor as the row leaves it (code -> pk, None for none):
        kept when on record (its effective date following the unit's end), else the unit's
        successions replaced by one merged row from the day after it ends. A few queries."""
        successors: dict[str, int | None] = {}
        replaced: list[int] = []
        created: list[Succession] = []
        for state in self.to_write:
            unit = self.saved[state.code]
            successor = self._unit(state.successor) if state.successor else None
            successors[state.code] = successor.pk if successor else None
            if successor is None:
                continue
            day = state.valid_to + dt.timedelta(days=1)
            if successor.pk in self.successors.get(unit.pk, ()):
                if state.valid_to != state.record.valid_to:
                    Succession.objects.filter(predecessor=unit, successor=successor, kind=SuccessionKind.MERGED).update(
                        effective_date=day
                    )
                continue
            if unit.pk in self.successors:
                replaced.append(unit.pk)
            created.append(Succession(predecessor=unit, successor=successor, effective_date=day))
        for chunk in chunks(replaced):
            Succession.objects.filter(predecessor_id__in=chunk).delete()
        Succession.objects.bulk_create(created, batch_size=BATCH)
        return successors
