"""Checking a credential by its verification code: anyone holding a printed diploma,
certificate or confirmation (an employer, a personnel office) types the code or scans the
QR code printed on it and sees whether the school issued it and whether it still holds.

The code is random (``grading.models.new_verification_code``): it says nothing of the
row, its order or its date, and 50 random bits are not guessed at the rate the public page
and API allow (``DAOTAO_VERIFY_PER_MINUTE`` per client, ``daotao.web.ratelimit``).

What the public sees (``lookup``): the holder's name and year of birth, the program, the
class, the classification of a diploma, the numbers and, for a credential of a school merged
into this one, the register they are in (``Credential.register``), the date of issue and the
status, and for a replaced credential the serial number and date of the one that replaced
it. Never the national ID, the full date of birth, a phone number or an email address.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.safestring import mark_safe

from daotao.grading.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Credential,
    CredentialKind,
    CredentialStatus,
    register_note,
)
from daotao.grading.rules import classification_label, rules_for
from daotao.web import ratelimit

# Look-ups from one client (page and API together) in this window: ``DAOTAO_VERIFY_PER_MINUTE``.
WINDOW_SECONDS = 60
RATE_SCOPE = "credential-verify"
GROUP = 5
# Typed codes longer than this are not read at all (a code with its dash and spaces is 11).
TYPED_MAX_LENGTH = 32
# Characters people type for those the alphabet leaves out (Crockford's base 32).
_MISREAD = str.maketrans({"O": "0", "I": "1", "L": "1"})
# A chain of reissues is a handful long; the bound only guards against a loop.
_CHAIN_MAX = 50


def format_code(code: str) -> str:
    """``K7QX3MZP9T`` -> ``K7QX3-MZP9T``: two groups of five, as printed."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalize_code(text: str) -> str | None:
    """The code in ``text`` as stored, or None if it cannot be one: spaces and dashes
    dropped, upper case, O read as 0 and I or L as 1; then exactly ten characters of the
    alphabet."""
    if not isinstance(text, str) or len(text) > TYPED_MAX_LENGTH:
        return None
    code = "".join(text.split()).replace("-", "").upper().translate(_MISREAD)
    if len(code) != CODE_LENGTH or any(character not in CODE_ALPHABET for character in code):
        return None
    return code


def verification_allowed(request) -> bool:
    """Count one look-up by the client (on the page or through the API), whatever the code;
    False once past the limit."""
    return ratelimit.client_allowed(request, RATE_SCOPE, settings.DAOTAO_VERIFY_PER_MINUTE, WINDOW_SECONDS)


def verification_path(code: str) -> str:
    return reverse("credential-verify", kwargs={"code": code})


def verification_url(code: str) -> str:
    """The public page's absolute address, at the school's public address
    (``DAOTAO_SITE_URL``), never at the host a print was opened at: the paper keeps it for
    good, and a print made at an internal address or through a forged Host header would
    send its readers elsewhere (the invitations' links follow the same rule)."""
    return settings.DAOTAO_SITE_URL.rstrip("/") + verification_path(code)


def qr_svg(url: str) -> str:
    """``url`` as a QR code (error correction M), inline SVG for an HTML page: no XML
    declaration, no fixed size (a ``viewBox``, so CSS sizes it), dark modules black on
    a transparent ground, the quiet zone of four modules included."""
    code = segno.make(url, error="m", boost_error=False, micro=False)
    return code.svg_inline(omitsize=True, dark="#000", light=None, border=4, svgclass="qr", lineclass=None)


@dataclass(frozen=True)
class Replacement:
    """The credential that stands now in place of a replaced one."""

    kind: str
    serial_number: str
    issued_on: dt.date
    status: str  # valid, unless it was voided since
    register: str = ""  # empty: the school's own

    @property
    def kind_label(self) -> str:
        return CredentialKind(self.kind).label

    @property
    def register_note(self) -> str:
        return register_note(self.register)

    @property
    def valid(self) -> bool:
        return self.status == CredentialStatus.VALID


@dataclass(frozen=True)
class Verification:
    """What the public may see of one credential."""

    kind: str
    status: str
    full_name: str
    year_of_birth: int | None
    program: str
    cohort_name: str
    cohort_code: str
    classification: str  # a diploma's, else empty
    serial_number: str
    register_number: str
    issued_on: dt.date
    replacement: Replacement | None
    # The classification as the program's bands name it (``grading.rules.classification_label``).
    band_label: str = ""
    # The register of a school merged into this one the numbers are in; empty: the school's own.
    register: str = ""

    @property
    def kind_label(self) -> str:
        return CredentialKind(self.kind).label

    @property
    def classification_label(self) -> str:
        return self.band_label or classification_label(self.classification)

    @property
    def valid(self) -> bool:
        return self.status == CredentialStatus.VALID

    @property
    def voided(self) -> bool:
        return self.status == CredentialStatus.VOIDED

    @property
    def replaced(self) -> bool:
        return self.status == CredentialStatus.REPLACED


def _replacement(credential: Credential) -> Replacement | None:
    """The end of the chain of reissues from a replaced credential (the valid one, unless
    that too was voided)."""
    current = credential
    for _step in range(_CHAIN_MAX):
        following = Credential.objects.filter(replaces=current).first()
        if following is None:
            break
        current = following
        if current.status != CredentialStatus.REPLACED:
            break
    if current is credential:
        return None
    return Replacement(
        kind=current.kind,
        serial_number=current.serial_number,
        issued_on=current.issued_on,
        status=current.status,
        register=current.register,
    )


def lookup(code: str) -> Verification | None:
    """What the public may see of the credential with this code (typed in any of the ways
    ``normalize_code`` reads), or None: a code that cannot be one and a code no credential
    has give the same None."""
    normalized = normalize_code(code)
    if normalized is None:
        return None
    credential = (
        Credential.objects.select_related(
            "enrollment__student", "enrollment__cohort__program__grading_rules", "graduation"
        )
        .filter(verification_code=normalized)
        .first()
    )
    if credential is None:
        return None
    student, cohort = credential.enrollment.student, credential.enrollment.cohort
    classification = ""
    if credential.kind == CredentialKind.DIPLOMA and credential.graduation is not None:
        classification = credential.graduation.classification
    return Verification(
        kind=credential.kind,
        status=credential.status,
        full_name=student.full_name,
        year_of_birth=student.date_of_birth.year if student.date_of_birth else None,
        program=cohort.program.name,
        cohort_name=cohort.name,
        cohort_code=cohort.code,
        classification=classification,
        band_label=classification_label(classification, rules_for(cohort.program)) if classification else "",
        serial_number=credential.serial_number,
        register_number=credential.register_number,
        register=credential.register,
        issued_on=credential.issued_on,
        replacement=_replacement(credential) if credential.status == CredentialStatus.REPLACED else None,
    )


def mark(credential: Credential) -> dict:
    """What the printed credential's verification mark shows (its partial,
    ``grading/partials/verification_mark.html``): the code as printed, the page's address
    in full and without its scheme, and the QR code of that address."""
    url = verification_url(credential.verification_code)
    return {
        "code": format_code(credential.verification_code),
        "url": url,
        "short_url": url.split("://", 1)[-1],
        "qr": mark_safe(qr_svg(url)),  # segno's markup: digits and path commands only
    }
