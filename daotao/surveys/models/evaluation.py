"""Evaluation of training before, during and after a course (DESIGN.md "post-training
evaluation").

A ``Questionnaire`` is built by the training office; its questions belong to a
``QuestionnaireVersion``, which is frozen once a round uses it, so the wording of a question
never changes under the answers given to it. A ``SurveyRound`` asks one version's questions
about a class (and optionally one module or lecturer) in one phase. Each respondent gets an
``Invitation`` whose link works once. A form of an anonymous round first waits, sealed, in
the pool (``SealedResponse``, ``daotao.surveys.pool``) and is later written, among others
and in random order, as a ``Response`` that holds no reference to the invitation, the
person or the time of answering.

``EvaluationRules`` holds the national preset (Thông tư 10/2017/TT-BNV): a 1-10 scale, a
form with more than 5% of its items blank is invalid, the bands, the minimum number of
answers before results are shown, and the yearly coverage targets.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from daotao.accounts.scope import scope_of
from daotao.cohorts.models import Cohort, Enrollment
from daotao.lib.dates import add_months

PERCENT = {"max_digits": 5, "decimal_places": 2}
# The longest free-text answer, in characters (the form and the service both hold to it).
ANSWER_TEXT_MAX = 4000
# Fewer answers than this would let a small group recognise each other's answers, whatever
# a school sets.
FEWEST_ANSWERS_SHOWN = 3


def default_bands() -> list:
    """Thông tư 10/2017/TT-BNV: kém < 2, yếu 2 to < 4, trung bình 4 to < 6, khá 6 to < 8,
    tốt 8 to 10; each band is [lowest score, label]."""
    return [[0, "Kém"], [2, "Yếu"], [4, "Trung bình"], [6, "Khá"], [8, "Tốt"]]


class EvaluationRules(models.Model):
    """The school's evaluation settings; the row marked ``active`` applies."""

    name = models.CharField(_("name"), max_length=128)
    active = models.BooleanField(_("in use"), default=False)
    scale_min = models.PositiveSmallIntegerField(_("lowest score of a rating"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("highest score of a rating"), default=10)
    max_blank_percent = models.DecimalField(
        _("largest share of blank items in a valid form (%)"), default=Decimal("5"), **PERCENT
    )
    bands = models.JSONField(
        _("bands"), default=default_bands, help_text=_("Lowest score and name of each band, from the lowest band up.")
    )
    min_answers = models.PositiveSmallIntegerField(
        _("fewest answers before results are shown"),
        default=5,
        validators=[MinValueValidator(FEWEST_ANSWERS_SHOWN)],
        help_text=_("Results of a round with fewer answers stay hidden, so that no one can be recognised."),
    )
    target_course_percent = models.DecimalField(
        _("courses evaluated on programme, lecturers, facilities and organisation (% a year)"),
        default=Decimal("20"),
        **PERCENT,
    )
    target_learner_percent = models.DecimalField(
        _("courses evaluated on the learners (% a year)"), default=Decimal("10"), **PERCENT
    )
    target_after_courses = models.PositiveSmallIntegerField(_("courses evaluated after the course (a year)"), default=1)

    class Meta:
        verbose_name = _("evaluation rules")
        verbose_name_plural = _("evaluation rules")
        constraints = [
            models.UniqueConstraint(fields=["active"], condition=Q(active=True), name="evaluation_rules_one_active"),
            models.CheckConstraint(condition=Q(scale_max__gt=models.F("scale_min")), name="evaluation_scale_ordered"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        bands = self.bands
        if not isinstance(bands, list) or not bands:
            raise ValidationError({"bands": _("Give at least one band as [lowest score, name].")})
        lows = []
        for band in bands:
            if not (isinstance(band, list | tuple) and len(band) == 2 and isinstance(band[0], int | float)):
                raise ValidationError({"bands": _('Each band is [lowest score, name], for example [8, "Tốt"].')})
            lows.append(band[0])
        if lows != sorted(lows) or len(set(lows)) != len(lows):
            raise ValidationError({"bands": _("Bands must go from the lowest score up, each starting higher.")})

    @classmethod
    def current(cls) -> EvaluationRules:
        """The rules in use, or the national preset (unsaved) when none is marked."""
        return cls.objects.filter(active=True).first() or cls(name="Thông tư 10/2017/TT-BNV")

    def band(self, score) -> str:
        """The band of a mean score (on this rules' scale)."""
        if score is None:
            return ""
        label = ""
        for low, name in self.bands:
            if score >= Decimal(str(low)):
                label = name
        return label


class Audience(models.TextChoices):
    STUDENTS = "students", _("Students of the class")
    GRADUATES = "graduates", _("Graduates")
    MANAGERS = "managers", _("Managers at the graduates' agencies")


class Phase(models.TextChoices):
    BEFORE = "before", _("Before the course")
    DURING = "during", _("During the course")
    END = "end", _("At the end of the course")
    AFTER = "after", _("After the course")


class Subject(models.TextChoices):
    COURSE = "course", _("The course (programme, facilities, organisation)")
    MODULE = "module", _("A module")
    LECTURER = "lecturer", _("A lecturer")
    LEARNERS = "learners", _("The learners")
    EFFECT = "effect", _("Effect of the training at work")


class Questionnaire(models.Model):
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("introduction"), blank=True, help_text=_("Shown above the questions."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def latest_version(self) -> QuestionnaireVersion | None:
        return self.versions.order_by("-number").first()


class QuestionnaireVersion(models.Model):
    """The questions as they were asked. A version used by a round is frozen; a change
    makes a new version (``surveys.services.version_draft``)."""

    questionnaire = models.ForeignKey(
        Questionnaire, models.CASCADE, related_name="versions", verbose_name=_("questionnaire")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    frozen = models.BooleanField(
        _("frozen"), default=False, help_text=_("Set once a survey round uses it; its questions no longer change.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        ordering = ["questionnaire", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="questionnaire_version_unique"),
        ]

    def __str__(self) -> str:
        return _("%(title)s (version %(number)s)") % {"title": self.questionnaire.title, "number": self.number}


class Section(models.Model):
    version = models.ForeignKey(
        QuestionnaireVersion, models.CASCADE, related_name="sections", verbose_name=_("questionnaire version")
    )
    title = models.CharField(_("title"), max_length=255)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["version", "order", "id"]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    RATING = "rating", _("Rating on a scale")
    SINGLE = "single", _("One choice")
    MULTIPLE = "multiple", _("Several choices")
    NUMBER = "number", _("Number")
    TEXT = "text", _("Free text")


class Question(models.Model):
    version = models.ForeignKey(
        QuestionnaireVersion, models.CASCADE, related_name="questions", verbose_name=_("questionnaire version")
    )
    section = models.ForeignKey(
        Section, models.CASCADE, null=True, blank=True, related_name="questions", verbose_name=_("section")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("question"), max_length=500)
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionKind.choices, default=QuestionKind.RATING)
    required = models.BooleanField(_("required"), default=False)
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), null=True, blank=True)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), null=True, blank=True)
    choices = models.JSONField(_("choices"), default=list, blank=True, help_text=_("One choice per line."))

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["version", "order", "id"]

    def __str__(self) -> str:
        return self.text

    def clean(self):
        if self.kind == QuestionKind.RATING:
            low, high = self.scale_min, self.scale_max
            if low is None or high is None or low >= high:
                raise ValidationError({"scale_max": _("A rating needs a lowest and a higher highest score.")})
        if self.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            choices = [str(choice).strip() for choice in self.choices or [] if str(choice).strip()]
            if len(choices) < 2:
                raise ValidationError({"choices": _("A choice question needs at least two choices.")})
            if len(set(choices)) != len(choices):
                raise ValidationError({"choices": _("The choices must differ from each other.")})
            self.choices = choices
        else:
            self.choices = []
        if self.section_id and self.version_id and self.section.version_id != self.version_id:
            raise ValidationError({"section": _("The section belongs to another version.")})

    @property
    def is_scored(self) -> bool:
        return self.kind == QuestionKind.RATING


class RoundQuerySet(models.QuerySet):
    def visible_to(self, user) -> RoundQuerySet:
        """Rounds whose results a user may see: all for school staff; a lecturer those
        about themselves; a coordinator or agency the rounds of classes they see."""
        scope = scope_of(user)
        if scope.everything:
            return self
        if scope.lecturer_id is not None:
            return self.filter(lecturer_id=scope.lecturer_id)
        if scope.unit_path is not None or scope.agency_path is not None:
            return self.filter(cohort__in=Cohort.objects.visible_to(user))
        return self.none()


class SurveyRound(models.Model):
    """One questionnaire version asked about a class (or one module or lecturer of it)."""

    title = models.CharField(_("title"), max_length=255)
    version = models.ForeignKey(
        QuestionnaireVersion, models.PROTECT, related_name="rounds", verbose_name=_("questionnaire version")
    )
    cohort = models.ForeignKey("cohorts.Cohort", models.PROTECT, related_name="survey_rounds", verbose_name=_("class"))
    module = models.ForeignKey(
        "programs.Module", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("module")
    )
    lecturer = models.ForeignKey(
        "org.Lecturer", models.PROTECT, null=True, blank=True, related_name="survey_rounds", verbose_name=_("lecturer")
    )
    phase = models.CharField(_("phase"), max_length=8, choices=Phase.choices)
    subject = models.CharField(_("subject"), max_length=16, choices=Subject.choices, default=Subject.COURSE)
    audience = models.CharField(_("who answers"), max_length=16, choices=Audience.choices, default=Audience.STUDENTS)
    anonymous = models.BooleanField(
        _("anonymous"), default=True, help_text=_("Answers are stored apart from who gave them.")
    )
    months_after = models.PositiveSmallIntegerField(
        _("months after the closing date"),
        null=True,
        blank=True,
        help_text=_("For a round after the course: invitations go out this many months after the class closes."),
    )
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    closes_on = models.DateField(_("closes on"), help_text=_("Links stop working after this day."))
    min_answers = models.PositiveSmallIntegerField(
        _("fewest answers before results are shown"),
        null=True,
        blank=True,
        validators=[MinValueValidator(FEWEST_ANSWERS_SHOWN)],
        help_text=_("Empty: the school's rule."),
    )
    remind_every_days = models.PositiveSmallIntegerField(_("remind every (days)"), default=3)
    max_reminders = models.PositiveSmallIntegerField(_("reminders at most"), default=2)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")
        ordering = ["-closes_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True) | Q(closes_on__gte=models.F("opens_on")),
                name="round_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} – {self.cohort.code}"

    def clean(self):
        errors = {}
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            errors["closes_on"] = _("The round cannot close before it opens.")
        if self.subject == Subject.MODULE and not self.module_id:
            errors["module"] = _("Choose the module this round evaluates.")
        if self.subject == Subject.LECTURER and not self.lecturer_id:
            errors["lecturer"] = _("Choose the lecturer this round evaluates.")
        if self.module_id and self.cohort_id and self.module.program_id != self.cohort.program_id:
            errors["module"] = _("The module is not part of this class's program.")
        if self.phase == Phase.AFTER:
            if self.months_after is None:
                errors["months_after"] = _("Say how many months after the closing date the round is sent.")
            if self.audience == Audience.STUDENTS:
                errors["audience"] = _("After the course, ask the graduates or their managers.")
        elif self.audience != Audience.STUDENTS:
            errors["audience"] = _("Before and during the course, the students of the class answer.")
        if self.subject in (Subject.COURSE, Subject.MODULE, Subject.LECTURER) and not self.anonymous:
            if self.phase in (Phase.DURING, Phase.END):
                errors["anonymous"] = _("Students evaluate a course, a module or a lecturer anonymously.")
        if errors:
            raise ValidationError(errors)

    @property
    def threshold(self) -> int:
        return self.threshold_under(EvaluationRules.current())

    def threshold_under(self, rules: EvaluationRules) -> int:
        """The fewest valid forms before results are shown: the round's own, else the rules'."""
        return self.min_answers if self.min_answers is not None else rules.min_answers

    @staticmethod
    def threshold_expression(rules: EvaluationRules) -> Coalesce:
        """``threshold_under`` as an expression over rounds, for the database to compare."""
        return Coalesce("min_answers", models.Value(rules.min_answers), output_field=models.IntegerField())

    def sends_on(self):
        """The first day invitations may go out."""
        if self.phase == Phase.AFTER and self.cohort.closing_date and self.months_after is not None:
            return max(filter(None, [add_months(self.cohort.closing_date, self.months_after), self.opens_on]))
        return self.opens_on or dt.date.min

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.sends_on() <= today <= self.closes_on

    def is_closed(self, today=None) -> bool:
        """Past its closing day: no link works any more."""
        return (today or timezone.localdate()) > self.closes_on

    def withholds_results(self, today=None) -> bool:
        """An anonymous round shows its results only once it has closed: figures that change
        while answers come in would tell who gave the latest ones."""
        return self.anonymous and not self.is_closed(today)


class InvitationQuerySet(models.QuerySet):
    def counted(self) -> InvitationQuerySet:
        """Invitations that count as invited: not those of a student who has since left the
        class (withdrawn, transferred, cancelled) without answering."""
        left = Enrollment.objects.not_askable().filter(
            cohort_id=models.OuterRef("round__cohort_id"), student_id=models.OuterRef("student_id")
        )
        return self.exclude(models.Q(answered=False) & models.Exists(left))


def _token_hmac(invitation_id: int, nonce: str) -> str:
    return salted_hmac("daotao.surveys.invitation", f"{invitation_id}:{nonce}").hexdigest()[:32]


class Invitation(models.Model):
    """One respondent's single-use link to a round. For an anonymous round it records only
    that an answer was given, never which answer nor when."""

    round = models.ForeignKey(SurveyRound, models.CASCADE, related_name="invitations", verbose_name=_("survey round"))
    student = models.ForeignKey(
        "people.Student",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="survey_invitations",
        verbose_name=_("student"),
        help_text=_("The student who answers, or the graduate a manager evaluates."),
    )
    name = models.CharField(_("respondent"), max_length=255)
    email = models.EmailField(_("email"), blank=True)
    agency = models.ForeignKey(
        "org.Unit", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("agency")
    )
    nonce = models.CharField(max_length=24, editable=False)
    answered = models.BooleanField(_("answered"), default=False)
    first_sent_at = models.DateTimeField(_("invitation sent at"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("last sent at"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["round", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "student"], condition=Q(student__isnull=False), name="invitation_one_per_student"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.round}"

    def save(self, *args, **kwargs):
        if not self.nonce:
            self.nonce = secrets.token_urlsafe(12)
        super().save(*args, **kwargs)

    @property
    def token(self) -> str:
        """The secret of the link: the id and an HMAC, so nothing guessable is stored."""
        return f"{self.pk}-{_token_hmac(self.pk, self.nonce)}"

    @classmethod
    def from_token(cls, token: str) -> Invitation | None:
        ident, _sep, mac = (token or "").partition("-")
        if not (ident.isascii() and ident.isdigit()) or len(ident) > 18 or not mac:
            return None
        invitation = cls.objects.select_related("round__cohort", "round__version", "student").filter(pk=ident).first()
        if invitation is None or not constant_time_compare(mac, _token_hmac(invitation.pk, invitation.nonce)):
            return None
        return invitation


class SealedResponse(models.Model):
    """A form of an anonymous round waiting in the pool (``daotao.surveys.pool``).

    It is written in the same transaction that marks the invitation answered, so the
    database can tie the two together (PostgreSQL's ``xmin``, SQLite's ``rowid`` order):
    that is why its answers are sealed with a key the database does not hold, and padded to
    one length for every form of the round. It carries no time. It is later written out as a
    ``Response`` among at least the round's threshold of others, in random order, in a
    transaction of its own, and deleted."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(SurveyRound, models.CASCADE, related_name="pooled", verbose_name=_("survey round"))
    sealed = models.BinaryField(_("sealed answers"))

    class Meta:
        verbose_name = _("sealed form waiting to be written")
        verbose_name_plural = _("sealed forms waiting to be written")

    def __str__(self) -> str:
        return _("Sealed form of %(round)s") % {"round": self.round_id}


class Response(models.Model):
    """One filled form. For an anonymous round, ``invitation`` and ``submitted_at`` stay
    empty and the form reaches this table only through the pool (``SealedResponse``), in a
    batch written in random order: nothing links the answers to the person or to when the
    invitation was used."""

    # Random keys, for responses and answers alike: sequential ones would follow the order
    # of submission, which a web server's access log ties to each invitation's link.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(SurveyRound, models.CASCADE, related_name="responses", verbose_name=_("survey round"))
    invitation = models.OneToOneField(
        Invitation, models.SET_NULL, null=True, blank=True, related_name="response", verbose_name=_("invitation")
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    valid = models.BooleanField(_("valid"), default=True)
    blank_items = models.PositiveSmallIntegerField(_("blank items"), default=0)
    items = models.PositiveSmallIntegerField(_("items"), default=0)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.CheckConstraint(
                condition=Q(invitation__isnull=True) | Q(submitted_at__isnull=False), name="response_named_has_time"
            ),
        ]

    def __str__(self) -> str:
        return _("Response %(id)s to %(round)s") % {"id": self.pk, "round": self.round_id}


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, models.CASCADE, related_name="answers", verbose_name=_("response"))
    question = models.ForeignKey(Question, models.PROTECT, related_name="answers", verbose_name=_("question"))
    number = models.DecimalField(_("number"), max_digits=12, decimal_places=2, null=True, blank=True)
    text = models.TextField(_("text"), blank=True)
    # The chosen options' positions in ``Question.choices`` (one for a single choice).
    choices = models.JSONField(_("choices"), default=list, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="answer_one_per_question")]

    def __str__(self) -> str:
        # Never the text typed: an answer's name is shown where answers are not read, next to
        # who was asked (the admin's delete confirmation of a round or class lists the answers
        # it takes with it beside the invitations, with their names).
        shown = self.number if self.number is not None else self.choices if self.choices else "…"
        return f"{self.question_id}: {shown}"

    @classmethod
    def of(cls, response: Response, question: Question, value) -> Answer:
        """The answer holding ``value`` (as ``services.response_submit`` takes values)."""
        if question.kind in (QuestionKind.RATING, QuestionKind.NUMBER):
            return cls(response=response, question=question, number=Decimal(value))
        if question.kind == QuestionKind.SINGLE:
            return cls(response=response, question=question, choices=[value])
        if question.kind == QuestionKind.MULTIPLE:
            return cls(response=response, question=question, choices=sorted(set(value)))
        return cls(response=response, question=question, text=value.strip())
