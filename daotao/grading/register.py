"""The register of diplomas, certificates and confirmations of completion.

Numbers come from ``RegisterCounter`` rows locked for the transaction (``select_for_update``
on PostgreSQL; SQLite's IMMEDIATE transactions serialise writers), so two clerks issuing at
once never get the same number, and numbers only go up, so a voided number is never reused.
Every number given and every change of status is audited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from daotao.accounts.access import is_training_office
from daotao.audit.models import record, snapshot
from daotao.grading.models import Credential, CredentialKind, CredentialStatus, RegisterCounter
from daotao.programs.models import ProgramKind

# The suffix of register numbers ("0012/2026/BTC") and prefix of serials ("TC 000123").
REGISTER_SUFFIX = {CredentialKind.DIPLOMA: "BTC", CredentialKind.CERTIFICATE: "CCBD", CredentialKind.CONFIRMATION: "XN"}
SERIAL_PREFIX = {CredentialKind.DIPLOMA: "TC", CredentialKind.CERTIFICATE: "BD", CredentialKind.CONFIRMATION: "XN"}
# The serial numbers of a kind run on across years: their counter has year 0.
SERIAL_YEAR = 0
FIELDS = ["register_number", "serial_number", "status", "replaces"]


def _next(kind: str, year: int) -> int:
    """The next number of a register, inside the caller's transaction."""
    counter = RegisterCounter.objects.select_for_update().filter(kind=kind, year=year).first()
    if counter is None:
        try:
            with transaction.atomic():
                counter = RegisterCounter.objects.create(kind=kind, year=year)
        except IntegrityError:  # created by a concurrent issue a moment ago
            counter = RegisterCounter.objects.select_for_update().get(kind=kind, year=year)
        counter = RegisterCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def _office(user) -> None:
    if not is_training_office(user):
        raise PermissionDenied(_("Only the training office keeps the register."))


def _new(user, *, kind, enrollment, graduation, issued_on, replaces=None, reason="") -> Credential:
    sequence = _next(kind, issued_on.year)
    serial = _next(kind, SERIAL_YEAR)
    credential = Credential.objects.create(
        kind=kind,
        enrollment=enrollment,
        graduation=graduation,
        year=issued_on.year,
        sequence=sequence,
        register_number=f"{sequence:04d}/{issued_on.year}/{REGISTER_SUFFIX[kind]}",
        serial_number=f"{SERIAL_PREFIX[kind]} {serial:06d}",
        issued_on=issued_on,
        replaces=replaces,
        reason=reason,
        issued_by=user if getattr(user, "pk", None) else None,
    )
    record(user, credential, "credential_issued", {}, snapshot(credential, FIELDS), note=reason)
    return credential


def kind_for(enrollment) -> str:
    return (
        CredentialKind.DIPLOMA if enrollment.cohort.program.kind == ProgramKind.TRAINING else CredentialKind.CERTIFICATE
    )


def credential_issue(*, user, enrollment, issued_on, kind=None) -> Credential:
    """The diploma (training) or certificate (fostering) of a graduate; issued once."""
    _office(user)
    kind = kind or kind_for(enrollment)
    graduation = getattr(enrollment, "graduation", None)
    if graduation is None:
        raise ValidationError(_("%(student)s is not in a graduation decision.") % {"student": enrollment.student})
    with transaction.atomic():
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
        return _new(user, kind=kind, enrollment=enrollment, graduation=graduation, issued_on=issued_on)


def credentials_issue_for_decision(*, user, decision, issued_on) -> list[Credential]:
    """Issue the credential of every graduate of a decision who has none yet."""
    _office(user)
    issued = []
    entries = decision.entries.select_related("enrollment__cohort__program", "enrollment__student")
    with transaction.atomic():
        holders = set(
            Credential.objects.filter(graduation__decision=decision, status=CredentialStatus.VALID).values_list(
                "enrollment_id", flat=True
            )
        )
        for entry in entries.order_by("enrollment__student__sort_key"):
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
    if not str(reason).strip():
        raise ValidationError({"reason": _("Give the reason.")})
    locked = Credential.objects.select_for_update().get(pk=credential.pk)
    if locked.status != CredentialStatus.VALID:
        raise ValidationError(_("This credential is no longer valid."))
    before = snapshot(locked, FIELDS)
    locked.status, locked.reason = status, reason
    locked.save(update_fields=["status", "reason"])
    record(user, locked, "credential_" + status, before, snapshot(locked, FIELDS), note=reason)
    credential.status, credential.reason = status, reason


def credential_reissue(*, user, credential, reason, issued_on) -> Credential:
    """A corrected or replacement credential with new numbers; the old one is kept in the
    register as replaced."""
    _office(user)
    if credential.kind == CredentialKind.CERTIFICATE:
        raise ValidationError(_("A certificate is issued once: for a lost one, issue a confirmation of completion."))
    with transaction.atomic():
        _retire(user, credential, CredentialStatus.REPLACED, reason)
        return _new(
            user,
            kind=credential.kind,
            enrollment=credential.enrollment,
            graduation=credential.graduation,
            issued_on=issued_on,
            replaces=credential,
            reason=reason,
        )


def credential_void(*, user, credential, reason) -> Credential:
    """Void a credential issued in error; its numbers stay taken."""
    _office(user)
    with transaction.atomic():
        _retire(user, credential, CredentialStatus.VOIDED, reason)
    return credential


def confirmation_issue(*, user, credential, reason, issued_on) -> Credential:
    """A lost certificate is not issued again: the school confirms the completion instead,
    in its own register; the lost certificate is marked replaced by the confirmation."""
    _office(user)
    if credential.kind != CredentialKind.CERTIFICATE:
        raise ValidationError(_("A confirmation of completion replaces a lost certificate only."))
    with transaction.atomic():
        _retire(user, credential, CredentialStatus.REPLACED, reason)
        return _new(
            user,
            kind=CredentialKind.CONFIRMATION,
            enrollment=credential.enrollment,
            graduation=credential.graduation,
            issued_on=issued_on,
            replaces=credential,
            reason=reason,
        )
