"""The checks of the register sheet (``VanBang``) of the past-records workbook: each
credential against the other rows, the register on record and its holder's graduation;
and the numbers that move the register's counters on. ``HistoryPlan`` (``history_plan``)
runs them with the records it loaded.

A credential is matched by its register number: one on record with the same details is
unchanged, one with other details is refused (an import never changes the register). A new
one needs its holder to be a graduate of the class (in the file or on record), a kind that
fits the program, and no other valid one of its kind (a certificate: none ever), as
``grading.register`` requires of those it issues.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from daotao.audit.models import snapshot
from daotao.grading.models import Credential, CredentialKind, CredentialStatus, GraduationEntry
from daotao.grading.register import FIELDS as CREDENTIAL_FIELDS
from daotao.grading.register import REGISTER_SUFFIX, SERIAL_PREFIX, SERIAL_YEAR, kind_for
from daotao.lib.dates import MAX_YEAR, MIN_YEAR, is_year
from daotao.lib.vietnamese import format_date, format_int, normalize_space
from daotao.onboarding.importing.history_format import REGISTER, RESULTS, CredentialRow
from daotao.web.import_results import too_long

NUMBER_LENGTH = Credential._meta.get_field("register_number").max_length
MAX_SEQUENCE = 999_999  # a number in one year's register
MAX_SERIAL = 999_999_999  # larger numbers are not DaoTao's series: the counter is left alone
_SUFFIX_KIND = {suffix: kind for kind, suffix in REGISTER_SUFFIX.items()}
_PREFIX_KIND = {prefix: kind for kind, prefix in SERIAL_PREFIX.items()}
# DaoTao's own forms ("0012/2026/BTC", "TC 000123"), read from a number without its spaces.
_SUFFIXES = "|".join(map(re.escape, _SUFFIX_KIND))
_PREFIXES = "|".join(map(re.escape, _PREFIX_KIND))
_OWN_REGISTER = re.compile(rf"^(\d+)/(\d{{4}})/({_SUFFIXES})$")
_OWN_SERIAL = re.compile(rf"^({_PREFIXES})(\d+)$")
_LEADING_NUMBER = re.compile(r"^(\d+)")
SPACES = re.compile(r"\s+")


def number_key(text) -> str:
    """A register, serial or decision number as it is compared: without spaces, in capitals
    ("0012/2019/btc" and "0012 / 2019 / BTC" are the same number)."""
    return SPACES.sub("", normalize_space(str(text or ""))).upper()


@dataclass
class Graduate:
    """A graduate of a class (on record or of the file) and the date of their decision."""

    entry: GraduationEntry
    decided_on: dt.date


@dataclass
class Issued:
    """A credential of the file, with the row it came from."""

    row: CredentialRow
    number: int
    credential: Credential


class RegisterChecks:
    """The register sheet's checks, mixed into ``HistoryPlan``, whose records they read:
    ``by_register``, ``by_serial`` (credentials on record by number key), ``sequences``
    ((kind, year, number) on record), ``held`` (an enrollment's credentials not voided),
    ``graduates``, ``unread``; and whose plan they fill: ``issued``, ``replaced``,
    ``counters``, ``result``."""

    def _check_credential(self, row: CredentialRow, number: int) -> None:
        found = self.problems.total
        code, national_id = normalize_space(row.cohort).upper(), SPACES.sub("", row.national_id or "")
        register, serial = normalize_space(row.register_number), normalize_space(row.serial_number)
        if row.kind not in CredentialKind.values:
            self.fail(REGISTER, row, "kind", _("Choose a kind."))
        for key, text in (("register_number", register), ("serial_number", serial)):
            if not text:
                self.fail(REGISTER, row, key, _("A value is required."))
            elif len(text) > NUMBER_LENGTH:
                self.fail(REGISTER, row, key, too_long(NUMBER_LENGTH, len(text)))
        if row.issued_on is None:
            self.fail(REGISTER, row, "issued_on", _("A value is required."))
        elif row.issued_on > self.today:
            self.fail(REGISTER, row, "issued_on", _("The date %(date)s is in the future.")
                      % {"date": format_date(row.issued_on)})  # fmt: skip
        year = row.year if row.year is not None else row.issued_on.year if row.issued_on else None
        if year is not None and not is_year(year):
            self.fail(REGISTER, row, "year", _("The year must be from %(min)s to %(max)s.")
                      % {"min": MIN_YEAR, "max": MAX_YEAR})  # fmt: skip
        sequence = row.sequence
        if sequence is None and register:
            leading = _LEADING_NUMBER.match(number_key(register))
            sequence = int(leading[1]) if leading else None
            if sequence is None:
                self.fail(REGISTER, row, "sequence", _("Give the number in the register year: the register number "
                                                       "does not start with one."))  # fmt: skip
        if sequence is not None and not 1 <= sequence <= MAX_SEQUENCE:
            self.fail(REGISTER, row, "sequence", _("The number in the register year must be from 1 to %(max)s.")
                      % {"max": format_int(MAX_SEQUENCE)})  # fmt: skip
        enrollment = self._enrollment(REGISTER, row, code, national_id)
        if enrollment is None or self.problems.total > found:
            return
        self._check_own_forms(row, register, serial, year, sequence)
        self._check_in_file(row, number, register, serial, (row.kind, year, sequence))
        on_record = self.by_register.get(number_key(register))
        if on_record is not None:
            self._match(row, on_record, enrollment, serial, year, sequence)
            return
        self._check_on_record(row, serial, year, sequence)
        graduate = self._check_holder(row, number, enrollment)
        if graduate is None or self.problems.total > found:  # None: its result row is refused
            return
        credential = Credential(
            kind=row.kind,
            enrollment=enrollment,
            graduation=graduate.entry,
            year=year,
            sequence=sequence,
            register_number=register,
            serial_number=serial,
            issued_on=row.issued_on,
        )
        self.issued[enrollment.pk, row.kind] = Issued(row, number, credential)
        self.result.credentials.created += 1
        self._count(row.kind, year, sequence)

    def _check_own_forms(self, row: CredentialRow, register: str, serial: str, year: int, sequence: int) -> None:
        """A number written in DaoTao's own form ("0012/2019/BTC", "TC 000123") belongs to the
        register or series of its kind and says its number; the serial number moves that
        series' counter on."""
        own = _OWN_REGISTER.match(number_key(register))
        if own and _SUFFIX_KIND[own[3]] != row.kind:
            self.fail(REGISTER, row, "register_number", _("“%(value)s” is written as a number of the register of "
                                                          "the kind “%(kind)s”: check the kind.") % {
                "value": register, "kind": CredentialKind(_SUFFIX_KIND[own[3]]).label
            })  # fmt: skip
        elif own and (int(own[1]), int(own[2])) != (sequence, year):
            self.fail(REGISTER, row, "register_number", _("“%(value)s” reads as number %(written)s of %(written_year)s,"
                                                          " but the row gives number %(sequence)s of %(year)s: fill in "
                                                          "%(columns)s.") % {
                "value": register, "written": int(own[1]), "written_year": own[2], "sequence": sequence,
                "year": year, "columns": f"{REGISTER.column('year').header}, {REGISTER.column('sequence').header}",
            })  # fmt: skip
        own = _OWN_SERIAL.match(number_key(serial))
        if own and _PREFIX_KIND[own[1]] != row.kind:
            self.fail(REGISTER, row, "serial_number", _("“%(value)s” is in the series of the kind “%(kind)s” "
                                                        "(%(prefix)s): check the kind.") % {
                "value": serial, "kind": CredentialKind(_PREFIX_KIND[own[1]]).label, "prefix": own[1]
            })  # fmt: skip
        elif own and int(own[2]) <= MAX_SERIAL:
            self._count(row.kind, SERIAL_YEAR, int(own[2]))

    def _check_in_file(self, row: CredentialRow, number: int, register: str, serial: str, slot: tuple) -> None:
        for key, text in (("register_number", register), ("serial_number", serial)):
            first = self.first_numbers.setdefault((key, number_key(text)), number)
            if first != number:
                self.fail(REGISTER, row, key, _("“%(value)s” is already on row %(row)s.")
                          % {"value": text, "row": first})  # fmt: skip
        first = self.first_slots.setdefault(slot, number)
        if first != number:
            self.fail(REGISTER, row, "sequence", _("Number %(sequence)s of the %(year)s register of the kind "
                                                   "“%(kind)s” is already on row %(row)s.") % {
                "sequence": slot[2], "year": slot[1], "kind": CredentialKind(slot[0]).label, "row": first
            })  # fmt: skip

    def _match(self, row: CredentialRow, credential: Credential, enrollment, serial: str, year, sequence) -> None:
        """A register number on record: the same credential (unchanged), or refused."""
        if credential.enrollment_id != enrollment.pk:
            self.fail(REGISTER, row, "register_number", _("“%(value)s” is on record for another student: %(name)s, "
                                                          "class %(code)s.") % {
                "value": credential.register_number, "name": credential.enrollment.student.full_name,
                "code": credential.enrollment.cohort.code,
            })  # fmt: skip
            return
        differences = []
        if credential.kind != row.kind:
            differences.append(credential.get_kind_display())
        if number_key(credential.serial_number) != number_key(serial):
            differences.append(_("serial number “%(number)s”") % {"number": credential.serial_number})
        if credential.issued_on != row.issued_on:
            differences.append(_("issued on %(date)s") % {"date": format_date(credential.issued_on)})
        if (credential.year, credential.sequence) != (year, sequence):
            differences.append(_("number %(sequence)s of %(year)s") % {
                "sequence": credential.sequence, "year": credential.year
            })  # fmt: skip
        if differences:
            self.fail(REGISTER, row, "register_number", _("“%(value)s” is on record as %(details)s: an import never "
                                                          "changes the register; correct it on the credential's page.")
                      % {"value": credential.register_number, "details": ", ".join(differences)})  # fmt: skip
            return
        self.result.credentials.unchanged += 1
        self._count(row.kind, year, sequence)

    def _check_on_record(self, row: CredentialRow, serial: str, year: int, sequence: int) -> None:
        taken = self.by_serial.get(number_key(serial))
        if taken is not None:
            self.fail(REGISTER, row, "serial_number", _("“%(value)s” is on record already, on the %(kind)s "
                                                        "%(number)s of %(name)s.") % {
                "value": taken.serial_number, "kind": taken.get_kind_display().lower(),
                "number": taken.register_number, "name": taken.enrollment.student.full_name,
            })  # fmt: skip
        holder = self.sequences.get((row.kind, year, sequence))
        if holder is not None:
            self.fail(REGISTER, row, "sequence", _("Number %(sequence)s of the %(year)s register of the kind "
                                                   "“%(kind)s” is on record already (%(number)s).") % {
                "sequence": sequence, "year": year, "kind": CredentialKind(row.kind).label, "number": holder
            })  # fmt: skip

    def _check_holder(self, row: CredentialRow, number: int, enrollment) -> Graduate | None:
        """The kind fits the program, the holder graduated before the date of issue, and
        holds no other of the kind: a certificate is issued once ever, a diploma and a
        confirmation once while valid (``grading.register``)."""
        kind, name = row.kind, enrollment.student.full_name
        if kind == CredentialKind.CONFIRMATION and kind_for(enrollment) != CredentialKind.CERTIFICATE:
            self.fail(REGISTER, row, "kind", _("A confirmation of completion replaces a lost certificate only."))
        elif kind != CredentialKind.CONFIRMATION and kind != kind_for(enrollment):
            self.fail(REGISTER, row, "kind", _("A training program gives a diploma, a fostering course a certificate."))
        graduate = self.graduates.get(enrollment.pk)
        if graduate is None and (enrollment.cohort.code.upper(), enrollment.student.national_id) not in self.unread:
            self.fail(REGISTER, row, "national_id", _("%(name)s is not a graduate of the class %(code)s: give the "
                                                      "result in the sheet %(sheet)s.") % {
                "name": name, "code": enrollment.cohort.code, "sheet": RESULTS.name
            })  # fmt: skip
        elif graduate is not None and row.issued_on < graduate.decided_on:
            self.fail(REGISTER, row, "issued_on", _("Issued before the graduation decision (%(date)s).")
                      % {"date": format_date(graduate.decided_on)})  # fmt: skip
        params = {"name": name, "kind": CredentialKind(kind).label.lower()}
        earlier = self.issued.get((enrollment.pk, kind))
        held = [
            c for c in self.held[enrollment.pk]
            if c.kind == kind and (kind == CredentialKind.CERTIFICATE or c.status == CredentialStatus.VALID)
        ]  # fmt: skip
        if earlier is not None:
            self.fail(REGISTER, row, "kind", _("%(name)s already has a %(kind)s on row %(row)s: it is issued once.")
                      % {**params, "row": earlier.number})  # fmt: skip
        elif held:
            self.fail(REGISTER, row, "kind", _("%(name)s already has a %(kind)s on record (%(number)s): it is issued "
                                               "once.") % {**params, "number": held[0].register_number})  # fmt: skip
        return graduate

    def _link_confirmations(self) -> None:
        """A confirmation replaces its holder's certificate (of the file, or valid on record),
        which is marked replaced, as ``register.confirmation_issue`` does."""
        for (enrollment_id, kind), issued in self.issued.items():
            if kind != CredentialKind.CONFIRMATION:
                continue
            new = self.issued.get((enrollment_id, CredentialKind.CERTIFICATE))
            certificate = new.credential if new else next(
                (c for c in self.held[enrollment_id]
                 if c.kind == CredentialKind.CERTIFICATE and c.status == CredentialStatus.VALID), None,
            )  # fmt: skip
            if certificate is None:
                continue
            confirmation = issued.credential
            if confirmation.issued_on < certificate.issued_on:
                self.fail(REGISTER, issued.row, "issued_on", _("The new one cannot be dated before the one it replaces "
                                                               "(%(date)s).") % {
                    "date": format_date(certificate.issued_on)
                })  # fmt: skip
                continue
            confirmation.replaces = certificate
            reason = _("Replaced by the confirmation of completion %(number)s.") % {
                "number": confirmation.register_number
            }  # fmt: skip
            if certificate.pk is None:
                certificate.status, certificate.reason = CredentialStatus.REPLACED, reason
            else:
                certificate.before = snapshot(certificate, CREDENTIAL_FIELDS)
                certificate.status, certificate.reason = CredentialStatus.REPLACED, reason
                self.replaced.append(certificate)

    def _count(self, kind: str, year: int, number: int) -> None:
        self.counters[kind, year] = max(self.counters.get((kind, year), 0), number)
