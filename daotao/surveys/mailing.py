"""Invitations and reminders by email (Django's email framework; SMTP in production).

``invitations_due`` decides who gets mail today: a first invitation for everyone with an
address who has none yet, and a reminder for those who have not answered when the last
mail is at least ``remind_every_days`` old and fewer than ``max_reminders`` were sent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core import mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from daotao.lib.vietnamese import format_date
from daotao.school import identity
from daotao.surveys.models import Invitation, SurveyRound
from daotao.surveys.services import invitations_create


@dataclass
class SendReport:
    rounds: int = 0
    created: int = 0
    invited: int = 0
    reminded: int = 0
    without_email: int = 0
    failed: list[str] = field(default_factory=list)


def invitations_due(survey_round: SurveyRound, now: dt.datetime | None = None):
    """(first invitations, reminders) of a round at ``now``. Reminders go by the day, not
    the hour: a daily job that starts a little earlier one day still reminds on time."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    # A student who has left the class since the invitation is no longer asked.
    base = Invitation.objects.filter(round=survey_round).counted().filter(answered=False).exclude(email="")
    first = base.filter(first_sent_at__isnull=True)
    reminders = base.filter(
        first_sent_at__isnull=False,
        reminders_sent__lt=survey_round.max_reminders,
        last_sent_at__date__lte=today - dt.timedelta(days=survey_round.remind_every_days),
    )
    return first.order_by("id"), reminders.order_by("id")


def survey_link(invitation: Invitation) -> str:
    return settings.DAOTAO_SITE_URL + reverse("surveys:answer", args=[invitation.token])


def _message(invitation: Invitation, reminder: bool, connection) -> mail.EmailMessage:
    survey_round = invitation.round
    context = {
        "invitation": invitation,
        "round": survey_round,
        "link": survey_link(invitation),
        "reminder": reminder,
        "school": identity.current(),
        "closes_on": format_date(survey_round.closes_on),
    }
    subject = (_("Reminder: %(title)s") if reminder else _("Survey: %(title)s")) % {"title": survey_round.title}
    return mail.EmailMessage(
        subject=subject,
        body=render_to_string("surveys/email/invitation.txt", context),
        to=[invitation.email],
        connection=connection,
    )


def round_send(survey_round: SurveyRound, *, now: dt.datetime | None = None, connection=None) -> SendReport:
    """Create the round's missing invitations, then send what is due. Each mail is marked
    sent only after the server accepted it, so a failure is retried on the next run."""
    now = now or timezone.now()
    report = SendReport(rounds=1)
    report.created = invitations_create(survey_round=survey_round)
    report.without_email = (
        Invitation.objects.filter(round=survey_round).counted().filter(answered=False, email="").count()
    )
    first, reminders = invitations_due(survey_round, now)
    first, reminders = (list(each.select_related("round", "student")) for each in (first, reminders))
    if not first and not reminders:
        return report
    connection = connection or mail.get_connection()
    with translation.override(settings.LANGUAGE_CODE):
        for invitation in first + reminders:
            reminder = invitation.first_sent_at is not None
            try:
                _message(invitation, reminder, connection).send()
            except (OSError, ValueError) as error:  # SMTP errors, refused or malformed addresses
                # A reminder goes only to someone who has not answered: of an anonymous
                # round, neither the address it failed for nor the error (which may quote
                # the address) is shown.
                if reminder and survey_round.anonymous:
                    what = _("a reminder")
                    report.failed.append(f"{what}: {type(error).__name__}")
                else:
                    report.failed.append(f"{invitation.email}: {error}")
                continue
            update = {"last_sent_at": now}
            if reminder:
                update["reminders_sent"] = invitation.reminders_sent + 1
                report.reminded += 1
            else:
                update["first_sent_at"] = now
                report.invited += 1
            Invitation.objects.filter(pk=invitation.pk).update(**update)
    return report


def open_rounds(today: dt.date | None = None):
    """Rounds whose invitations may go out today (after-course rounds once their months
    after the closing date have passed)."""
    today = today or timezone.localdate()
    candidates = SurveyRound.objects.filter(closes_on__gte=today).filter(
        Q(opens_on__isnull=True) | Q(opens_on__lte=today)
    )
    return [survey_round for survey_round in candidates.select_related("cohort") if survey_round.is_open(today)]


def rounds_send(*, today: dt.date | None = None, now: dt.datetime | None = None) -> SendReport:
    """Everything due today, over every open round (the cron job)."""
    total = SendReport()
    connection = mail.get_connection()
    for survey_round in open_rounds(today):
        report = round_send(survey_round, now=now, connection=connection)
        total.rounds += 1
        total.created += report.created
        total.invited += report.invited
        total.reminded += report.reminded
        total.without_email += report.without_email
        total.failed += report.failed
    return total
