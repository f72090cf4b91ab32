"""Career outcomes of graduates: the appointments, rotations, promotions, rewards and
disciplinary measures recorded after a course (``CareerEvent``). What they are counted
into, the outcome report, is ``daotao.surveys.outcomes``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from daotao.accounts.scope import scope_of
from daotao.lib.vietnamese import format_date
from daotao.people.models import Student


class CareerEventKind(models.TextChoices):
    APPOINTMENT = "appointment", _("Appointment")
    ROTATION = "rotation", _("Rotation")
    PROMOTION = "promotion", _("Promotion")
    REWARD = "reward", _("Reward")
    DISCIPLINE = "discipline", _("Discipline")


# The events that count as "appointed or rewarded" in the outcome report.
ADVANCEMENT_KINDS = (CareerEventKind.APPOINTMENT, CareerEventKind.PROMOTION, CareerEventKind.REWARD)


class CareerEventQuerySet(models.QuerySet):
    def visible_to(self, user) -> CareerEventQuerySet:
        """Events of the students a user may see (``Student.visible_to``)."""
        scope = scope_of(user)
        if scope.everything:
            return self
        if scope.lecturer_id is not None:
            return self.none()
        return self.filter(student__in=Student.objects.visible_to(user))


class CareerEvent(models.Model):
    """A later appointment, rotation, promotion, reward or discipline of a cadre."""

    student = models.ForeignKey(
        "people.Student", models.CASCADE, related_name="career_events", verbose_name=_("student")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CareerEventKind.choices)
    date = models.DateField(_("date"))
    decision_number = models.CharField(_("decision number"), max_length=64)
    description = models.CharField(
        _("content"), max_length=500, blank=True, help_text=_("The new position, the reward, or the measure.")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = CareerEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("career event")
        verbose_name_plural = _("career events")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["student", "kind", "decision_number"], name="career_event_unique_decision"),
        ]

    def __str__(self) -> str:
        return f"{self.student} – {self.get_kind_display()} {self.decision_number} ({format_date(self.date)})"
