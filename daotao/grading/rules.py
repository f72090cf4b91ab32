"""The grading rules, each in one place (issue 5; DESIGN.md section 4b).

Every rule is a function of plain values and a ``Rules`` (a program's settings, or the
defaults): the grade sheet, the results of a cohort, graduation, the essays and the API all
call these. Nothing here reads the database except ``rules_for``. ``DEFAULT_RULES`` are the
defaults, which ``GradingRules`` (a program's own row) also starts from; ``Classification``
names the bands (here rather than in ``models``, which reads the defaults from this module).

Defaults: 10-point scale; component and module results rounded half up to one decimal; the
module result is the weighted mean of its components; pass at 5,0; a failed or missed exam
may be retaken once; a student who missed more than 20% of a module's periods may not sit
its exam; the program average is weighted by periods (two decimals); classification in
the program's bands (``Band``: a code, the name as printed, the average it starts from),
by default Xuất sắc >= 9,0, Giỏi >= 8,0, Khá >= 7,0, Trung bình >= 5,0, one band lower
after a retake or a disciplinary measure. A fostering certificate needs full attendance, every score at
least 5,0 and no disciplinary measure.
"""

from __future__ import annotations

import dataclasses
import enum
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daotao.lib.vietnamese import fold, format_decimal, format_percent, share

SCALE_MAX = Decimal(10)
# What a grader types for a student who did not sit an exam.
ABSENT_WORDS = frozenset({"v", "vắng", "vang", "absent"})


class Classification(models.TextChoices):
    """The codes of the default bands, from the best down (a program's own bands may add
    others, e.g. ``fair_average``)."""

    EXCELLENT = "excellent", gettext_lazy("Excellent")
    GOOD = "good", gettext_lazy("Good")
    FAIR = "fair", gettext_lazy("Fair")
    AVERAGE = "average", gettext_lazy("Average")


@dataclass(frozen=True)
class Band:
    """A classification band: ``code`` is what a result and a graduation decision store,
    ``name`` is printed on the documents (Vietnamese), ``minimum`` is the lowest program
    average that earns it."""

    code: str
    name: str
    minimum: Decimal

    @property
    def label(self) -> str:
        """The name on the pages: a default band keeps its translated label, any other band
        shows its name."""
        default = _DEFAULT_NAMES.get(self.code)
        if default is not None and default == self.name:
            return str(Classification(self.code).label)
        return self.name


# Today's bands, the defaults of every program (and of the ``GradingRules`` rows).
DEFAULT_BANDS = (
    Band(Classification.EXCELLENT.value, "Xuất sắc", Decimal("9.0")),
    Band(Classification.GOOD.value, "Giỏi", Decimal("8.0")),
    Band(Classification.FAIR.value, "Khá", Decimal("7.0")),
    Band(Classification.AVERAGE.value, "Trung bình", Decimal("5.0")),
)
_DEFAULT_NAMES = {band.code: band.name for band in DEFAULT_BANDS}
# A preset some programs use: "Trung bình khá" from 6,5 (below 7,0).
BANDS_WITH_FAIR_AVERAGE = (
    *DEFAULT_BANDS[:3],
    Band("fair_average", "Trung bình khá", Decimal("6.5")),
    DEFAULT_BANDS[3],
)
BAND_CODE = re.compile(r"^[a-z][a-z0-9_]{0,15}$")


def bands_to_json(bands: Sequence[Band]) -> list[dict]:
    """The bands as the ``GradingRules.bands`` field stores them, best first."""
    return [{"code": band.code, "name": band.name, "from": str(band.minimum)} for band in bands]


def bands_from_json(data) -> tuple[Band, ...]:
    """The stored bands (``bands_to_json``) as ``Band``; raises ValueError when they are not
    a list of code, name and from (``check_bands`` says what else is wrong)."""
    if not isinstance(data, list) or not data:
        raise ValueError(_("Give at least one band."))
    bands = []
    for item in data:
        if not isinstance(item, dict) or set(item) != {"code", "name", "from"}:
            raise ValueError(_("Each band has a code, a name and the average it starts from."))
        try:
            minimum = Decimal(str(item["from"]).replace(",", "."))
        except ArithmeticError:
            raise ValueError(_("“%(value)s” is not a mark.") % {"value": str(item["from"])[:20]}) from None
        if not minimum.is_finite():
            raise ValueError(_("“%(value)s” is not a mark.") % {"value": str(item["from"])[:20]})
        bands.append(Band(str(item["code"]).strip(), str(item["name"]).strip(), minimum))
    return tuple(bands)


def check_bands(bands: Sequence[Band], pass_mark: Decimal) -> list[str]:
    """What is wrong with a program's bands (empty when nothing): at least one; each code
    a short lowercase word, unique; names given and unique; thresholds from 0 to 10 with at
    most one decimal and strictly going down from the best band; the lowest band starting
    at or below the pass mark, so that every passing average has a band."""
    problems = []
    if not bands:
        return [_("Give at least one band.")]
    codes = [band.code for band in bands]
    names = [band.name.casefold() for band in bands]
    for band in bands:
        if not BAND_CODE.match(band.code):
            problems.append(
                _("Band code “%(code)s”: use lowercase letters, digits and _ (at most 16), starting with a letter.")
                % {"code": band.code[:20]}
            )
        if not band.name:
            problems.append(_("Band “%(code)s” has no name.") % {"code": band.code[:20]})
        if not Decimal(0) <= band.minimum <= SCALE_MAX or band.minimum != round_half_up(band.minimum, 1):
            problems.append(
                _("Band “%(name)s”: the average it starts from must be a mark from 0 to 10 with one decimal.")
                % {"name": band.name[:40]}
            )
    if len(set(codes)) != len(codes):
        problems.append(_("Two bands have the same code."))
    if len(set(names)) != len(names):
        problems.append(_("Two bands have the same name."))
    if any(lower.minimum >= higher.minimum for higher, lower in itertools.pairwise(bands)):
        problems.append(_("List the bands from the best down, each starting from a lower average than the one above."))
    if bands[-1].minimum > pass_mark:
        problems.append(
            _(
                "The lowest band must start at or below the pass mark (%(mark)s), "
                "so that every passing average has a band."
            )
            % {"mark": format_decimal(pass_mark, 1)}
        )
    return problems


@dataclass(frozen=True)
class Rules:
    pass_mark: Decimal = Decimal("5.0")
    score_decimals: int = 1
    average_decimals: int = 2
    max_retakes: int = 1
    retake_cap: Decimal | None = None
    max_absence_percent: int = 20
    bands: tuple[Band, ...] = DEFAULT_BANDS
    downgrade_after_retake: bool = True
    downgrade_for_discipline: bool = True
    essay_max_gap: Decimal = Decimal("1.0")
    certificate_min_score: Decimal = Decimal("5.0")


DEFAULT_RULES = Rules()
RULE_FIELDS = tuple(field.name for field in dataclasses.fields(Rules))


def rules_for(program) -> Rules:
    """The program's rules: its ``GradingRules`` row, or the defaults (at most one query,
    none when ``grading_rules`` was selected with the program)."""
    from daotao.grading.models import GradingRules

    try:
        row = program.grading_rules
    except GradingRules.DoesNotExist:
        return DEFAULT_RULES
    values = {name: getattr(row, name) for name in RULE_FIELDS if name != "bands"}
    try:
        bands = bands_from_json(row.bands)
    except ValueError:
        bands = DEFAULT_BANDS  # never stored: the model's clean refuses it
    return Rules(**values, bands=bands)


def round_half_up(value, decimals: int) -> Decimal:
    """Round as schools do by hand: 7,25 -> 7,3 and 7,24 -> 7,2 (never banker's rounding)."""
    return Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


class ScoreError(ValueError):
    """A typed score that is not a score; ``str()`` is the Vietnamese message."""


_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


def parse_score(text, rules: Rules = DEFAULT_RULES) -> Decimal | None:
    """A score typed in a sheet or a form: "" means no score; "7,5" and "7.5" are the same;
    the value is rounded half up to the program's decimals. Raises ScoreError for anything
    that is not a number from 0 to 10."""
    text = str(text if text is not None else "").strip()
    if not text:
        return None
    if not _NUMBER.match(text):
        raise ScoreError(_("“%(value)s” is not a score: write a number from 0 to 10, e.g. 7,5.") % {"value": text[:20]})
    value = Decimal(text.replace(",", "."))
    if value < 0 or value > SCALE_MAX:
        raise ScoreError(_("A score must be from 0 to 10 (typed: %(value)s).") % {"value": text[:20]})
    return round_half_up(value, rules.score_decimals)


def is_absent_word(text) -> bool:
    return str(text or "").strip().lower() in ABSENT_WORDS


def module_result(parts: Sequence[tuple[int, Decimal | None]], rules: Rules = DEFAULT_RULES) -> Decimal | None:
    """The weighted mean of (weight, score) components, rounded half up; None while a score
    is missing."""
    if not parts or any(score is None for _weight, score in parts):
        return None
    total_weight = sum(weight for weight, _score in parts)
    if total_weight <= 0:
        return None
    mean = sum(Decimal(weight) * Decimal(score) for weight, score in parts) / Decimal(total_weight)
    return round_half_up(mean, rules.score_decimals)


def passed(result: Decimal | None, rules: Rules = DEFAULT_RULES) -> bool:
    return result is not None and result >= rules.pass_mark


def exam_allowed(missed_periods: int, total_periods: int, rules: Rules = DEFAULT_RULES) -> bool:
    """May sit the exam unless more than the limit share of the module's periods was missed
    (exactly the limit is still allowed)."""
    if total_periods <= 0:
        return True
    return missed_periods * 100 <= rules.max_absence_percent * total_periods


def absence_limit(total_periods: int, rules: Rules = DEFAULT_RULES) -> Decimal:
    """The periods of a module a student may miss and still sit its exam: the limit share
    of its periods (20% of 72 is 14,4: 14 missed periods are allowed, 15 are not)."""
    return Decimal(rules.max_absence_percent * total_periods) / 100


def absence_reaches(
    missed_periods: int, total_periods: int, percent_of_limit: int, rules: Rules = DEFAULT_RULES
) -> bool:
    """Whether ``missed_periods`` of ``total_periods`` reach ``percent_of_limit`` percent of
    the absence limit (``absence_limit``), exactly at it included: 100 is the limit itself,
    past which ``exam_allowed`` bars the exam. Nobody who missed nothing reaches anything."""
    if missed_periods <= 0 or total_periods <= 0:
        return False
    return missed_periods * 100 * 100 >= percent_of_limit * rules.max_absence_percent * total_periods


# The mark of a student who did not sit an exam attempt.
ABSENT = "absent"


class ModuleStatus(enum.StrEnum):
    PENDING = "pending"  # a score is still missing
    PASSED = "passed"
    RETAKE = "retake"  # failed or missed the exam, may retake it
    FAILED = "failed"  # failed and no retake left
    BARRED = "barred"  # missed too many periods to sit the exam


@dataclass(frozen=True)
class Part:
    """One component of a module for one student: its weight, whether it is the exam, and
    its marks by attempt (a score, ``ABSENT``, or None when not entered yet). Only the exam
    has more than one attempt."""

    weight: int
    is_exam: bool
    attempts: tuple = ()


@dataclass(frozen=True)
class ModuleOutcome:
    status: ModuleStatus
    result: Decimal | None = None
    retaken: bool = False
    attempts_used: int = 0
    missed_periods: int = 0
    total_periods: int = 0

    @property
    def absence_share(self) -> Decimal | None:
        """The share of the module's periods held that the student missed."""
        if not self.total_periods:
            return None
        return Decimal(self.missed_periods) / Decimal(self.total_periods)

    @property
    def passed(self) -> bool:
        return self.status == ModuleStatus.PASSED

    @property
    def exam_barred(self) -> bool:
        return self.status == ModuleStatus.BARRED

    @property
    def may_retake(self) -> bool:
        return self.status == ModuleStatus.RETAKE


def _mark(value) -> Decimal | None:
    """An attempt's mark as a score: a missed exam counts as 0."""
    if value == ABSENT:
        return Decimal(0)
    return value


def module_outcome(
    parts: Sequence[Part], *, missed_periods: int = 0, total_periods: int = 0, rules: Rules = DEFAULT_RULES
) -> ModuleOutcome:
    """A student's result in one module: the weighted mean with the exam's first attempt,
    then with each retake while retakes are allowed; a retake's result is capped at
    ``retake_cap`` when set; absences above the limit bar the exam (a module without an
    exam has none to bar)."""
    periods = {"missed_periods": missed_periods, "total_periods": total_periods}
    exam = next((part for part in parts if part.is_exam), None)
    if exam and not exam_allowed(missed_periods, total_periods, rules):
        return ModuleOutcome(ModuleStatus.BARRED, **periods)
    others = [(part.weight, _mark(part.attempts[0] if part.attempts else None)) for part in parts if not part.is_exam]
    exam_attempts = list(exam.attempts[: 1 + rules.max_retakes]) if exam and exam.attempts else [None]
    while exam_attempts[-1] is None and len(exam_attempts) > 1:
        exam_attempts.pop()  # a retake not entered yet
    result = None
    for number, mark in enumerate(exam_attempts, start=1):
        parts_now = others + ([(exam.weight, _mark(mark))] if exam else [])
        result = module_result(parts_now, rules)
        if result is None:
            return ModuleOutcome(ModuleStatus.PENDING, attempts_used=number - 1, **periods)
        retaken = number > 1
        if retaken and rules.retake_cap is not None:
            result = min(result, rules.retake_cap)
        if passed(result, rules):
            return ModuleOutcome(ModuleStatus.PASSED, result, retaken, number, **periods)
    attempts_used = len(exam_attempts)
    status = ModuleStatus.RETAKE if exam and attempts_used <= rules.max_retakes else ModuleStatus.FAILED
    return ModuleOutcome(status, result, attempts_used > 1, attempts_used, **periods)


def program_average(results: Sequence[tuple[int, Decimal]], rules: Rules = DEFAULT_RULES) -> Decimal | None:
    """The mean of module results weighted by their periods, rounded half up to the
    program's average decimals; modules without periods do not weigh."""
    weighted = [(periods, result) for periods, result in results if periods > 0 and result is not None]
    total = sum(periods for periods, _result in weighted)
    if not total:
        return None
    mean = sum(Decimal(periods) * Decimal(result) for periods, result in weighted) / Decimal(total)
    return round_half_up(mean, rules.average_decimals)


def band(average: Decimal | None, rules: Rules = DEFAULT_RULES) -> str | None:
    """The code of the band an average earns before any downgrade: the first of the
    program's bands (best first) whose threshold it reaches; None below the pass mark."""
    if average is None or average < rules.pass_mark:
        return None
    for candidate in rules.bands:
        if average >= candidate.minimum:
            return candidate.code
    return None


def classify(
    average: Decimal | None, *, retaken: bool = False, disciplined: bool = False, rules: Rules = DEFAULT_RULES
) -> tuple[str | None, bool]:
    """(code of the classification, downgraded): the band of the average, one band lower
    (never below the lowest, and one band even for both reasons) after a retake or a
    disciplinary measure when the program's rules say so."""
    earned = band(average, rules)
    if earned is None:
        return None, False
    lower = (retaken and rules.downgrade_after_retake) or (disciplined and rules.downgrade_for_discipline)
    codes = [candidate.code for candidate in rules.bands]
    position = codes.index(earned)
    if lower and position < len(codes) - 1:
        return codes[position + 1], True
    return earned, False


def band_of(code: str | None, rules: Rules = DEFAULT_RULES) -> Band | None:
    """The band a stored classification code names: the program's, else a default band
    (a code stored before the program's bands changed); None for an empty or unknown code."""
    if not code:
        return None
    for candidate in (*rules.bands, *DEFAULT_BANDS):
        if candidate.code == code:
            return candidate
    return None


def band_from_text(text: str, rules: Rules = DEFAULT_RULES) -> str | None:
    """The code of the band ``text`` names, as typed in a workbook: its code or its name
    (case and accents aside: "Trung binh kha"), among the program's bands, then the default
    bands (a past record may name a band the program no longer has); None for no band."""
    key = " ".join(fold(str(text or "")).split())
    if not key:
        return None
    for candidate in (*rules.bands, *DEFAULT_BANDS):
        if key in (fold(candidate.code), " ".join(fold(candidate.name).split())):
            return candidate.code
    return None


def classification_name(code: str | None, rules: Rules = DEFAULT_RULES) -> str:
    """A stored classification as printed on documents ("Xuất sắc", "Trung bình khá");
    an unknown code as it is stored, empty for none."""
    found = band_of(code, rules)
    return found.name if found is not None else (code or "")


def classification_label(code: str | None, rules: Rules = DEFAULT_RULES) -> str:
    """A stored classification as the pages show it (``Band.label``)."""
    found = band_of(code, rules)
    return found.label if found is not None else (code or "")


def band_labels(rules: Rules = DEFAULT_RULES) -> dict[str, str]:
    """{code: label} of the program's bands, and of the default bands' codes it lacks."""
    return {band.code: band.label for band in (*reversed(DEFAULT_BANDS), *reversed(rules.bands))}


@dataclass(frozen=True)
class BandCount:
    """One band of a graduation summary: how many graduates, and their share of all the
    graduates (a fraction rounded half up to two decimals of a percentage, ``lib.vietnamese.share``)."""

    band: Band
    count: int
    share: Decimal | None

    @property
    def label(self) -> str:
        return self.band.label

    @property
    def name(self) -> str:
        return self.band.name

    @property
    def share_text(self) -> str:
        return format_percent(self.share) if self.share is not None else ""


def band_counts(codes: Sequence[str | None], rules: Rules = DEFAULT_RULES) -> list[BandCount]:
    """The graduation summary of ``codes`` (one classification per graduate): each band with
    graduates, in the program's order (then any stored code no longer among its bands),
    its count and its share of all ``codes``, each share rounded on its own."""
    total = len(codes)
    counts: dict[str, int] = {}
    for code in codes:
        if code:
            counts[code] = counts.get(code, 0) + 1
    ordered = [candidate for candidate in rules.bands if counts.get(candidate.code)]
    known = {candidate.code for candidate in ordered}
    for code in counts:
        if code not in known:
            ordered.append(band_of(code, rules) or Band(code, code, Decimal(0)))
            known.add(code)
    return [BandCount(candidate, counts[candidate.code], share(counts[candidate.code], total)) for candidate in ordered]


def reconcile_essay(first: Decimal, second: Decimal, rules: Rules = DEFAULT_RULES) -> Decimal | None:
    """The essay's score from its two graders: their mean (rounded half up) when they are
    at most ``essay_max_gap`` apart; None when further apart, for the faculty to reconcile."""
    if abs(Decimal(first) - Decimal(second)) > rules.essay_max_gap:
        return None
    return round_half_up((Decimal(first) + Decimal(second)) / 2, rules.score_decimals)


def certificate_problems(
    *, missed_periods: int, scores: Sequence[Decimal | None], disciplined: bool, rules: Rules = DEFAULT_RULES
) -> list[str]:
    """Why a fostering course's certificate cannot be given yet; empty when it can: full
    attendance, every test scored at least the minimum, no disciplinary measure."""
    problems = []
    if missed_periods > 0:
        message = _("Did not attend the whole course (%(periods)s periods missed).")
        problems.append(message % {"periods": missed_periods})
    if not scores or any(score is None for score in scores):
        problems.append(_("A test has no score yet."))
    elif any(score < rules.certificate_min_score for score in scores):
        problems.append(
            _("A test scored below %(minimum)s.") % {"minimum": format_decimal(rules.certificate_min_score, 1)}
        )
    if disciplined:
        problems.append(_("Received a disciplinary measure."))
    return problems
