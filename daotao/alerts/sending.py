"""Finding new threshold crossings and emailing them (the daily ``send_absence_warnings``).

For every studying student of the open classes, each module's absences (``risk.absences``)
are compared with the active thresholds (``AbsenceThreshold``). A threshold reached with no
standing warning is a new crossing: its ``AbsenceWarning`` is inserted first, which claims
it (the database refuses a second standing warning of the same threshold, so two runs at
once cannot both mail it), then one email goes to the student and to the locality and the
sending agency that sent them, through one connection for the whole run. Several thresholds
crossed at once (50% and 80% between two runs) make one email, of the highest; each is
recorded.

A warning is marked sent only once the mail server accepted the email; a refused or failed
email leaves it "failed", tried again on the next run (while the threshold is still
reached), and the others go on. A party without an address is recorded as such; a warning
for which nobody has an address is recorded, and shown, as "nobody could be emailed", and
is not tried again.

When the attendance is corrected below a standing warning's threshold, the warning is
withdrawn (``withdrawn_at``, shown on the list); crossing the threshold again later is a new
warning with a new email, since the first one was about absences that turned out not to be.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core import mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from daotao.alerts.models import AbsenceThreshold, AbsenceWarning, Party, WarningStatus
from daotao.alerts.risk import ModuleAbsence, absences
from daotao.cohorts.models import Cohort, CohortStatus, EnrollmentStatus
from daotao.lib.vietnamese import format_date, format_decimal, format_int, format_percent
from daotao.org.models import contact_emails
from daotao.school import identity

# A claim older than this is taken to be of a run that died while sending.
STALE_CLAIM = dt.timedelta(hours=1)


@dataclass
class SendReport:
    classes: int = 0
    crossings: int = 0  # new warnings recorded
    emails: int = 0  # emails the server accepted
    unreachable: int = 0  # emails nobody could be sent
    withdrawn: int = 0
    failed: list[str] = field(default_factory=list)
    # One line per email sent (or, in a dry run, that would be).
    lines: list[str] = field(default_factory=list)


def open_cohorts(day: dt.date):
    """The classes being taught on ``day``: studying (status "open") and opened by then."""
    return Cohort.objects.filter(status=CohortStatus.OPEN, opening_date__lte=day)


def number_text(value) -> str:
    """Periods as Vietnamese text: ``15``, ``14,4``, ``1.040``."""
    integer, _comma, fraction = format_decimal(value, 2).partition(",")
    fraction = fraction.rstrip("0")
    return f"{integer},{fraction}" if fraction else integer


def share_text(row: ModuleAbsence) -> str:
    """The absences as a percentage of the limit: ``66,7%``, ``100%``."""
    return format_percent(row.share, 1).replace(",0%", "%") if row.share is not None else ""


@dataclass(frozen=True)
class Recipients:
    addresses: list[str]
    unreachable: list[str]  # Party codes without an address
    names: list[str]  # the addressees, for the salutation


def recipients(row: ModuleAbsence, unit_emails: dict[int, str]) -> Recipients:
    """The student's address and the contact address (``org.contact_emails``) of the
    locality and of the sending agency the student came from (the units their results go
    back to), without repeats; the parties with no address."""
    student = row.enrollment.student
    addresses, unreachable, names = [], [], [student.full_name]
    parties = [(Party.STUDENT, None, student.email)]
    for party, unit in ((Party.LOCALITY, student.locality), (Party.AGENCY, student.agency)):
        if unit is not None:
            parties.append((party, unit, unit_emails.get(unit.pk, "")))
            names.append(unit.name)
    for party, _unit, address in parties:
        if not address:
            unreachable.append(party.value)
        elif address.lower() not in {known.lower() for known in addresses}:
            addresses.append(address)
    return Recipients(addresses, unreachable, names)


def message(row: ModuleAbsence, threshold: int, to: Recipients, day: dt.date, connection) -> mail.EmailMessage:
    """The warning, in the site's language (Vietnamese)."""
    school = identity.current()
    enrollment, module = row.enrollment, row.module
    cohort, student = enrollment.cohort, enrollment.student
    subject = _("Absence warning: %(student)s, module %(module)s, class %(cohort)s") % {
        "student": student.full_name,
        "module": module.code,
        "cohort": cohort.code,
    }
    values = {
        "student": student.full_name,
        "cohort": cohort.code,
        "cohort_name": cohort.name,
        "module": f"{module.code} {module.name}",
        "missed": format_int(row.missed),
        "periods": format_int(row.periods),
        "limit": number_text(row.limit),
        "percent": format_int(row.rules.max_absence_percent),
        "share": share_text(row),
        "threshold": format_int(threshold),
        "date": format_date(day),
    }
    lines = [
        _("Dear %(names)s,") % {"names": "; ".join(to.names)},
        "",
        _(
            "As of %(date)s, %(student)s, a student of class %(cohort)s (%(cohort_name)s), has missed "
            "%(missed)s of the %(periods)s periods of module %(module)s."
        )
        % values,
        _(
            "The absence limit of the module is %(limit)s periods (%(percent)s%% of its periods): "
            "a student who misses more may not sit its exam."
        )
        % values,
        _("The absences are %(share)s of the limit (warning at %(threshold)s%%).") % values,
    ]
    if row.over:
        lines.append(_("The absences are over the limit: the student may not sit the exam of this module."))
    elif row.at_limit:
        lines.append(_("The limit is reached: one more absence bars the student from the exam of this module."))
    else:
        lines.append(_("Please attend the remaining lessons of the module so as not to pass the limit."))
    lines += ["", school["name"]]
    return mail.EmailMessage(subject=subject, body="\n".join(lines), to=to.addresses, connection=connection)


def _standing(cohorts) -> dict[tuple[int, int], dict[int, AbsenceWarning]]:
    found: dict[tuple[int, int], dict[int, AbsenceWarning]] = {}
    warnings = AbsenceWarning.objects.standing().filter(enrollment__cohort__in=cohorts).select_related("enrollment")
    for warning in warnings:
        found.setdefault((warning.enrollment_id, warning.module_id), {})[warning.threshold] = warning
    return found


def _claim_new(row: ModuleAbsence, thresholds: list[int], day: dt.date, now: dt.datetime) -> list[AbsenceWarning]:
    """Insert the warnings of the new crossings of one student in one module, all or none,
    which claims them; none when another run has claimed any of them (it sends that email,
    and a threshold it did not see is found on the next run)."""
    warnings = [
        AbsenceWarning(
            enrollment=row.enrollment,
            module=row.module,
            threshold=threshold,
            absences=row.missed,
            module_periods=row.periods,
            limit_percent=row.rules.max_absence_percent,
            limit=row.limit,
            as_of=day,
            found_at=now,
            status=WarningStatus.SENDING,
            claimed_at=now,
        )
        for threshold in thresholds
    ]
    try:
        with transaction.atomic():
            for warning in warnings:
                warning.save()
    except IntegrityError:
        return []
    return warnings


def _claim_retry(warning: AbsenceWarning, now: dt.datetime) -> bool:
    """Take a failed warning (or one whose run died while sending) to send it again; False
    when another run took it first."""
    retry = Q(status=WarningStatus.FAILED) | Q(status=WarningStatus.SENDING, claimed_at__lt=now - STALE_CLAIM)
    taken = AbsenceWarning.objects.filter(retry, pk=warning.pk, withdrawn_at__isnull=True).update(
        status=WarningStatus.SENDING, claimed_at=now
    )
    return taken == 1


def _retriable(warning: AbsenceWarning, now: dt.datetime) -> bool:
    return warning.status == WarningStatus.FAILED or (
        warning.status == WarningStatus.SENDING
        and warning.claimed_at is not None
        and warning.claimed_at < now - STALE_CLAIM
    )


def warnings_send(
    *, today: dt.date | None = None, now: dt.datetime | None = None, cohorts=None, connection=None, dry_run=False
) -> SendReport:
    """Warn of every new crossing in ``cohorts`` (the open classes on ``today`` by default),
    counting the lessons held up to ``today``, and send again what failed before. With
    ``dry_run``, only say what would be sent: nothing is written, nothing mailed."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    report = SendReport()
    cohorts = open_cohorts(today) if cohorts is None else cohorts
    report.classes = cohorts.count()
    percents = AbsenceThreshold.objects.percents()
    rows = absences(cohorts, until=today)
    standing = _standing(cohorts)
    current = {row.key: row for row in rows}
    report.withdrawn = _withdraw(standing, current, today, now, dry_run)
    due = []
    for row in rows:
        reached = row.reached(percents)
        if not reached:
            continue
        have = standing.get(row.key, {})
        new = [percent for percent in reached if percent not in have]
        again = [have[percent] for percent in reached if percent in have and _retriable(have[percent], now)]
        if new or again:
            due.append((row, new, again))
    if not due:
        return report
    units = {
        unit.pk: unit
        for row, _new, _again in due
        for unit in (row.enrollment.student.locality, row.enrollment.student.agency)
        if unit is not None
    }
    unit_emails = contact_emails(units.values())
    connection = connection or mail.get_connection()
    with translation.override(settings.LANGUAGE_CODE):
        for row, new, again in due:
            _warn(row, new, again, unit_emails, today, now, connection, dry_run, report)
    return report


def _withdraw(standing, current, today, now, dry_run) -> int:
    """Withdraw the standing warnings whose absences were corrected below their threshold
    (of students still studying, counted up to a day no earlier than the warning's)."""
    gone = []
    for key, warnings in standing.items():
        row = current.get(key)
        for percent, warning in warnings.items():
            if warning.enrollment.status != EnrollmentStatus.STUDYING or warning.as_of > today:
                continue
            if row is None or not row.reaches(percent):
                gone.append(warning.pk)
    if gone and not dry_run:
        AbsenceWarning.objects.filter(pk__in=gone, withdrawn_at__isnull=True).update(withdrawn_at=now)
    for key in list(standing):
        standing[key] = {p: w for p, w in standing[key].items() if w.pk not in gone}
    return len(gone)


def _describe(row: ModuleAbsence, threshold: int, to: Recipients) -> str:
    enrollment = row.enrollment
    return _(
        "%(cohort)s, %(student)s, module %(module)s: %(missed)s of %(limit)s periods allowed "
        "(%(share)s, warning at %(threshold)s%%) → %(to)s"
    ) % {
        "cohort": enrollment.cohort.code,
        "student": enrollment.student.full_name,
        "module": row.module.code,
        "missed": format_int(row.missed),
        "limit": number_text(row.limit),
        "share": share_text(row),
        "threshold": format_int(threshold),
        "to": ", ".join(to.addresses) or _("nobody could be emailed"),
    }


def _warn(row, new, again, unit_emails, today, now, connection, dry_run, report) -> None:
    """Claim the crossings of one student in one module, then send their one email."""
    to = recipients(row, unit_emails)
    if dry_run:
        report.crossings += len(new)
        report.lines.append(_describe(row, max(new + [w.threshold for w in again]), to))
        return
    mine = _claim_new(row, new, today, now) if new else []
    report.crossings += len(mine)
    mine += [warning for warning in again if _claim_retry(warning, now)]
    if not mine:
        return  # another run has them
    highest = max(warning.threshold for warning in mine)
    done = AbsenceWarning.objects.filter(pk__in=[warning.pk for warning in mine])
    snapshot = {
        "absences": row.missed,
        "module_periods": row.periods,
        "limit_percent": row.rules.max_absence_percent,
        "limit": row.limit,
        "mail_threshold": highest,
        "recipients": ", ".join(to.addresses)[:1000],
        "unreachable": to.unreachable,
        "claimed_at": None,
    }
    if not to.addresses:
        done.update(status=WarningStatus.UNREACHABLE, error="", **snapshot)
        report.unreachable += 1
        report.lines.append(_describe(row, highest, to))
        return
    try:
        message(row, highest, to, today, connection).send()
    except (OSError, ValueError) as error:  # SMTP errors, refused or malformed addresses
        text = f"{', '.join(to.addresses)}: {error}"
        done.update(status=WarningStatus.FAILED, error=str(error)[:500], claimed_at=None, attempts=F("attempts") + 1)
        report.failed.append(text)
        return
    done.update(status=WarningStatus.SENT, sent_at=now, error="", attempts=F("attempts") + 1, **snapshot)
    report.emails += 1
    report.lines.append(_describe(row, highest, to))
