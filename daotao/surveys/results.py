"""Results of evaluation survey rounds, and comparisons between rounds of one questionnaire.

Definitions, in one place (the page, the exports and any later API call these):
- the figures count the valid forms only (Thông tư 10/2017/TT-BNV: a form with more than
  the allowed share of blank items is invalid);
- a round's results stay hidden while its valid forms are fewer than its threshold
  (``SurveyRound.threshold``): then only the invitations and answers are counted, and no
  answer is read at all;
- an anonymous round's results are withheld until it has closed (only the invitations and
  answers are counted while it is open); a closed round's pool is written out first
  (``daotao.surveys.pool``), so that every form is counted;
- a rating's mean is rounded to 2 decimals (half up) and its band is the band of that
  rounded mean, given only when the question's scale is the rules' scale;
- the overall mean is the mean of every rating answer on the rules' scale;
- free texts are read only when asked for (``show_text``) and come in Vietnamese
  alphabetical order, never in the order they were submitted.

Every function runs a constant number of queries whatever the number of answers.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from daotao.lib import xlsx
from daotao.lib.charts import bar_chart
from daotao.lib.vietnamese import format_date, format_int, name_sort_key, normalize_space, text_sort_key
from daotao.surveys import pool
from daotao.surveys.models import Answer, EvaluationRules, Invitation, Question, QuestionKind, Response, SurveyRound

CENT = Decimal("0.01")
GROUPINGS = ("cohort", "lecturer", "year")


def _mean(total: Decimal, count: int) -> Decimal | None:
    return (Decimal(total) / count).quantize(CENT, rounding=ROUND_HALF_UP) if count else None


def share(count: int, whole: int) -> Decimal | None:
    """``count`` out of ``whole`` as a ratio; ``None`` out of nothing."""
    return Decimal(count) / whole if whole else None


def _on_rules_scale(question: Question, rules: EvaluationRules) -> bool:
    return (question.scale_min, question.scale_max) == (rules.scale_min, rules.scale_max)


def _ordered(questions) -> list[Question]:
    """Version order grouped by section, the same on SQLite and PostgreSQL (questions
    without a section first)."""
    return sorted(
        questions,
        key=lambda q: (q.section.order if q.section else -1, q.section_id or 0, q.order, q.pk),
    )


# --- one round --------------------------------------------------------------------


@dataclass
class Bar:
    label: str
    count: int
    share: Decimal | None


@dataclass
class QuestionResult:
    question: Question
    answers: int = 0
    # Ratings: every score of the scale; choices: every choice.
    bars: list[Bar] = field(default_factory=list)
    mean: Decimal | None = None
    band: str = ""
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    texts: list[str] = field(default_factory=list)
    # Sum of the rating or number answers (for the overall mean).
    total: Decimal = Decimal(0)

    @property
    def kind(self) -> str:
        return self.question.kind

    def chart(self) -> str:
        if not self.bars:
            return ""
        if self.kind == QuestionKind.RATING:
            description = _("Number of answers by score.")
        else:
            description = _("Number of answers by choice.")
        return bar_chart(
            [(bar.label, bar.count) for bar in self.bars],
            self.question.text,
            chart_id=f"q{self.question.pk}",
            description=description,
            width=max(320, 44 * len(self.bars) + 24),
            height=200,
        )


@dataclass
class SectionResult:
    title: str
    questions: list[QuestionResult]


@dataclass
class RoundResults:
    round: SurveyRound
    rules: EvaluationRules
    threshold: int
    invited: int
    answered: int
    valid: int
    invalid: int
    show_text: bool
    sections: list[SectionResult] = field(default_factory=list)
    mean: Decimal | None = None
    band: str = ""
    # An anonymous round still open: only how many answered is shown.
    withheld: bool = False

    @property
    def hidden(self) -> bool:
        return self.withheld or self.valid < self.threshold

    @property
    def rate(self) -> Decimal | None:
        return share(self.answered, self.invited)

    @property
    def questions(self) -> list[QuestionResult]:
        return [result for section in self.sections for result in section.questions]

    @property
    def hidden_message(self) -> str:
        if self.withheld:
            return _(
                "This evaluation is anonymous: its results are shown once it has closed, after %(date)s. "
                "Until then only the number of answers is shown."
            ) % {"date": format_date(self.round.closes_on)}
        return _("Not enough answers to show results (%(valid)s of the %(needed)s needed).") % {
            "valid": format_int(self.valid),
            "needed": format_int(self.threshold),
        }


def round_results(survey_round: SurveyRound, *, show_text: bool, today: dt.date | None = None) -> RoundResults:
    """The results of a round: 8 queries, 4 when hidden, 2 while an anonymous round is open,
    whatever the number of answers (more only on the first reading after an anonymous round
    has closed, which writes out its pool)."""
    rules = EvaluationRules.current()
    invitations = (
        Invitation.objects.filter(round=survey_round)
        .counted()
        .aggregate(invited=Count("id"), answered_count=Count("id", filter=Q(answered=True)))
    )
    if survey_round.withholds_results(today):
        return RoundResults(
            round=survey_round,
            rules=rules,
            threshold=survey_round.threshold_under(rules),
            invited=invitations["invited"],
            answered=invitations["answered_count"],
            valid=0,
            invalid=0,
            show_text=False,
            withheld=True,
        )
    if survey_round.anonymous:
        pool.flush_closed([survey_round], today=today)
    forms = Response.objects.filter(round=survey_round).aggregate(
        valid_forms=Count("id", filter=Q(valid=True)), invalid_forms=Count("id", filter=Q(valid=False))
    )
    results = RoundResults(
        round=survey_round,
        rules=rules,
        threshold=survey_round.threshold_under(rules),
        invited=invitations["invited"],
        answered=invitations["answered_count"],
        valid=forms["valid_forms"],
        invalid=forms["invalid_forms"],
        show_text=show_text,
    )
    if results.hidden:
        results.show_text = False
        return results
    questions = _ordered(
        Question.objects.filter(version_id=survey_round.version_id).select_related("section").order_by()
    )
    by_id = {question.pk: QuestionResult(question) for question in questions}
    answers = Answer.objects.filter(response__round=survey_round, response__valid=True)
    _count_numbers(answers, by_id, rules)
    _count_choices(answers, by_id)
    if show_text:
        texts = answers.filter(question__kind=QuestionKind.TEXT).values_list("question_id", "text")
        for question_id, text in texts:
            by_id[question_id].texts.append(text)
        for result in by_id.values():
            result.texts.sort(key=lambda text: (text_sort_key(text), text))
            if result.kind == QuestionKind.TEXT:
                result.answers = len(result.texts)
    else:
        counts = answers.filter(question__kind=QuestionKind.TEXT).values("question_id").annotate(n=Count("id"))
        for row in counts:
            by_id[row["question_id"]].answers = row["n"]
    sections: dict[object, SectionResult] = {}
    for question in questions:
        key = question.section_id
        if key not in sections:
            sections[key] = SectionResult(question.section.title if question.section else "", [])
        sections[key].questions.append(by_id[question.pk])
    results.sections = list(sections.values())
    overall = [
        (result.total, result.answers)
        for result in by_id.values()
        if result.kind == QuestionKind.RATING and _on_rules_scale(result.question, rules)
    ]
    results.mean = _mean(sum((total for total, _n in overall), Decimal(0)), sum(n for _t, n in overall))
    results.band = rules.band(results.mean)
    return results


def _count_numbers(answers, by_id: dict[int, QuestionResult], rules: EvaluationRules) -> None:
    """Ratings and numbers, counted per value by the database."""
    rows = (
        answers.filter(question__kind__in=(QuestionKind.RATING, QuestionKind.NUMBER))
        .values("question_id", "number")
        .annotate(n=Count("id"))
        .order_by()
    )
    values: dict[int, Counter] = defaultdict(Counter)
    for row in rows:
        values[row["question_id"]][row["number"]] += row["n"]
    for result in by_id.values():
        if result.kind not in (QuestionKind.RATING, QuestionKind.NUMBER):
            continue
        counted = values.get(result.question.pk, Counter())
        result.answers = sum(counted.values())
        result.total = sum((number * n for number, n in counted.items()), Decimal(0))
        result.mean = _mean(result.total, result.answers)
        if counted:
            result.minimum, result.maximum = min(counted), max(counted)
        if result.kind == QuestionKind.RATING:
            question = result.question
            # A score given with decimals falls on the nearest whole score.
            scores = Counter()
            for number, n in counted.items():
                scores[int(number.quantize(Decimal(1), rounding=ROUND_HALF_UP))] += n
            result.bars = [
                Bar(str(score), scores[score], share(scores[score], result.answers))
                for score in range(question.scale_min, question.scale_max + 1)
            ]
            if _on_rules_scale(question, rules):
                result.band = rules.band(result.mean)


def _count_choices(answers, by_id: dict[int, QuestionResult]) -> None:
    rows = answers.filter(question__kind__in=(QuestionKind.SINGLE, QuestionKind.MULTIPLE)).values_list(
        "question_id", "choices"
    )
    chosen: dict[int, Counter] = defaultdict(Counter)
    for question_id, positions in rows:
        by_id[question_id].answers += 1
        chosen[question_id].update(set(positions or []))
    for result in by_id.values():
        if result.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            counted = chosen.get(result.question.pk, Counter())
            result.bars = [
                Bar(str(label), counted[position], share(counted[position], result.answers))
                for position, label in enumerate(result.question.choices)
            ]


# --- comparison -------------------------------------------------------------------


@dataclass
class ComparisonRow:
    key: object
    label: str
    rounds: int
    valid: int
    threshold: int
    # Valid forms of the rounds that may be shown (each at least at its own threshold).
    shown: int = 0
    # One mean per compared question (``None``: no answer), aligned with ``Comparison.questions``.
    means: list[Decimal | None] = field(default_factory=list)
    mean: Decimal | None = None
    band: str = ""

    @property
    def hidden(self) -> bool:
        return self.shown < self.threshold

    @property
    def hidden_message(self) -> str:
        # The forms a reader would count, unless that many already reach the threshold (then
        # only rounds below their own threshold are missing, and those add nothing).
        counted = self.valid if self.valid < self.threshold else self.shown
        return _("Not enough answers to show results (%(valid)s of the %(needed)s needed).") % {
            "valid": format_int(counted),
            "needed": format_int(self.threshold),
        }


@dataclass
class Comparison:
    by: str
    # The rating questions compared, by their text (the latest version's wording order first).
    questions: list[str]
    rows: list[ComparisonRow]

    def __iter__(self):
        return iter(self.rows)


def _group(survey_round: SurveyRound, by: str) -> tuple[object, str, tuple] | None:
    """The group key, label and sort key of a round; ``None`` when the round has no such group."""
    if by == "cohort":
        cohort = survey_round.cohort
        return cohort.pk, f"{cohort.code} – {cohort.name}", (cohort.code,)
    if by == "lecturer":
        lecturer = survey_round.lecturer
        if lecturer is None:
            return None
        return lecturer.pk, lecturer.full_name, (name_sort_key(lecturer.full_name), lecturer.pk)
    year = survey_round.closes_on.year
    return year, str(year), (year,)


def comparison(rounds, *, by: str, today: dt.date | None = None) -> Comparison:
    """The mean of each rating question (compared by its text, whatever the version) and
    the overall mean per group of ``rounds`` (rounds of one questionnaire). Rounds below
    their own threshold add nothing to any group, and a group whose other rounds together
    have fewer valid forms than the strictest threshold among them shows no figures; an
    anonymous round still open is left out (its results are withheld). Five queries whatever
    the number of rounds and answers (more only when a closed round's pool is written out)."""
    if by not in GROUPINGS:
        raise ValueError(by)
    rules = EvaluationRules.current()
    ids = rounds.values("pk") if isinstance(rounds, QuerySet) else [getattr(r, "pk", r) for r in rounds]
    today = today or timezone.localdate()
    pool.flush_closed(SurveyRound.objects.filter(pk__in=ids, anonymous=True), today=today)
    rounds = list(
        SurveyRound.objects.filter(pk__in=ids)
        .select_related("cohort", "lecturer", "version")
        .annotate(valid_count=Count("responses", filter=Q(responses__valid=True)))
    )
    questions = list(
        Question.objects.filter(version_id__in={r.version_id for r in rounds}, kind=QuestionKind.RATING)
        .select_related("section")
        .order_by("-version__number", "version_id")
    )
    # The latest version's order first, then questions only older versions asked.
    texts: list[str] = []
    text_of: dict[int, str] = {}
    by_version: dict[int, list[Question]] = defaultdict(list)
    for question in questions:
        by_version[question.version_id].append(question)
    for version_questions in by_version.values():
        for question in _ordered(version_questions):
            text = normalize_space(question.text)
            text_of[question.pk] = text
            if text not in texts:
                texts.append(text)
    on_scale = {question.pk for question in questions if _on_rules_scale(question, rules)}
    sums = (
        Answer.objects.filter(response__round__in=[r.pk for r in rounds], response__valid=True)
        .filter(question_id__in=list(text_of))
        .values("response__round_id", "question_id")
        .annotate(total=Sum("number"), n=Count("id"))
        .order_by()
    )
    groups: dict[object, ComparisonRow] = {}
    sort_keys: dict[object, tuple] = {}
    group_of: dict[int, object] = {}
    for survey_round in rounds:
        found = _group(survey_round, by)
        if found is None or survey_round.withholds_results(today):
            continue
        key, label, sort_key = found
        row = groups.get(key)
        if row is None:
            row = groups[key] = ComparisonRow(key=key, label=label, rounds=0, valid=0, threshold=0)
            sort_keys[key] = sort_key
        row.rounds += 1
        row.valid += survey_round.valid_count
        row.threshold = max(row.threshold, survey_round.threshold_under(rules))
        # A round hidden on its own page adds nothing to its group: otherwise its figures
        # could be worked out from the group's with and without it.
        if survey_round.valid_count >= survey_round.threshold_under(rules):
            row.shown += survey_round.valid_count
            group_of[survey_round.pk] = key
    totals: dict[object, dict[str, list]] = defaultdict(lambda: defaultdict(lambda: [Decimal(0), 0]))
    overall: dict[object, list] = defaultdict(lambda: [Decimal(0), 0])
    for row in sums:
        key = group_of.get(row["response__round_id"])
        if key is None or groups[key].hidden:
            continue
        cell = totals[key][text_of[row["question_id"]]]
        cell[0] += row["total"] or 0
        cell[1] += row["n"]
        if row["question_id"] in on_scale:
            overall[key][0] += row["total"] or 0
            overall[key][1] += row["n"]
    for key, row in groups.items():
        if row.hidden:
            continue
        row.means = [_mean(*totals[key][text]) for text in texts]
        row.mean = _mean(*overall[key])
        row.band = rules.band(row.mean)
    ordered = sorted(groups.values(), key=lambda row: sort_keys[row.key])
    return Comparison(by=by, questions=texts, rows=ordered)


# --- export -----------------------------------------------------------------------


def _number(value, number_format: str | None) -> xlsx.Cell:
    return xlsx.number(value, number_format)


def _count(value: int) -> xlsx.Cell:
    return xlsx.number(value, xlsx.INTEGER)


MEAN = xlsx.AVERAGE  # means are rounded to 2 decimals (CENT)


def workbook(results: RoundResults) -> bytes:
    """The results as xlsx: sheet ``KetQua`` (counts, then every question's figures) and,
    when free texts are shown, sheet ``YKien``. A hidden round holds the counts only.
    Counts, means and shares are numbers (1.040, 4,25, 95,75%); the round's title and class
    stay in view and head every printed page."""
    survey_round = results.round
    book = xlsx.Book(title=survey_round.title)
    sheet = book.sheet("KetQua")
    sheet.append([survey_round.title], xlsx.Style(bold=True, size=13))
    sheet.append([f"{survey_round.cohort.code} – {survey_round.cohort.name}"])
    sheet.append()
    sheet.append([_("Invited"), _count(results.invited)])
    sheet.append([_("Answered"), _count(results.answered)])
    sheet.append([_("Response rate"), _number(results.rate, xlsx.PERCENT)])
    sheet.append([_("Valid forms"), _count(results.valid)])
    sheet.append([_("Invalid forms"), _count(results.invalid)])
    if results.hidden:
        sheet.append()
        sheet.append([results.hidden_message])
    else:
        if results.mean is not None:
            sheet.append([_("Overall mean"), _number(results.mean, MEAN), results.band])
        for section in results.sections:
            sheet.append()
            if section.title:
                sheet.append([section.title], xlsx.Style(bold=True, size=12))
            for result in section.questions:
                _question_rows(sheet, result)
    sheet.finish_table((60, 14, 14, 14), header=(1, 2))
    if results.show_text and not results.hidden:
        texts = book.sheet("YKien")
        texts.table_header([_("Question"), _("Answer")], xlsx.BOLD)
        answer = xlsx.Style(wrap=True, vertical="top")
        for result in results.questions:
            for text in result.texts:
                texts.append([result.question.text, xlsx.Cell(text, answer)])
        texts.finish_table((40, 80))
    return book.to_bytes()


def _question_rows(sheet: xlsx.Sheet, result: QuestionResult) -> None:
    question = xlsx.Cell(result.question.text, xlsx.Style(bold=True, wrap=True))
    sheet.append([question, _("Answers"), _count(result.answers)])
    if result.kind in (QuestionKind.RATING, QuestionKind.NUMBER):
        sheet.append([_("Mean"), _number(result.mean, MEAN), result.band])
    if result.kind == QuestionKind.NUMBER:
        sheet.append([_("Lowest"), _number(result.minimum, None)])
        sheet.append([_("Highest"), _number(result.maximum, None)])
    if result.bars:
        sheet.append([_("Score") if result.kind == QuestionKind.RATING else _("Choice"), _("Count"), _("Share")])
        rating = result.kind == QuestionKind.RATING
        for bar in result.bars:
            # A rating's bar is labelled by its score: a number too.
            label = _number(int(bar.label), xlsx.decimals(0)) if rating else bar.label
            sheet.append([label, _count(bar.count), _number(bar.share, xlsx.PERCENT)])
