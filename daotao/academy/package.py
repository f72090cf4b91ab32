"""Reading a figures package file (docs/figures-format.md) and checking its shape before
anything is written: its size, JSON, format, the type of every field (each problem names
the field's path, ``package.lines[12].classes``), codes named but not listed, lines given
twice; the sums a quota year and a program's graduates state are compared with their parts
here and reported with the lines' totals (``totals.py``), after the signature.

No database here: the signature and the school are checked by ``importing``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from daotao.academy.format import (
    ALL,
    FORMAT,
    FUNDINGS,
    KINDS,
    MODES,
    RELATIONS,
)
from daotao.lib.vietnamese import format_file_size, format_int
from daotao.web.import_results import ImportProblem, ImportRejected, ProblemList

# The largest whole number a figure may be (the database's integer columns hold it).
MAX_FIGURE = 2_000_000_000
CODE_LENGTH, NAME_LENGTH = 32, 255
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def size_limit() -> int:
    """The largest package file accepted, in bytes (``DAOTAO_MAX_FIGURES_BYTES``)."""
    return settings.DAOTAO_MAX_FIGURES_BYTES


@dataclass(frozen=True)
class Line:
    relation: str
    program: str
    mode: str  # ALL for every value
    funding: str
    locality: str
    classes: int
    students: int

    @property
    def cell(self) -> tuple[str, str, str]:
        return (self.mode, self.funding, self.locality)


@dataclass(frozen=True)
class QuotaLine:
    year: int
    locality: str
    locality_name: str
    program: str
    funding: str
    planned: int
    achieved: int


@dataclass(frozen=True)
class Band:
    program: str
    band: str
    label: str
    count: int


@dataclass(frozen=True)
class EvaluationYear:
    year: int
    classes: int
    evaluated: int
    counts: dict


@dataclass(frozen=True)
class CareerCount:
    kind: str
    label: str
    count: int


@dataclass
class Package:
    """A package whose shape is right: its fields as the Academy stores them."""

    document: dict  # the file as read: {"package": …, "signature": …}
    school_name: str
    province: str
    key_id: str
    period_from: dt.date
    period_to: dt.date
    created_at: dt.datetime
    program_kinds: dict[str, str]  # program code -> kind
    # locality code -> the code of the unit directly above it (None at the top)
    locality_parents: dict[str, str | None] = field(default_factory=dict)
    lines: list[Line] = field(default_factory=list)
    quota: list[QuotaLine] = field(default_factory=list)
    graduates: list[tuple[str, int]] = field(default_factory=list)  # (program, graduates)
    bands: list[Band] = field(default_factory=list)
    evaluation: list[EvaluationYear] = field(default_factory=list)
    careers: list[CareerCount] = field(default_factory=list)
    # Stated sums that differ from their parts (quota years, graduates), for check_totals.
    sums_problems: ProblemList = field(default_factory=ProblemList)

    @property
    def signed(self) -> dict:
        return self.document["package"]

    @property
    def signature(self) -> dict:
        return self.document["signature"]


def rejected(message: str) -> ImportRejected:
    return ImportRejected([ImportProblem(message)])


def read_bytes(source: Path | bytes) -> bytes:
    """The file's bytes, refused unread when it is over the size limit."""
    limit = size_limit()
    if isinstance(source, bytes):
        size = len(source)
    else:
        try:
            size = Path(source).stat().st_size
        except OSError as error:
            raise rejected(_("The file cannot be read: %(reason)s.") % {"reason": error.strerror}) from None
    if size > limit:
        raise rejected(
            _("The file is too large (%(size)s): a figures package is at most %(limit)s.")
            % {"size": format_file_size(size), "limit": format_file_size(limit)}
        )
    return source if isinstance(source, bytes) else Path(source).read_bytes()


def _no_float(text: str):
    raise ValueError("float")


def parse_json(data: bytes) -> object:
    """The JSON document in ``data``; floating-point numbers refused (the format has none)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise rejected(_("The file is not a figures package: it is not text in UTF-8.")) from None
    try:
        return json.loads(text, parse_float=_no_float, parse_constant=_no_float)
    except json.JSONDecodeError as error:
        raise rejected(
            _("The file is not a figures package: it is not valid JSON (at line %(line)s, column %(column)s).")
            % {"line": format_int(error.lineno), "column": format_int(error.colno)}
        ) from None
    except ValueError:
        raise rejected(
            _("The file is not a figures package: it holds a number with a decimal point or too many digits.")
        ) from None
    except RecursionError:
        raise rejected(_("The file is not a figures package: its lists and objects are nested too deeply.")) from None


# --- the shape ------------------------------------------------------------------------------------

_MISSING = object()


class _Shape:
    """Reads a document field by field, noting every problem by the field's path; a value
    that is wrong is read as None and the reading goes on."""

    def __init__(self):
        self.problems = ProblemList()
        # Sums that do not add up (checked with the lines' totals, after the signature).
        self.totals = ProblemList()

    def problem(self, path: str, message: str) -> None:
        self.problems.append(ImportProblem(_("%(path)s: %(message)s") % {"path": path, "message": message}))

    def total_problem(self, path: str, message: str) -> None:
        self.totals.append(ImportProblem(_("%(path)s: %(message)s") % {"path": path, "message": message}))

    def _get(self, parent: dict, key: str, path: str, nullable: bool):
        value = parent.get(key, _MISSING)
        if value is _MISSING:
            self.problem(path, _("missing."))
        elif value is None and not nullable:
            self.problem(path, _("null, where a value is needed."))
        return None if value is _MISSING else value

    def object(self, parent: dict, key: str, path: str) -> dict | None:
        value = self._get(parent, key, path, nullable=False)
        if value is not None and not isinstance(value, dict):
            self.problem(path, _("expected an object {…}, not %(value)s.") % {"value": _shown(value)})
            return None
        return value

    def items(self, parent: dict, key: str, path: str):
        """(path of the item, item) of a list of objects; wrong items noted and left out."""
        value = self._get(parent, key, path, nullable=False)
        if value is None:
            return
        if not isinstance(value, list):
            self.problem(path, _("expected a list […], not %(value)s.") % {"value": _shown(value)})
            return
        for index, item in enumerate(value):
            where = f"{path}[{index}]"
            if isinstance(item, dict):
                yield where, item
            else:
                self.problem(where, _("expected an object {…}, not %(value)s.") % {"value": _shown(item)})

    def text(self, parent: dict, key: str, path: str, limit: int = NAME_LENGTH, nullable: bool = False):
        """A code: text that is not empty."""
        value = self._get(parent, key, path, nullable)
        if value is None:
            return None
        if not isinstance(value, str):
            self.problem(path, _("expected text, not %(value)s.") % {"value": _shown(value)})
            return None
        value = value.strip()
        if not value:
            self.problem(path, _("empty."))
            return None
        if len(value) > limit:
            self.problem(
                path,
                _("too long: at most %(limit)s characters, not %(length)s.")
                % {"limit": format_int(limit), "length": format_int(len(value))},
            )
            return None
        return value

    def name(self, parent: dict, key: str, path: str):
        """A name or label: text, which may be empty (a school not set up yet has no province)."""
        value = self._get(parent, key, path, nullable=False)
        if value is None or value == "":
            return value
        return self.text(parent, key, path)

    def choice(self, parent: dict, key: str, path: str, choices, nullable: bool = False):
        value = self._get(parent, key, path, nullable)
        if value is None:
            return None
        if value not in choices:
            self.problem(
                path,
                _("expected one of %(choices)s, not %(value)s.")
                % {"choices": ", ".join(choices), "value": _shown(value)},
            )
            return None
        return value

    def integer(self, parent: dict, key: str, path: str):
        value = self._get(parent, key, path, nullable=False)
        return self.whole_number(value, path) if value is not None else None

    def whole_number(self, value, path: str):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_FIGURE:
            self.problem(
                path,
                _("expected a whole number from 0 to %(max)s, not %(value)s.")
                % {"max": format_int(MAX_FIGURE), "value": _shown(value)},
            )
            return None
        return value

    def date(self, parent: dict, key: str, path: str):
        value = self._get(parent, key, path, nullable=False)
        if value is None:
            return None
        try:
            if not isinstance(value, str) or not _ISO_DATE.match(value):
                raise ValueError
            return dt.date.fromisoformat(value)
        except ValueError:
            self.problem(path, _("expected a date written YYYY-MM-DD, not %(value)s.") % {"value": _shown(value)})
            return None

    def moment(self, parent: dict, key: str, path: str):
        value = self._get(parent, key, path, nullable=False)
        if value is None:
            return None
        try:
            if not isinstance(value, str) or len(value) < 19:
                raise ValueError
            moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            self.problem(
                path,
                _("expected a date and time written YYYY-MM-DDTHH:MM:SSZ, not %(value)s.") % {"value": _shown(value)},
            )
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _shown(value) -> str:
    """A wrong value as the message shows it: JSON, cut short."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


def read_package(document) -> Package:
    """The package of ``document`` (the parsed file) whose every field has its type, or
    ImportRejected with every problem found (by path). Then the totals (``check_totals``)."""
    shape = _Shape()
    if not isinstance(document, dict) or not isinstance(document.get("package"), dict):
        raise rejected(_('The file is not a figures package: it holds {"package": {…}, "signature": {…}}.'))
    if not isinstance(document.get("signature"), dict):
        raise rejected(_("The file is not signed: it has no signature object beside the package."))
    body = document["package"]
    found = body.get("format")
    if found != FORMAT:
        raise rejected(
            _("package.format: this is not a package of the format %(expected)s (it says %(found)s).")
            % {"expected": FORMAT, "found": _shown(found)}
        )
    for key in ("algorithm", "key_id", "value"):
        shape.text(document["signature"], key, f"signature.{key}", limit=200)
    school = shape.object(body, "school", "package.school") or {}
    period = shape.object(body, "period", "package.period") or {}
    package = Package(
        document=document,
        school_name=shape.name(school, "name", "package.school.name") if school else None,
        province=shape.name(school, "province", "package.school.province") if school else None,
        key_id=shape.text(school, "key_id", "package.school.key_id", limit=64) if school else None,
        period_from=shape.date(period, "from", "package.period.from") if period else None,
        period_to=shape.date(period, "to", "package.period.to") if period else None,
        created_at=shape.moment(body, "created_at", "package.created_at"),
        program_kinds={},
    )
    if package.period_from and package.period_to and package.period_from > package.period_to:
        shape.problem("package.period", _("the first day comes after the last."))
    years = None
    if package.period_from and package.period_to:
        years = range(package.period_from.year, package.period_to.year + 1)
    for path, item in shape.items(body, "programs", "package.programs"):
        code = shape.text(item, "code", f"{path}.code", limit=CODE_LENGTH)
        shape.name(item, "name", f"{path}.name")
        kind = shape.choice(item, "kind", f"{path}.kind", KINDS)
        if code in package.program_kinds:
            shape.problem(f"{path}.code", _("the program %(code)s is listed twice.") % {"code": code})
        elif code and kind:
            package.program_kinds[code] = kind
    parents: dict[str, tuple[str, str | None]] = {}  # code -> (path, parent)
    for path, item in shape.items(body, "localities", "package.localities"):
        code = shape.text(item, "code", f"{path}.code", limit=CODE_LENGTH)
        shape.name(item, "name", f"{path}.name")
        parent = shape.text(item, "parent", f"{path}.parent", limit=CODE_LENGTH, nullable=True)
        if code in parents:
            shape.problem(f"{path}.code", _("the locality %(code)s is listed twice.") % {"code": code})
        elif code:
            parents[code] = (path, parent)
    for code, (path, parent) in parents.items():
        if parent is not None and parent not in parents:
            shape.problem(f"{path}.parent", _("the locality %(code)s is not in package.localities.") % {"code": parent})
        else:
            package.locality_parents[code] = parent
    localities = set(parents)
    _read_lines(shape, body, package, localities)
    _read_quota(shape, body, package, years)
    _read_graduation(shape, body, package)
    _read_evaluation(shape, body, package, years)
    seen = set()
    for path, item in shape.items(body, "careers", "package.careers"):
        kind = shape.text(item, "kind", f"{path}.kind", limit=CODE_LENGTH)
        label, count = shape.name(item, "label", f"{path}.label"), shape.integer(item, "count", f"{path}.count")
        if kind in seen:
            shape.problem(f"{path}.kind", _("the kind %(kind)s is listed twice.") % {"kind": kind})
        elif None not in (kind, label, count):
            seen.add(kind)
            package.careers.append(CareerCount(kind, label, count))
    if shape.problems:
        raise ImportRejected(shape.problems)
    package.sums_problems = shape.totals
    return package


def _read_lines(shape: _Shape, body: dict, package: Package, localities: set) -> None:
    seen: dict[tuple, str] = {}
    for path, item in shape.items(body, "lines", "package.lines"):
        relation = shape.choice(item, "relation", f"{path}.relation", RELATIONS)
        program = shape.text(item, "program", f"{path}.program", limit=CODE_LENGTH)
        mode = shape.choice(item, "mode", f"{path}.mode", MODES, nullable=True)
        funding = shape.choice(item, "funding", f"{path}.funding", FUNDINGS, nullable=True)
        locality = shape.text(item, "locality", f"{path}.locality", limit=CODE_LENGTH, nullable=True)
        classes = shape.integer(item, "classes", f"{path}.classes")
        students = shape.integer(item, "students", f"{path}.students")
        if program and program not in package.program_kinds:
            shape.problem(f"{path}.program", _("the program %(code)s is not in package.programs.") % {"code": program})
            continue
        if locality and locality not in localities:
            shape.problem(
                f"{path}.locality", _("the locality %(code)s is not in package.localities.") % {"code": locality}
            )
            continue
        wrong = any(
            item.get(key) is not None and value is None
            for key, value in (("mode", mode), ("funding", funding), ("locality", locality))
        )
        if None in (relation, program, classes, students) or wrong:
            continue
        line = Line(relation, program, mode or ALL, funding or ALL, locality or ALL, classes, students)
        key = (relation, program, *line.cell)
        if key in seen:
            shape.problem(path, _("the same relation, program and filters as %(other)s.") % {"other": seen[key]})
            continue
        seen[key] = path
        package.lines.append(line)


def _read_quota(shape: _Shape, body: dict, package: Package, years) -> None:
    seen_years, seen_lines = set(), set()
    for path, item in shape.items(body, "quota", "package.quota"):
        year = shape.integer(item, "year", f"{path}.year")
        planned = shape.integer(item, "planned", f"{path}.planned")
        achieved = shape.integer(item, "achieved", f"{path}.achieved")
        if year is not None and years is not None and year not in years:
            shape.problem(f"{path}.year", _("%(year)s is not a year of the period.") % {"year": year})
        elif year in seen_years:
            shape.problem(f"{path}.year", _("the year %(year)s is listed twice.") % {"year": year})
        seen_years.add(year)
        sums = [0, 0]
        for line_path, line in shape.items(item, "lines", f"{path}.lines"):
            quota = QuotaLine(
                year,
                shape.text(line, "locality", f"{line_path}.locality", limit=CODE_LENGTH),
                shape.name(line, "locality_name", f"{line_path}.locality_name"),
                shape.text(line, "program", f"{line_path}.program", limit=CODE_LENGTH),
                shape.choice(line, "funding", f"{line_path}.funding", FUNDINGS),
                shape.integer(line, "planned", f"{line_path}.planned"),
                shape.integer(line, "achieved", f"{line_path}.achieved"),
            )
            key = (year, quota.locality, quota.program, quota.funding)
            if None not in key and key in seen_lines:
                shape.problem(line_path, _("the same locality, program and funding as another line of the year."))
                continue
            seen_lines.add(key)
            if None in (quota.planned, quota.achieved):
                sums = None
            elif sums is not None:
                sums = [sums[0] + quota.planned, sums[1] + quota.achieved]
            if year is not None and None not in (quota.locality, quota.locality_name, quota.program, quota.funding):
                package.quota.append(quota)
        if sums is None:
            continue
        for name, value, total in (("planned", planned, sums[0]), ("achieved", achieved, sums[1])):
            if value is not None and value != total:
                shape.total_problem(
                    f"{path}.{name}",
                    _("%(value)s, but its lines add up to %(sum)s.")
                    % {"value": format_int(value), "sum": format_int(total)},
                )


def _read_graduation(shape: _Shape, body: dict, package: Package) -> None:
    seen = set()
    for path, item in shape.items(body, "graduation", "package.graduation"):
        program = shape.text(item, "program", f"{path}.program", limit=CODE_LENGTH)
        graduates = shape.integer(item, "graduates", f"{path}.graduates")
        if program in seen:
            shape.problem(f"{path}.program", _("the program %(code)s is listed twice.") % {"code": program})
        seen.add(program)
        total, bands = 0, set()
        for band_path, band in shape.items(item, "bands", f"{path}.bands"):
            code = shape.text(band, "band", f"{band_path}.band", limit=CODE_LENGTH)
            label, count = (
                shape.name(band, "label", f"{band_path}.label"),
                shape.integer(band, "count", f"{band_path}.count"),
            )
            if code in bands:
                shape.problem(f"{band_path}.band", _("the band %(code)s is listed twice.") % {"code": code})
                continue
            bands.add(code)
            if count is None:
                total = None
            elif total is not None:
                total += count
            if None not in (program, code, label, count):
                package.bands.append(Band(program, code, label, count))
        # Graduates recorded without a classification are in no band (a fostering program's, all).
        if graduates is not None and total is not None and graduates < total:
            shape.total_problem(
                f"{path}.graduates",
                _("%(value)s, fewer than the %(sum)s of its bands.")
                % {"value": format_int(graduates), "sum": format_int(total)},
            )
        if program is not None and graduates is not None:
            package.graduates.append((program, graduates))


def _read_evaluation(shape: _Shape, body: dict, package: Package, years) -> None:
    seen = set()
    for path, item in shape.items(body, "evaluation", "package.evaluation"):
        year = shape.integer(item, "year", f"{path}.year")
        classes = shape.integer(item, "classes", f"{path}.classes")
        evaluated = shape.integer(item, "evaluated", f"{path}.evaluated")
        others = {}
        for key, value in item.items():
            if key in ("year", "classes", "evaluated"):
                continue
            if shape.whole_number(value, f"{path}.{key}") is not None:
                others[key] = value
        if year is not None and years is not None and year not in years:
            shape.problem(f"{path}.year", _("%(year)s is not a year of the period.") % {"year": year})
        elif year in seen:
            shape.problem(f"{path}.year", _("the year %(year)s is listed twice.") % {"year": year})
        elif None not in (year, classes, evaluated):
            seen.add(year)
            package.evaluation.append(EvaluationYear(year, classes, evaluated, others))
