"""Who was already counted today: one row per visitor, day and subject (the day's visit, or
one article's view), written in the same transaction as the increment it causes.

The row holds a digest of the subject and the visitor's key (16 bytes of SHA-256), never the
cookie or the address itself. Rows of days before yesterday are deleted
(``daotao.portal.counting.forget_old_days``). Because every counted row and its increment
commit together, the counters of a day equal its rows: ``DailyVisits.visits`` is the number
of the day's visit rows (``alias`` false), and the views an article gained that day the
number of its rows.
"""

from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

DIGEST_BYTES = 16


class CountedKey(models.Model):
    pk = models.CompositePrimaryKey("day", "digest")
    day = models.DateField(_("day"))
    digest = models.BinaryField(_("digest"), max_length=DIGEST_BYTES)
    # The article whose view this row counted; none for the day's visit. No foreign key: the
    # row only lives two days, and a key would add a lock on the article to every insert.
    article_id = models.BigIntegerField(_("article"), null=True)
    # True for the cookie handed to a visitor who came without one: marked as counted so that
    # its next request is not counted again, but it counted nothing itself.
    alias = models.BooleanField(_("alias"), default=False)

    class Meta:
        verbose_name = _("visitor counted today")
        verbose_name_plural = _("visitors counted today")
        constraints = [
            models.CheckConstraint(
                condition=Exact(Length("digest"), DIGEST_BYTES), name="portal_countedkey_digest_length"
            ),
        ]

    def __str__(self):
        return f"{self.day.isoformat()} {bytes(self.digest).hex()}"
