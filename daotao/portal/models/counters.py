"""Visit counters of the public portal.

A visit is one visitor's first public request of a local calendar day. Visits are kept as
one row per day, so every figure of the visitor box is a read of at most 31 rows; the
all-time figure is the sum of the rows plus the offset carried over from an older site.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from daotao.lib.vietnamese import format_date


class DailyVisits(models.Model):
    day = models.DateField(_("day"), unique=True)
    visits = models.PositiveBigIntegerField(_("visits"), default=0)

    class Meta:
        verbose_name = _("visits of a day")
        verbose_name_plural = _("visits per day")
        ordering = ["-day"]

    def __str__(self):
        return f"{format_date(self.day)}: {self.visits}"


class VisitOffset(models.Model):
    """Visits counted by the school's previous site, added to the all-time figure (one row)."""

    visits = models.PositiveBigIntegerField(_("visits counted before DaoTao"), default=0)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("visits before DaoTao")
        verbose_name_plural = _("visits before DaoTao")
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="portal_visitoffset_single_row")]

    def __str__(self):
        return str(self.visits)

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> int:
        return cls.objects.filter(pk=1).values_list("visits", flat=True).first() or 0
