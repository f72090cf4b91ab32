"""The demo's absence warnings: the default thresholds, and the daily run of
``send_absence_warnings`` replayed over the finished Trung cấp class while it was taught
(the evening of each day on which someone missed a lesson), before the class is closed. Its
student with forced absences in one module is warned at 80% of the limit and then when the
limit is passed; the mail goes through an in-memory connection (the demo never sends real
mail) and each warning shows as sent, with its recipients, on the list of students at risk."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.utils import timezone

from daotao.alerts.models import DEFAULT_THRESHOLDS, AbsenceThreshold
from daotao.alerts.sending import warnings_send
from daotao.cohorts.models import Cohort
from daotao.demo.surveys import _emails as give_addresses
from daotao.teaching.models import MISSED_STATUSES, Lesson

EVENING = dt.time(18, 0)


def warn_during_course(cohort: Cohort) -> None:
    """Install the thresholds, give the class's students and units their addresses (the
    survey demo's, given early), then run the warnings on each day with an absence."""
    for percent in DEFAULT_THRESHOLDS:
        AbsenceThreshold.objects.get_or_create(percent=percent)
    give_addresses()
    days = (
        Lesson.objects.filter(cohort=cohort, attendance__status__in=MISSED_STATUSES)
        .order_by("date")
        .values_list("date", flat=True)
        .distinct()
    )
    connection = mail.get_connection("django.core.mail.backends.locmem.EmailBackend")
    for day in days:
        warnings_send(
            today=day,
            now=timezone.make_aware(dt.datetime.combine(day, EVENING)),
            cohorts=Cohort.objects.filter(pk=cohort.pk),
            connection=connection,
        )
