"""Two-way management (quản lý hai chiều): each class's results go back to the localities
and agencies that sent its students. A ``ResultPackDispatch`` logs one pack sent: which
class, to which unit, to whom, when, by whom (or automatically when the class closed),
and the files attached. The packs themselves are computed from the records
(``twoway.packs``) whenever they are sent or viewed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from daotao.accounts.scope import running_since, scope_of
from daotao.lib.vietnamese import format_local_datetime


class Trigger(models.TextChoices):
    MANUAL = "manual", _("Sent on demand")
    CLOSED = "closed", _("Sent when the class closed")


class DispatchQuerySet(models.QuerySet):
    def visible_to(self, user) -> DispatchQuerySet:
        """School staff see every dispatch; a coordinator or an agency those addressed to
        their unit or a unit below it, or to a unit it took over about a class still running
        on the day it did; others none."""
        scope = scope_of(user)
        if scope.everything:
            return self
        if scope.own_unit_path is None:
            return self.none()
        return self.filter(scope.unit_q("unit", since=running_since("cohort__")))


class ResultPackDispatch(models.Model):
    cohort = models.ForeignKey(
        "cohorts.Cohort", models.CASCADE, related_name="result_dispatches", verbose_name=_("class")
    )
    unit = models.ForeignKey("org.Unit", models.PROTECT, related_name="result_dispatches", verbose_name=_("sent to"))
    recipients = models.CharField(_("email addresses"), max_length=1000)
    trigger = models.CharField(_("how"), max_length=8, choices=Trigger.choices, default=Trigger.MANUAL)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("sent by")
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)
    students = models.PositiveIntegerField(_("students"), default=0)
    attachments = models.JSONField(_("attachments"), default=list)

    objects = DispatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("results pack sent")
        verbose_name_plural = _("results packs sent")
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.cohort.code} → {self.unit.name} ({format_local_datetime(self.sent_at)})"
