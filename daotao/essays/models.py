"""Graduation essays (tiểu luận tốt nghiệp) and the bank of new and difficult local issues
(``LocalIssue``) that localities propose as topics for essays and field trips."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from daotao.accounts.scope import scope_of
from daotao.cohorts.models import Enrollment
from daotao.lib.vietnamese import fold, normalize_space


class LocalIssueStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    RETIRED = "retired", _("No longer offered")


class LocalIssueQuerySet(models.QuerySet):
    def visible_to(self, user) -> LocalIssueQuerySet:
        """Approved issues for anyone signed in with a scope (students, lecturers, staff);
        proposed and retired ones only to school-wide staff and the coordinators of the
        locality (or a unit above it)."""
        scope = scope_of(user)
        if scope.everything:
            return self
        if scope.nothing:
            return self.none()
        approved = models.Q(status=LocalIssueStatus.APPROVED)
        if scope.unit_path is not None:
            # A unit that took over another sees its topics of the succession's year on.
            approved |= scope.unit_q("locality", since=lambda day: models.Q(year__gte=day.year))
        return self.filter(approved)


class LocalIssue(models.Model):
    """A new or difficult problem of a locality (vấn đề mới, khó), proposed as a topic."""

    locality = models.ForeignKey("org.Unit", models.PROTECT, related_name="local_issues", verbose_name=_("locality"))
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    year = models.PositiveSmallIntegerField(_("year proposed"))
    status = models.CharField(
        _("status"), max_length=16, choices=LocalIssueStatus.choices, default=LocalIssueStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    search_key = models.CharField(max_length=255, editable=False, db_index=True, default="")

    objects = LocalIssueQuerySet.as_manager()

    class Meta:
        verbose_name = _("local issue")
        verbose_name_plural = _("local issues (topic bank)")
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.title = normalize_space(self.title)
        self.search_key = fold(self.title)[:255]
        super().save(*args, **kwargs)


class EssayStatus(models.TextChoices):
    REGISTERED = "registered", _("Topic registered")
    APPROVED = "approved", _("Topic approved")
    REJECTED = "rejected", _("Topic rejected")
    SUBMITTED = "submitted", _("Submitted")
    GRADED = "graded", _("Graded")
    NEEDS_RECONCILIATION = "needs_reconciliation", _("Marks to be reconciled")


def essay_file_path(instance, filename: str) -> str:
    import secrets

    return f"essays/{secrets.token_hex(16)}/{filename}"


def compared_text(text: str, file_text: str) -> str:
    """An essay's pasted text and its file's text, as one text to compare."""
    return "\n".join(part for part in (text, file_text) if part)


class EssayQuerySet(models.QuerySet):
    def visible_to(self, user) -> EssayQuerySet:
        """Essays of the enrollments the user may see (``Enrollment.visible_to``: a student
        their own, a lecturer the classes assigned to them, a coordinator their locality's,
        the office and the board all); a lecturer also those they supervise or grade."""
        scope = scope_of(user)
        if scope.everything:
            return self
        visible = self.filter(enrollment__in=Enrollment.objects.visible_to(user).values("pk"))
        if scope.lecturer_id is not None:
            mine = models.Q(supervisor_id=scope.lecturer_id) | models.Q(first_grader_id=scope.lecturer_id)
            visible = visible | self.filter(mine | models.Q(second_grader_id=scope.lecturer_id))
        return visible


class Essay(models.Model):
    """One student's graduation essay in one cohort: topic, supervisor, two graders and the
    final score reconciled from their marks by the program's rule."""

    enrollment = models.OneToOneField(
        "cohorts.Enrollment", models.CASCADE, related_name="essay", verbose_name=_("student")
    )
    title = models.CharField(_("topic"), max_length=255)
    local_issue = models.ForeignKey(
        LocalIssue, models.SET_NULL, null=True, blank=True, related_name="essays", verbose_name=_("local issue")
    )
    status = models.CharField(_("status"), max_length=24, choices=EssayStatus.choices, default=EssayStatus.REGISTERED)
    supervisor = models.ForeignKey(
        "org.Lecturer",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_essays",
        verbose_name=_("supervisor"),
    )
    first_grader = models.ForeignKey(
        "org.Lecturer", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("first grader")
    )
    second_grader = models.ForeignKey(
        "org.Lecturer", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("second grader")
    )
    first_score = models.DecimalField(_("first grader's mark"), max_digits=3, decimal_places=1, null=True, blank=True)
    second_score = models.DecimalField(_("second grader's mark"), max_digits=3, decimal_places=1, null=True, blank=True)
    score = models.DecimalField(_("final score"), max_digits=3, decimal_places=1, null=True, blank=True)
    topic_note = models.TextField(
        _("faculty's note on the topic"), blank=True, help_text=_("Why the topic was approved or rejected.")
    )
    text = models.TextField(_("essay text"), blank=True, help_text=_("Used to find near-duplicate essays."))
    file = models.FileField(_("essay file"), upload_to=essay_file_path, blank=True)
    # The file's text, read when it is handed in (``services.essay_file_text``), compared
    # with the other essays together with the pasted text; ``file_read`` tells an empty text
    # read from a scanned PDF from a file not read yet (``read_essay_files``).
    file_text = models.TextField(_("text read from the file"), blank=True, editable=False)
    file_read = models.BooleanField(_("file's text read"), default=False, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    title_key = models.CharField(max_length=255, editable=False, default="")
    # Near-duplicates found on the last check: [{"essay": id, "field": "title"|"text", "similarity": 0.93}].
    similar = models.JSONField(_("similar essays"), default=list, blank=True, editable=False)
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    objects = EssayQuerySet.as_manager()

    class Meta:
        verbose_name = _("graduation essay")
        verbose_name_plural = _("graduation essays")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(first_score__gte=0, first_score__lte=10) | models.Q(first_score__isnull=True),
                name="essay_first_score_0_10",
            ),
            models.CheckConstraint(
                condition=models.Q(second_score__gte=0, second_score__lte=10) | models.Q(second_score__isnull=True),
                name="essay_second_score_0_10",
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=10) | models.Q(score__isnull=True),
                name="essay_score_0_10",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.title = normalize_space(self.title)
        self.title_key = fold(self.title)[:255]
        super().save(*args, **kwargs)

    @property
    def compared_text(self) -> str:
        """What is compared with the other essays: the pasted text and the file's text."""
        return compared_text(self.text, self.file_text)

    @property
    def file_unreadable(self) -> bool:
        """A file was handed in whose text could not be read (a scanned PDF, a .doc)."""
        return bool(self.file) and self.file_read and not self.file_text

    @property
    def both_marks_in(self) -> bool:
        return self.first_score is not None and self.second_score is not None

    def marks_seen_by(self, lecturer_id: int | None) -> tuple:
        """(first, second) mark as a lecturer may see them: a grader does not see the other
        grader's mark until both are in (independent grading)."""
        first, second = self.first_score, self.second_score
        if lecturer_id is None or self.both_marks_in:
            return first, second
        if lecturer_id == self.first_grader_id:
            return first, None
        if lecturer_id == self.second_grader_id:
            return None, second
        return first, second

    def clean(self):
        graders = [self.first_grader_id, self.second_grader_id]
        if all(graders) and graders[0] == graders[1]:
            raise ValidationError({"second_grader": _("The two graders must be different lecturers.")})
