"""Sending results packs by email: on demand from the class's page, and automatically once
a class has closed (``packs_send_for_closed``, run from cron by ``send_result_packs``).
Every pack sent is logged as a ``ResultPackDispatch``; a pack is logged only after the mail
server accepted it, so a failure is retried on the next run."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from daotao.accounts.access import is_training_office
from daotao.cohorts.models import Cohort, CohortStatus
from daotao.lib import xlsx
from daotao.lib.vietnamese import format_date
from daotao.org.models import contact_email
from daotao.school import identity
from daotao.twoway.models import ResultPackDispatch, Trigger
from daotao.twoway.packs import pack_for, pack_pdf, pack_xlsx, recipients_for


def _message(pack, email: str, connection) -> tuple[mail.EmailMessage, list[str]]:
    school = identity.current()
    cohort = pack.cohort
    subject = _("Results of class %(cohort)s for %(unit)s") % {"cohort": cohort.code, "unit": pack.unit.name}
    lines = [
        _("Dear %(unit)s,") % {"unit": pack.unit.name},
        "",
        _(
            "%(school)s sends the results of the %(count)s students of your unit in class %(cohort)s "
            "(%(name)s, %(program)s): each module's result, attendance, conduct, classification and "
            "graduation."
        )
        % {
            "school": school["name"],
            "count": len(pack),
            "cohort": cohort.code,
            "name": cohort.name,
            "program": cohort.program.name,
        },
        _("The same results can be read online in DaoTao by your unit's accounts."),
        "",
        _("Made on %(date)s.") % {"date": format_date(pack.made_on)},
        school["name"],
    ]
    message = mail.EmailMessage(subject=subject, body="\n".join(lines), to=[email], connection=connection)
    names = [f"{pack.file_stem}.xlsx", f"{pack.file_stem}.pdf"]
    message.attach(names[0], pack_xlsx(pack), xlsx.CONTENT_TYPE)
    message.attach(names[1], pack_pdf(pack), "application/pdf")
    return message, names


def pack_send(*, cohort, unit, user=None, trigger=Trigger.MANUAL, email=None, connection=None) -> ResultPackDispatch:
    """Email the pack of ``cohort`` for ``unit`` (xlsx and PDF attached) to the unit's address
    (or the nearest unit above it with one) and log it. ``user`` None is the automatic
    sending; a user must be of the training office. ValidationError when there is no address,
    no student from the unit or the mail server refuses."""
    if user is not None and not is_training_office(user):
        raise PermissionDenied(_("Only the training office sends results packs."))
    email = email if email is not None else contact_email(unit)
    if not email:
        raise ValidationError(
            _("%(unit)s and the units above it have no email address: the results pack cannot be sent.")
            % {"unit": unit.name}
        )
    with translation.override(settings.LANGUAGE_CODE):
        pack = pack_for(cohort, unit)
        if not pack.rows:
            raise ValidationError(
                _("No student of class %(cohort)s came from %(unit)s.") % {"cohort": cohort.code, "unit": unit.name}
            )
        message, names = _message(pack, email, connection)
        try:
            message.send()
        except (OSError, ValueError) as error:  # SMTP errors, refused or malformed addresses
            raise ValidationError(
                _("The email to %(email)s could not be sent: %(error)s") % {"email": email, "error": error}
            ) from None
    dispatch = ResultPackDispatch(
        cohort=cohort,
        unit=unit,
        recipients=email,
        trigger=trigger,
        sent_by=user if getattr(user, "pk", None) else None,
        students=len(pack),
        attachments=names,
    )
    dispatch.save()
    return dispatch


def closed_cohorts(since: dt.date | None = None):
    """Classes the training office has closed (status "closed": results final, diplomas or
    certificates issued), whatever their closing date says; with ``since``, only those whose
    closing date is on or after it (or unknown)."""
    cohorts = Cohort.objects.filter(status=CohortStatus.CLOSED)
    if since is not None:
        cohorts = cohorts.filter(Q(closing_date__isnull=True) | Q(closing_date__gte=since))
    return cohorts.select_related("program__grading_rules").order_by("closing_date", "code")


# One automatic sending at a time (two cron jobs, or a job and a slow one from yesterday):
# a key in the shared cache, taken with an atomic add.
RUN_LOCK = "twoway:send-result-packs"
RUN_LOCK_SECONDS = 6 * 3600


def packs_send_for_closed(
    *, since: dt.date | None = None, skipped: list | None = None, connection=None
) -> list[ResultPackDispatch] | None:
    """Send each closed class's packs once: to every unit that has no pack of this class
    sent "when the class closed" yet. Units without an address, and mail the server refused,
    are added to ``skipped`` as (cohort, unit, reason) and tried again on the next run.

    No transaction is held while packs are rendered and mailed: each dispatch is logged as
    soon as its mail is accepted, so a failure later loses nothing already sent. Returns None
    when another run is in progress."""
    skipped = skipped if skipped is not None else []
    if not cache.add(RUN_LOCK, timezone.now().isoformat(), RUN_LOCK_SECONDS):
        return None
    try:
        sent = []
        connection = connection or mail.get_connection()
        for cohort in closed_cohorts(since):
            done = set(
                ResultPackDispatch.objects.filter(cohort=cohort, trigger=Trigger.CLOSED).values_list(
                    "unit_id", flat=True
                )
            )
            for unit, email in recipients_for(cohort):
                if unit.pk in done:
                    continue
                if not email:
                    skipped.append((cohort, unit, _("no email address")))
                    continue
                try:
                    sent.append(
                        pack_send(cohort=cohort, unit=unit, trigger=Trigger.CLOSED, email=email, connection=connection)
                    )
                except ValidationError as error:
                    skipped.append((cohort, unit, " ".join(error.messages)))
        return sent
    finally:
        cache.delete(RUN_LOCK)
