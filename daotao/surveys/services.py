"""Workflows of the evaluation surveys: versions of a questionnaire, rounds, invitations,
answering through a single-use link, and the validity of a form (Thông tư 10/2017/TT-BNV:
more than the allowed share of blank items makes a form invalid)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from daotao.accounts.access import is_training_office
from daotao.cohorts.models import Enrollment
from daotao.lib.vietnamese import format_date, format_int
from daotao.org.models import contact_emails
from daotao.surveys import pool
from daotao.surveys.models import (
    ANSWER_TEXT_MAX,
    Answer,
    Audience,
    EvaluationRules,
    Invitation,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    Section,
    SurveyRound,
)


def _office(user) -> None:
    if not is_training_office(user):
        raise PermissionDenied


# --- questionnaires ---------------------------------------------------------------


@transaction.atomic
def version_draft(*, questionnaire: Questionnaire) -> QuestionnaireVersion:
    """The version to edit: the latest if no round uses it yet, else a new copy of it
    (sections and questions), so that a frozen version's wording never changes."""
    latest = QuestionnaireVersion.objects.select_for_update().filter(questionnaire=questionnaire).order_by("-number")
    latest = latest.first()
    if latest is None:
        return QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=1)
    if not latest.frozen:
        return latest
    draft = QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=latest.number + 1)
    sections = {}
    for section in latest.sections.all():
        sections[section.pk] = Section.objects.create(version=draft, title=section.title, order=section.order)
    Question.objects.bulk_create(
        [
            Question(
                version=draft,
                section=sections.get(question.section_id),
                order=question.order,
                text=question.text,
                kind=question.kind,
                required=question.required,
                scale_min=question.scale_min,
                scale_max=question.scale_max,
                choices=list(question.choices),
            )
            for question in latest.questions.all()
        ]
    )
    return draft


def version_check_editable(version: QuestionnaireVersion) -> None:
    if version.frozen:
        raise ValidationError(
            _("Version %(number)s is used by a survey round and can no longer change; edit a new version.")
            % {"number": version.number}
        )


# --- rounds and invitations -------------------------------------------------------


@transaction.atomic
def round_create(*, user, **fields) -> SurveyRound:
    """A new round; its questionnaire version is frozen from now on."""
    _office(user)
    survey_round = SurveyRound(created_by=user if getattr(user, "pk", None) else None, **fields)
    survey_round.full_clean()
    if not survey_round.version.questions.exists():
        raise ValidationError({"version": _("This questionnaire version has no questions.")})
    survey_round.save()
    QuestionnaireVersion.objects.filter(pk=survey_round.version_id, frozen=False).update(frozen=True)
    return survey_round


def _respondents(survey_round: SurveyRound) -> list[Invitation]:
    """The invitations the round should have: the class's students, its graduates, or one
    per graduate to their agency's (else locality's) address for a manager to answer."""
    enrollments = Enrollment.objects.filter(cohort_id=survey_round.cohort_id).askable()
    if survey_round.audience != Audience.STUDENTS:
        enrollments = enrollments.filter(graduation__isnull=False)
    enrollments = list(enrollments.select_related("student__agency", "student__locality").in_class_order())
    emails = {}
    if survey_round.audience == Audience.MANAGERS:
        units = {e.student.agency or e.student.locality for e in enrollments} - {None}
        emails = contact_emails(units)
    invitations = []
    for enrollment in enrollments:
        student = enrollment.student
        if survey_round.audience == Audience.MANAGERS:
            unit = student.agency or student.locality
            invitations.append(
                Invitation(
                    round=survey_round,
                    student=student,
                    agency=unit,
                    name=_("Manager of %(name)s") % {"name": student.full_name},
                    email=emails.get(unit.pk, "") if unit else "",
                )
            )
        else:
            invitations.append(
                Invitation(round=survey_round, student=student, name=student.full_name, email=student.email)
            )
    return invitations


@transaction.atomic
def invitations_create(*, survey_round: SurveyRound) -> int:
    """Add the missing invitations of a round (students who joined later included); returns
    how many were added. Running it again adds nothing."""
    # Two runs at once (the daily command and the office's button): the round's row is
    # locked, so the second finds the first one's invitations instead of inserting them too.
    list(SurveyRound.objects.select_for_update().filter(pk=survey_round.pk).values_list("pk", flat=True))
    existing = set(Invitation.objects.filter(round=survey_round).values_list("student_id", flat=True))
    new = [invitation for invitation in _respondents(survey_round) if invitation.student_id not in existing]
    for invitation in new:
        invitation.save()
    return len(new)


# --- answering --------------------------------------------------------------------


class LinkRefused(Exception):
    """A link that cannot be used now, with the message to show and the HTTP status."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.message = message
        self.status = status


def invitation_check(invitation: Invitation | None, today: dt.date | None = None) -> Invitation:
    """The invitation if its link may be used today; else ``LinkRefused``."""
    today = today or timezone.localdate()
    if invitation is None:
        raise LinkRefused(_("This survey link is not valid. Check that you copied the whole address."), 404)
    if invitation.answered:
        raise LinkRefused(
            _("This survey link has already been used: each link can be answered only once. Thank you."),
            410,
        )
    survey_round = invitation.round
    if today > survey_round.closes_on:
        raise LinkRefused(
            _("This survey closed on %(date)s; the link no longer works.")
            % {"date": format_date(survey_round.closes_on)},
            410,
        )
    if today < survey_round.sends_on():
        raise LinkRefused(_("This survey opens on %(date)s.") % {"date": format_date(survey_round.sends_on())}, 403)
    return invitation


def questions_of(survey_round: SurveyRound) -> list[Question]:
    return list(survey_round.version.questions.select_related("section").order_by("section__order", "order", "id"))


def _is_blank(question: Question, value) -> bool:
    if value is None:
        return True
    if question.kind == QuestionKind.MULTIPLE:
        return not value
    if isinstance(value, str):
        return not value.strip()
    return False


def _check_value(question: Question, value) -> None:
    """A value of the right kind within the question's bounds (the form checks this for
    people; the service checks again for every other caller)."""
    if question.kind == QuestionKind.RATING:
        if not isinstance(value, int | Decimal) or not question.scale_min <= value <= question.scale_max:
            raise ValidationError(
                _("“%(question)s”: choose a score from %(low)s to %(high)s.")
                % {"question": question.text, "low": question.scale_min, "high": question.scale_max}
            )
    elif question.kind == QuestionKind.SINGLE:
        if not isinstance(value, int) or not 0 <= value < len(question.choices):
            raise ValidationError(_("“%(question)s”: choose one of the choices.") % {"question": question.text})
    elif question.kind == QuestionKind.MULTIPLE:
        if not all(isinstance(item, int) and 0 <= item < len(question.choices) for item in value):
            raise ValidationError(_("“%(question)s”: choose among the choices.") % {"question": question.text})
    elif question.kind == QuestionKind.NUMBER and not isinstance(value, int | Decimal):
        raise ValidationError(_("“%(question)s”: enter a number.") % {"question": question.text})
    elif question.kind == QuestionKind.TEXT and (not isinstance(value, str) or len(value) > ANSWER_TEXT_MAX):
        raise ValidationError(
            _("“%(question)s”: write at most %(count)s characters.")
            % {"question": question.text, "count": format_int(ANSWER_TEXT_MAX)}
        )


@dataclass(frozen=True)
class Validity:
    items: int
    blank: int
    valid: bool


def form_validity(questions, values: dict, rules: EvaluationRules | None = None) -> Validity:
    """Thông tư 10/2017/TT-BNV: a form with more than the allowed share (5%) of its items
    blank is invalid. Items are the questions that are not free text."""
    rules = rules or EvaluationRules.current()
    items = [question for question in questions if question.kind != QuestionKind.TEXT]
    blank = sum(1 for question in items if _is_blank(question, values.get(question.pk)))
    valid = not items or Decimal(blank) * 100 <= rules.max_blank_percent * len(items)
    return Validity(items=len(items), blank=blank, valid=valid)


@dataclass(frozen=True)
class Submission:
    """What answering stored: the form's validity, and the response itself for a round that
    is not anonymous (an anonymous form waits, sealed, in the pool: ``daotao.surveys.pool``)."""

    valid: bool
    items: int
    blank: int
    response: Response | None = None


@transaction.atomic
def response_submit(*, invitation: Invitation, values: dict, today: dt.date | None = None) -> Submission:
    """Store one form. ``values`` maps question ids to an int or Decimal (rating, number),
    the position of the choice (single), a list of positions (multiple), or text.

    The invitation is marked answered by one conditional UPDATE, so two submissions of the
    same link at once store one form. The form of an anonymous round goes to the pool,
    sealed, and reaches the responses later among others (``daotao.surveys.pool``); that of
    a named round is stored at once with its invitation and time."""
    invitation_check(invitation, today)
    survey_round = invitation.round
    questions = questions_of(survey_round)
    known = {question.pk for question in questions}
    unknown = set(values) - known
    if unknown:
        raise ValidationError(_("The form holds answers to questions that are not in this survey."))
    missing = [q.text for q in questions if q.required and _is_blank(q, values.get(q.pk))]
    if missing:
        raise ValidationError(_("Please answer: %(questions)s.") % {"questions": "; ".join(missing)})
    for question in questions:
        value = values.get(question.pk)
        if not _is_blank(question, value):
            _check_value(question, value)
    if Invitation.objects.filter(pk=invitation.pk, answered=False).update(answered=True) != 1:
        raise LinkRefused(_("This survey link has already been used: each link can be answered only once."), 410)
    invitation.answered = True
    validity = form_validity(questions, values)
    given = {q.pk: values[q.pk] for q in questions if not _is_blank(q, values.get(q.pk))}
    if survey_round.anonymous:
        form = pool.SealedForm(values=given, valid=validity.valid, blank=validity.blank, items=validity.items)
        pool.pool_add(survey_round=survey_round, questions=questions, form=form)
        return Submission(valid=validity.valid, items=validity.items, blank=validity.blank)
    response = Response.objects.create(
        round=survey_round,
        invitation=invitation,
        submitted_at=timezone.now(),
        valid=validity.valid,
        blank_items=validity.blank,
        items=validity.items,
    )
    by_id = {question.pk: question for question in questions}
    Answer.objects.bulk_create([Answer.of(response, by_id[pk], value) for pk, value in given.items()])
    return Submission(valid=validity.valid, items=validity.items, blank=validity.blank, response=response)
