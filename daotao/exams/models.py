"""Exam sessions of a class's modules: the final exam (or a retake of it) on a date and
half day, in rooms, with candidates seated by room and number, and, for a written exam
marked anonymously (đánh phách), the scripts under random codes, marked by code and then
decoded (ráp phách) into the grades.

The link between a script's code and its candidate is a table of its own (``ScriptLink``),
which no grader's page reads; scripts and links are written each in their own random order
(``services.exam_seal``), so that neither the order of the rows nor their ids tell whose a
script is."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from daotao.accounts.scope import scope_of
from daotao.grading.models import SCORE, score_between_0_and_10
from daotao.lib.vietnamese import format_date
from daotao.teaching.models import Session, TeachingAssignment


class ExamStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    SEALED = "sealed", _("Scripts sealed, marking by code")
    DECODED = "decoded", _("Decoded into the grades")


def assigned_q(lecturer_id: int, prefix: str = "") -> Exists:
    """The exam's module is assigned to the lecturer in the exam's class."""
    return Exists(
        TeachingAssignment.objects.filter(
            lecturer_id=lecturer_id,
            cohort=OuterRef(f"{prefix}cohort"),
            module=OuterRef(f"{prefix}assessment__module"),
        )
    )


class ExamSessionQuerySet(models.QuerySet):
    def visible_to(self, user) -> ExamSessionQuerySet:
        """Every session for the office and the board; a lecturer's only for the modules
        assigned to them in the class; nobody else's."""
        scope = scope_of(user)
        if scope.everything:
            return self
        if scope.lecturer_id is not None:
            return self.filter(assigned_q(scope.lecturer_id))
        return self.none()


class ExamSession(models.Model):
    """One sitting of a module's final exam by a class: ``attempt`` 1 is the exam, 2 its
    retake (``grading.models.Grade.attempt``)."""

    cohort = models.ForeignKey("cohorts.Cohort", models.CASCADE, related_name="exam_sessions", verbose_name=_("class"))
    assessment = models.ForeignKey(
        "programs.Assessment", models.PROTECT, related_name="exam_sessions", verbose_name=_("exam")
    )
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    date = models.DateField(_("date"))
    session = models.CharField(_("session"), max_length=16, choices=Session.choices)
    anonymised = models.BooleanField(
        _("anonymised marking"), default=True, help_text=_("Scripts are marked under codes, then decoded.")
    )
    status = models.CharField(_("status"), max_length=16, choices=ExamStatus.choices, default=ExamStatus.DRAFT)
    sealed_at = models.DateTimeField(_("sealed at"), null=True, blank=True)
    decoded_at = models.DateTimeField(_("decoded at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by")
    )

    objects = ExamSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("exam session")
        verbose_name_plural = _("exam sessions")
        ordering = ["date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "assessment", "attempt"], name="exam_once_per_attempt"),
            models.CheckConstraint(condition=Q(attempt__gte=1), name="exam_attempt_from_1"),
        ]

    def __str__(self) -> str:
        # Never a candidate's name: the audit trail shows this for every mark by code.
        return f"{self.cohort.code} – {self.assessment.module.code} ({self.attempt}) {format_date(self.date)}"

    @property
    def module(self):
        return self.assessment.module

    @property
    def is_draft(self) -> bool:
        return self.status == ExamStatus.DRAFT

    @property
    def is_sealed(self) -> bool:
        return self.status == ExamStatus.SEALED

    @property
    def is_decoded(self) -> bool:
        return self.status == ExamStatus.DECODED


class ExamRoom(models.Model):
    """A room an exam session uses. The session's date and half day are copied here so
    that the database itself refuses one room for two exams in the same half day."""

    exam = models.ForeignKey(ExamSession, models.CASCADE, related_name="rooms", verbose_name=_("exam session"))
    room = models.ForeignKey("teaching.Room", models.PROTECT, related_name="exam_rooms", verbose_name=_("room"))
    date = models.DateField(_("date"))
    session = models.CharField(_("session"), max_length=16, choices=Session.choices)

    class Meta:
        verbose_name = _("exam room")
        verbose_name_plural = _("exam rooms")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "room"], name="exam_room_once"),
            models.UniqueConstraint(fields=["room", "date", "session"], name="exam_room_once_per_half_day"),
        ]

    def __str__(self) -> str:
        return str(self.room)


class Candidate(models.Model):
    """A student who sits the exam: their room and seat number (1 to n in each room, in
    class-list order), and whether they were absent on the day (marked when sealing)."""

    exam = models.ForeignKey(ExamSession, models.CASCADE, related_name="candidates", verbose_name=_("exam session"))
    enrollment = models.ForeignKey(
        "cohorts.Enrollment", models.CASCADE, related_name="exam_candidacies", verbose_name=_("student")
    )
    exam_room = models.ForeignKey(ExamRoom, models.CASCADE, related_name="candidates", verbose_name=_("room"))
    seat = models.PositiveSmallIntegerField(_("seat number"))
    absent = models.BooleanField(_("absent from the exam"), default=False)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["exam_room", "seat"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "enrollment"], name="candidate_once_per_exam"),
            models.UniqueConstraint(fields=["exam_room", "seat"], name="candidate_seat_once_per_room"),
            models.CheckConstraint(condition=Q(seat__gte=1), name="candidate_seat_from_1"),
        ]

    def __str__(self) -> str:
        return f"{self.exam_room} – {self.seat}"


class Script(models.Model):
    """One candidate's script under its random code, and the mark given to it by code."""

    exam = models.ForeignKey(ExamSession, models.CASCADE, related_name="scripts", verbose_name=_("exam session"))
    code = models.CharField(_("code"), max_length=12)
    score = models.DecimalField(_("mark"), null=True, blank=True, **SCORE)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("marked by")
    )
    marked_at = models.DateTimeField(_("marked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("script")
        verbose_name_plural = _("scripts")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "code"], name="script_code_unique_in_exam"),
            score_between_0_and_10("score", "script_score_0_10"),
        ]

    def __str__(self) -> str:
        return f"{self.exam} – {self.code}"


class ScriptLink(models.Model):
    """Whose script is which: read only by decoding and, once decoded, by the office's and
    the board's view of the session. Rows written in a random order of their own."""

    script = models.OneToOneField(Script, models.CASCADE, related_name="link", verbose_name=_("script"))
    candidate = models.OneToOneField(Candidate, models.CASCADE, related_name="link", verbose_name=_("candidate"))

    class Meta:
        verbose_name = _("script's candidate")
        verbose_name_plural = _("scripts' candidates")

    def __str__(self) -> str:
        return str(self.script)
