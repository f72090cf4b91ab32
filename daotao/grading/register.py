"""The register of diplomas, certificates and confirmations of completion.

Numbers come from ``RegisterCounter`` rows locked for the transaction (``select_for_update``
on PostgreSQL; SQLite's IMMEDIATE transactions serialise writers), so two clerks issuing at
once never get the same number, and numbers only go up, so a voided number is never reused.
Where the school tracks its blank forms of a kind, the serial is the next form's instead
(``blank_forms.next_form``), marked used in the same transaction. Every number given and
every change of status is audited.

Numbers are given in the school's own register only (``OWN_REGISTER``). A school merged into
this one keeps its credentials in its own register (``Credential.register``), numbered as it
printed them: they are never renumbered and never given a number of theirs, but they may be
voided, and reissued or confirmed with a new credential in the school's own register."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from daotao.accounts.access import is_training_office
from daotao.audit.models import record, snapshot
from daotao.cohorts.models import Enrollment
from daotao.grading import blank_forms
from daotao.grading.models import (
    OWN_REGISTER,
    SERIAL_PREFIX,
    Credential,
    CredentialKind,
    CredentialStatus,
    GraduationEntry,
    RegisterCounter,
    format_serial,
)
from daotao.lib.vietnamese import format_date
from daotao.programs.models import ProgramKind

# The suffix of register numbers ("0012/2026/BTC"); the prefix of serials ("TC 000123") is
# ``models.SERIAL_PREFIX``.
REGISTER_SUFFIX = {CredentialKind.DIPLOMA: "BTC", CredentialKind.CERTIFICATE: "CCBD", CredentialKind.CONFIRMATION: "XN"}
# The serial numbers of a kind run on across years: their counter has year 0.
SERIAL_YEAR = 0
FIELDS = ["register_number", "serial_number", "status", "replaces"]
REASON_MAX = Credential._meta.get_field("reason").max_length


def _next(kind: str, year: int) -> int:
    """The next number of a register of the school's own, inside the caller's transaction:
    the counter row stays locked until it commits, so concurrent issues wait for each other."""
    counter = RegisterCounter.objects.select_for_update().filter(kind=kind, year=year).first()
    if counter is None:
        try:
            with transaction.atomic():  # a savepoint: a concurrent first issue may create it too
                RegisterCounter.objects.create(kind=kind, year=year)
        except IntegrityError:
            pass  # created (and committed) by the other issue a moment ago
        counter = RegisterCounter.objects.select_for_update().get(kind=kind, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def _office(user) -> None:
    if not is_training_office(user):
        raise PermissionDenied(_("Only the training office keeps the register."))


def _new(user, *, kind, enrollment, graduation, issued_on, replaces=None, reason="") -> Credential:
    """A credential with the next numbers of its registers (the school's own), printed on the
    next blank form where the kind's forms are tracked, audited."""
    sequence = _next(kind, issued_on.year)
    form = blank_forms.next_form(kind, enrollment.cohort.program)
    serial = form.serial if form is not None else serial_number(kind, _next(kind, SERIAL_YEAR))
    credential = Credential(
        kind=kind,
        enrollment=enrollment,
        graduation=graduation,
        year=issued_on.year,
        sequence=sequence,
        register_number=register_number(kind, issued_on.year, sequence),
        serial_number=serial,
        register=OWN_REGISTER,
        issued_on=issued_on,
        replaces=replaces,
        reason=reason,
        issued_by=user if getattr(user, "pk", None) else None,
    )
    credential.full_clean()
    try:
        with transaction.atomic():
            credential.save()
    except IntegrityError as error:  # a second valid one of the kind, issued concurrently
        raise ValidationError(_("%(student)s already has a valid %(kind)s: it is issued once.") % {
            "student": enrollment.student, "kind": CredentialKind(kind).label.lower()
        }) from error  # fmt: skip
    if form is not None:
        blank_forms.form_use(form, credential=credential, user=user)
    record(user, credential, "credential_issued", {}, snapshot(credential, FIELDS), note=reason)
    return credential


def register_number(kind: str, year: int, sequence: int) -> str:
    """ "0012/2026/BTC": the number in the year's register, the year, the register's suffix."""
    return f"{sequence:04d}/{year}/{REGISTER_SUFFIX[kind]}"


def serial_number(kind: str, serial: int) -> str:
    """ "TC 000123": the printed form's series and its number (running on across years)."""
    return format_serial(SERIAL_PREFIX[kind], serial)


def kind_for(enrollment) -> str:
    """A training program gives a diploma, a fostering course a certificate."""
    training = enrollment.cohort.program.kind == ProgramKind.TRAINING
    return CredentialKind.DIPLOMA if training else CredentialKind.CERTIFICATE


def _check_issuable(enrollment, kind) -> None:
    """Issued once: a certificate never again once given (a lost one gets a confirmation),
    a diploma not while a valid one exists (it is reissued instead)."""
    given = Credential.objects.filter(enrollment=enrollment, kind=kind).exclude(status=CredentialStatus.VOIDED)
    if kind == CredentialKind.CERTIFICATE and given.exists():
        raise ValidationError(
            _("%(student)s was already given a certificate: it is issued once; a lost one is replaced by a "
              "confirmation of completion.") % {"student": enrollment.student}
        )  # fmt: skip
    if given.filter(status=CredentialStatus.VALID).exists():
        raise ValidationError(
            _("%(student)s already has a valid %(kind)s: it is issued once; reissue it instead.")
            % {"student": enrollment.student, "kind": CredentialKind(kind).label.lower()}
        )


def credential_issue(*, user, issued_on, enrollment=None, graduation_entry=None, kind=None) -> Credential:
    """The diploma (training) or certificate (fostering) of a graduate, given by their
    ``enrollment`` or their ``graduation_entry``, with the next register and serial
    numbers; issued once."""
    _office(user)
    if (enrollment is None) == (graduation_entry is None):
        raise TypeError("credential_issue() takes either enrollment or graduation_entry")
    if graduation_entry is not None:
        enrollment = graduation_entry.enrollment
    expected = kind_for(enrollment)
    kind = kind or expected
    if kind not in (CredentialKind.DIPLOMA, CredentialKind.CERTIFICATE):
        raise ValidationError({"kind": _("Issue a diploma or a certificate here; a confirmation replaces a lost "
                                         "certificate.")})  # fmt: skip
    if kind != expected:
        raise ValidationError({"kind": _("A training program gives a diploma, a fostering course a certificate.")})
    _check_date(issued_on)
    graduation = GraduationEntry.objects.filter(enrollment=enrollment).first()
    if graduation is None:
        raise ValidationError(_("%(student)s is not in a graduation decision.") % {"student": enrollment.student})
    with transaction.atomic():
        # One clerk at a time per student, so "issued once" holds under concurrent clicks.
        list(Enrollment.objects.select_for_update().filter(pk=enrollment.pk).values_list("pk", flat=True))
        _check_issuable(enrollment, kind)
        return _new(user, kind=kind, enrollment=enrollment, graduation=graduation, issued_on=issued_on)


def credentials_issue_for_decision(*, user, decision, issued_on) -> list[Credential]:
    """Issue the credential of every graduate of a decision who has none yet (a voided
    one does not count), in class order."""
    _office(user)
    _check_date(issued_on)
    issued = []
    entries = decision.entries.select_related("enrollment__cohort__program", "enrollment__student")
    with transaction.atomic():
        holders = set(
            Credential.objects.filter(graduation__decision=decision)
            .exclude(status=CredentialStatus.VOIDED)
            .values_list("enrollment_id", flat=True)
        )
        for entry in entries.order_by("enrollment__student__sort_key", "enrollment__student_id"):
            if entry.enrollment_id in holders:
                continue
            issued.append(
                _new(
                    user,
                    kind=kind_for(entry.enrollment),
                    enrollment=entry.enrollment,
                    graduation=entry,
                    issued_on=issued_on,
                )
            )
    return issued


def _retire(user, credential, status, reason) -> None:
    """Mark a valid credential replaced or voided, audited; its numbers stay taken."""
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("Keep the reason under %(count)s characters.") % {"count": REASON_MAX}})
    locked = Credential.objects.select_for_update().get(pk=credential.pk)
    if locked.status != CredentialStatus.VALID:
        raise ValidationError(_("This credential is no longer valid."))
    before = snapshot(locked, FIELDS)
    locked.status, locked.reason = status, reason
    locked.save(update_fields=["status", "reason"])
    record(user, locked, "credential_" + status, before, snapshot(locked, FIELDS), note=reason)
    credential.status, credential.reason = status, reason


def _check_date(issued_on, replaced=None) -> None:
    if not isinstance(issued_on, dt.date):
        raise ValidationError({"issued_on": _("Enter the date of issue.")})
    if replaced is not None and issued_on < replaced.issued_on:
        raise ValidationError(
            {"issued_on": _("The new one cannot be dated before the one it replaces (%(date)s).") % {
                "date": format_date(replaced.issued_on)
            }}
        )  # fmt: skip


def _replace(user, credential, kind, reason, issued_on) -> Credential:
    """Mark ``credential`` replaced and give its student a new one of ``kind`` that points
    back to it, in one transaction."""
    _check_date(issued_on, credential)
    with transaction.atomic():
        _retire(user, credential, CredentialStatus.REPLACED, reason)
        return _new(
            user,
            kind=kind,
            enrollment=credential.enrollment,
            graduation=credential.graduation,
            issued_on=issued_on,
            replaces=credential,
            reason=reason,
        )


def credential_reissue(*, user, credential, reason, issued_on) -> Credential:
    """A corrected or replacement credential with new numbers; the old one is kept in the
    register as replaced."""
    _office(user)
    if credential.kind == CredentialKind.CERTIFICATE:
        raise ValidationError(_("A certificate is issued once: for a lost one, issue a confirmation of completion."))
    return _replace(user, credential, credential.kind, reason, issued_on)


def credential_void(*, user, credential, reason) -> Credential:
    """Void a credential issued in error; its numbers stay taken."""
    _office(user)
    with transaction.atomic():
        _retire(user, credential, CredentialStatus.VOIDED, reason)
    return credential


def confirmation_issue(*, user, credential, reason, issued_on) -> Credential:
    """A lost certificate is not issued again: the school confirms the completion instead,
    in the confirmations' own register. The lost certificate is marked replaced (with the
    reason, e.g. "reported lost", and a link to the confirmation), so the register shows it
    may no longer be presented, and it can never be issued again."""
    _office(user)
    if credential.kind != CredentialKind.CERTIFICATE:
        raise ValidationError(_("A confirmation of completion replaces a lost certificate only."))
    return _replace(user, credential, CredentialKind.CONFIRMATION, reason, issued_on)
