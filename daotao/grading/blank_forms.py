"""Blank diploma and certificate forms (phôi bằng, phôi chứng chỉ): the batches received, the
stock, the forms used, spoiled or voided, and the reconciliation with the register.

Each form carries its own pre-printed serial. A batch is one row with its range
(``BlankFormBatch``); a form gets a row (``BlankForm``) only when it leaves the stock, so a
batch of 10.000 forms costs one row, and the stock is counted from the rows taken out.

The register (``register.py``) asks ``next_form`` for the serial of each credential it
issues: the lowest form not taken yet of the batches of its kind, a batch of the student's
program before one for any program. The kind's batches stay locked until the transaction
ends, so two clerks issuing at once never take the same form. A kind with no batch at all
keeps the register's counter serials (a school that does not track its forms); a kind with
batches but no form left is refused ("hết phôi").

Batches received, forms spoiled or voided and every change of a credential's serial are
audited; the serial a credential is issued with is in its own audit entry (``register``).

All of it works on the school's own register (``OWN_REGISTER``): a batch received is always
the school's own, forms are taken, spoiled and voided only from its own batches, and the stock
and the reconciliation count its own forms and credentials. A school merged into this one
keeps its batches, forms and credentials in its own register (``register``), their serials as
printed: they may repeat the school's own, and nothing here gives or takes one of them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Exists, F, Min, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from daotao.accounts.access import is_training_office
from daotao.audit.models import record, snapshot
from daotao.grading.models import (
    BLANK_FORM_MAX_NUMBER,
    OWN_REGISTER,
    SERIAL_PREFIX,
    BlankForm,
    BlankFormBatch,
    BlankFormState,
    Credential,
    CredentialKind,
    CredentialStatus,
    format_serial,
    new_verification_code,
)
from daotao.lib.vietnamese import format_date, format_int, text_sort_key
from daotao.programs.models import ProgramKind

# A series is capital letters ("TC"); a serial typed in is a series and a number, with or
# without a space or dash between them ("TC 000123", "tc000123", "TC-123").
SERIES = re.compile(r"[A-Z]{1,8}")
SERIAL_TYPED = re.compile(r"([A-Z]{1,8})[\s.\-]*(\d{1,7})")
# The programs whose graduates get each kind (a confirmation replaces a lost certificate).
PROGRAM_KIND = {
    CredentialKind.DIPLOMA: ProgramKind.TRAINING,
    CredentialKind.CERTIFICATE: ProgramKind.FOSTERING,
    CredentialKind.CONFIRMATION: ProgramKind.FOSTERING,
}
BATCH_FIELDS = ["kind", "program", "prefix", "first_number", "last_number", "received_on", "reference"]
FORM_FIELDS = ["serial", "state", "credential", "reason"]
# What a reprint on a new form changes on the credential (audited).
REPRINT_FIELDS = ["serial_number", "verification_code"]
REASON_MAX = BlankForm._meta.get_field("reason").max_length


def _office(user) -> None:
    if not is_training_office(user):
        raise PermissionDenied(_("Only the training office keeps the blank forms."))


def _user_or_none(user):
    return user if getattr(user, "pk", None) else None


def _reason(reason) -> str:
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("Keep the reason under %(count)s characters.") % {"count": REASON_MAX}})
    return reason


def parse_serial(text: str) -> tuple[str, int]:
    """``"TC 000123"``, ``"tc000123"`` or ``"TC-123"`` -> ``("TC", 123)``; ValueError if it is
    not a series followed by a number."""
    match = SERIAL_TYPED.fullmatch(str(text or "").strip().upper())
    if match is None:
        raise ValueError(text)
    return match.group(1), int(match.group(2))


# --- batches ---------------------------------------------------------------------------------


def batch_receive(
    *, user, kind, program, prefix, first_number, last_number, received_on, reference="", note=""
) -> BlankFormBatch:
    """Record a batch of blank forms received into the school's own register: ``kind``, for
    ``program`` (None: any program of the kind), the serials ``prefix`` ``first_number`` to
    ``last_number``. A series belongs to one kind; its ranges never overlap, and no form of
    the range may be in the register already (a merged school's register does not count: its
    serials are its own)."""
    _office(user)
    prefix = str(prefix or "").strip().upper()
    errors = {}
    if kind not in CredentialKind.values:
        errors["kind"] = _("Choose the kind of the forms.")
    elif program is not None and program.kind != PROGRAM_KIND[kind]:
        errors["program"] = _("%(program)s gives no %(kind)s.") % {
            "program": program.name, "kind": CredentialKind(kind).label.lower()
        }  # fmt: skip
    if not SERIES.fullmatch(prefix):
        errors["prefix"] = _("Write the series in capital letters only, as printed before the number (e.g. TC).")
    for field, number in (("first_number", first_number), ("last_number", last_number)):
        if not isinstance(number, int) or not 1 <= number <= BLANK_FORM_MAX_NUMBER:
            errors[field] = _("Enter a number from 1 to %(max)s.") % {"max": format_int(BLANK_FORM_MAX_NUMBER)}
    if "first_number" not in errors and "last_number" not in errors and last_number < first_number:
        errors["last_number"] = _("The last number cannot be below the first.")
    if not isinstance(received_on, dt.date):
        errors["received_on"] = _("Enter the date the forms were received.")
    elif received_on > timezone.localdate():
        errors["received_on"] = _("Forms cannot be received in the future.")
    if errors:
        raise ValidationError(errors)
    batch = BlankFormBatch(
        kind=kind,
        program=program,
        prefix=prefix,
        first_number=first_number,
        last_number=last_number,
        received_on=received_on,
        reference=str(reference or "").strip(),
        note=str(note or "").strip(),
        received_by=_user_or_none(user),
        register=OWN_REGISTER,
    )
    batch.full_clean()
    with transaction.atomic():
        # Receipts one after the other, the first of a series too (it has no row to lock yet).
        _lock_receipts()
        own = BlankFormBatch.objects.select_for_update().filter(register=OWN_REGISTER, prefix=prefix)
        series = list(own.order_by("first_number"))
        _check_series(batch, series)
        batch.save()
        record(user, batch, "blank_form_batch_received", {}, snapshot(batch, BATCH_FIELDS), note=batch.note)
    return batch


def _lock_receipts() -> None:
    """Hold the receipt of batches for the caller's transaction, so that two receipts (a form
    sent twice) never both find no batch of a new series and both save it: on PostgreSQL the
    table is locked against other writers (readers and the register's ``next_form`` go on);
    SQLite's IMMEDIATE transactions already run writers one after the other."""
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(BlankFormBatch._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")


def _check_series(batch: BlankFormBatch, series: list[BlankFormBatch]) -> None:
    """The new batch's series is its kind's own (not another kind's batches', nor the series
    the register numbers another kind's untracked credentials in), its range overlaps no
    batch of the series and none of its serials is in the register already."""
    in_register = Credential.objects.filter(register=OWN_REGISTER, serial_number__startswith=f"{batch.prefix} ")
    counter_series = any(kind != batch.kind and prefix == batch.prefix for kind, prefix in SERIAL_PREFIX.items())
    if (
        counter_series
        or any(other.kind != batch.kind for other in series)
        or in_register.exclude(kind=batch.kind).exists()
    ):
        raise ValidationError({"prefix": _("The series %(prefix)s is another kind's, not the %(kind)s forms'.") % {
            "prefix": batch.prefix, "kind": CredentialKind(batch.kind).label.lower()
        }})  # fmt: skip
    for clash in series:
        if clash.first_number <= batch.last_number and batch.first_number <= clash.last_number:
            raise ValidationError(
                _("These forms overlap the batch %(batch)s received on %(date)s (delivery note: %(reference)s): "
                  "a serial is printed on one form only.") % {
                    "batch": clash, "date": format_date(clash.received_on), "reference": clash.reference or "–"
                }
            )  # fmt: skip
    for serial, register_number in in_register.values_list("serial_number", "register_number"):
        try:
            prefix, number = parse_serial(serial)
        except ValueError:
            continue
        if prefix == batch.prefix and batch.first_number <= number <= batch.last_number:
            raise ValidationError(
                _("The register already holds the serial %(serial)s (register number %(number)s): these forms "
                  "cannot be new ones.") % {"serial": serial, "number": register_number}
            )  # fmt: skip


# --- taking a form ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FreeForm:
    """The next form of a batch, still in stock (its row is added by ``form_use``)."""

    batch: BlankFormBatch
    number: int

    @property
    def serial(self) -> str:
        return self.batch.serial(self.number)


def next_form(kind: str, program) -> FreeForm | None:
    """The form the next credential of ``kind`` for a student of ``program`` is printed on,
    inside the caller's transaction: the kind's batches stay locked until it ends. None when
    the kind has no batch at all (its forms are not tracked: the register's counter gives the
    serial); a ``ValidationError`` when none is left for the program. Only the school's own
    batches give forms."""
    own = BlankFormBatch.objects.select_for_update().filter(register=OWN_REGISTER, kind=kind)
    batches = list(own.order_by("prefix", "first_number"))
    if not batches:
        return None
    # The program's own batches first, then those for any program; lowest serials first.
    matching = [b for b in batches if b.program_id == program.pk] + [b for b in batches if b.program_id is None]
    taken = dict(
        BlankForm.objects.filter(batch__in=matching)
        .values("batch")
        .annotate(count=Count("pk"))
        .values_list("batch", "count")
    )
    batch = next((b for b in matching if taken.get(b.pk, 0) < b.size), None)
    if batch is None:
        raise ValidationError(
            _("Out of blank forms: no %(kind)s form is left for %(program)s. Record the next batch received "
              "first.") % {"kind": CredentialKind(kind).label.lower(), "program": program.name}
        )  # fmt: skip
    form = FreeForm(batch, _lowest_free(batch))
    holder = Credential.objects.filter(register=OWN_REGISTER, serial_number=form.serial).first()
    if holder is not None:  # e.g. a past credential imported with a serial of this range
        raise ValidationError(
            _("The next blank form, %(serial)s, is already in the register (%(credential)s): mark the form voided "
              "first.") % {"serial": form.serial, "credential": holder}
        )  # fmt: skip
    return form


def _lowest_free(batch: BlankFormBatch) -> int:
    """The lowest number of ``batch`` without a row (the batch is not full): its first, or
    the one after the lowest row whose next number has none."""
    rows = BlankForm.objects.filter(batch=batch)
    if not rows.filter(number=batch.first_number).exists():
        return batch.first_number
    followed = BlankForm.objects.filter(batch=batch, number=OuterRef("number") + 1)
    before_gap = (
        rows.filter(number__lt=batch.last_number)
        .filter(~Exists(followed))
        .order_by("number")
        .values_list("number", flat=True)
        .first()
    )
    return before_gap + 1


def form_use(form: FreeForm, *, credential: Credential, user) -> BlankForm:
    """Mark the form ``next_form`` gave as used by ``credential``, in the same transaction."""
    return BlankForm.objects.create(
        batch=form.batch,
        number=form.number,
        serial=form.serial,
        register=form.batch.register,
        state=BlankFormState.USED,
        credential=credential,
        by=_user_or_none(user),
    )


def form_discard(*, user, serial, state, reason) -> BlankForm:
    """Take a form of the school's own stock out unused: ``spoiled`` (misprinted, a test
    print) or ``voided`` (lost or damaged), with the reason. A form already printed with a
    credential is reprinted from the credential's page (``credential_reprint``); a form of a
    merged school's register is refused."""
    _office(user)
    if state not in (BlankFormState.SPOILED, BlankFormState.VOIDED):
        raise ValidationError({"state": _("Choose spoiled or voided.")})
    reason = _reason(reason)
    try:
        prefix, number = parse_serial(serial)
    except ValueError:
        raise ValidationError({"serial": _("Write the serial as printed on the form, e.g. TC 000123.")}) from None
    typed = format_serial(prefix, number)
    with transaction.atomic():
        holding = BlankFormBatch.objects.filter(prefix=prefix, first_number__lte=number, last_number__gte=number)
        batch = holding.select_for_update().filter(register=OWN_REGISTER).first()
        if batch is None:
            other = holding.exclude(register=OWN_REGISTER).order_by("register").first()
            if other is not None:
                message = _(
                    "The form %(serial)s is of a batch in the register of %(register)s, a school merged into this "
                    "one: only this school's own forms are taken out of stock here."
                )
                raise ValidationError({"serial": message % {"serial": typed, "register": other.register}})
            raise ValidationError({"serial": _("No batch received holds the form %(serial)s.") % {"serial": typed}})
        taken = BlankForm.objects.filter(batch=batch, number=number).select_related("credential").first()
        if taken is not None and taken.state == BlankFormState.USED:
            message = _("The form %(serial)s carries %(credential)s: reprint it from the credential's page.")
            raise ValidationError({"serial": message % {"serial": typed, "credential": taken.credential}})
        if taken is not None:
            message = _("The form %(serial)s is already recorded as %(state)s.")
            raise ValidationError({"serial": message % {"serial": typed, "state": taken.get_state_display().lower()}})
        form = BlankForm(
            batch=batch,
            number=number,
            serial=typed,
            register=batch.register,
            state=state,
            reason=reason,
            by=_user_or_none(user),
        )
        form.full_clean()
        form.save()
        record(user, form, "blank_form_" + state, {}, snapshot(form, FORM_FIELDS), note=reason)
    return form


def credential_reprint(*, user, credential: Credential, reason) -> Credential:
    """A misprinted credential: the form it was printed on is marked spoiled and it is
    printed again on the next form; its serial number becomes the new form's, audited. Its
    register number does not change. Refused for a credential of a merged school's register:
    its serial stays as that school printed it."""
    _office(user)
    reason = _reason(reason)
    with transaction.atomic():
        locked = Credential.objects.select_for_update().get(pk=credential.pk)
        if not locked.is_own_register:
            raise ValidationError(other_register_refusal(locked))
        if locked.status != CredentialStatus.VALID:
            raise ValidationError(_("This credential is no longer valid."))
        used = BlankForm.objects.filter(credential=locked, state=BlankFormState.USED)
        printed_on = used.select_for_update(of=("self",)).first()
        if printed_on is None:
            raise ValidationError(
                _("This credential was not printed on a blank form the school tracks: there is no form to mark "
                  "spoiled.")
            )  # fmt: skip
        before = snapshot(printed_on, FORM_FIELDS)
        printed_on.state, printed_on.reason = BlankFormState.SPOILED, reason
        printed_on.at, printed_on.by = timezone.now(), _user_or_none(user)
        printed_on.save(update_fields=["state", "reason", "at", "by"])
        record(user, printed_on, "blank_form_spoiled", before, snapshot(printed_on, FORM_FIELDS), note=reason)
        form = next_form(locked.kind, credential.enrollment.cohort.program)
        if form is None:  # not reached: the spoiled form's batch is of the kind
            raise ValidationError(_("There is no batch of these forms."))
        # The spoiled sheet carries the old code in its QR code: a new one, so that the sheet
        # no longer verifies (it answers as an unknown code).
        before = snapshot(locked, REPRINT_FIELDS)
        locked.serial_number = form.serial
        locked.verification_code = new_verification_code()
        try:
            with transaction.atomic():
                locked.save(update_fields=REPRINT_FIELDS)
        except IntegrityError as error:
            raise ValidationError(
                _("The serial %(serial)s is in the register already.") % {"serial": form.serial}
            ) from error
        form_use(form, credential=locked, user=user)
        record(user, locked, "credential_reprinted", before, snapshot(locked, REPRINT_FIELDS), note=reason)
    credential.serial_number = locked.serial_number
    credential.verification_code = locked.verification_code
    return credential


def other_register_refusal(credential: Credential) -> str:
    """Why a credential of a merged school's register is not reprinted (``credential_reprint``)."""
    return _(
        "%(credential)s is in the register of %(register)s, a school merged into this one: its numbers stay as "
        "they were printed, and it is not reprinted on a form of this school's stock."
    ) % {"credential": credential, "register": credential.register}


def form_of(credential: Credential) -> BlankForm | None:
    """The form ``credential`` is printed on (None where its forms are not tracked)."""
    return BlankForm.objects.filter(credential=credential, state=BlankFormState.USED).first()


# --- the stock and the reconciliation ------------------------------------------------------


@dataclass
class StockLine:
    """The forms of one kind for one program (``program`` None: for any program), or the
    total of the kind (``total``)."""

    kind: str
    program: object = None
    total: bool = False
    received: int = 0
    used: int = 0
    spoiled: int = 0
    voided: int = 0

    @property
    def left(self) -> int:
        return self.received - self.used - self.spoiled - self.voided

    @property
    def kind_label(self) -> str:
        return CredentialKind(self.kind).label


def stock() -> list[StockLine]:
    """The stock of the school's own forms per kind and program, each kind's lines (its
    programs by code, then any program) followed by the kind's total where it has several;
    two queries."""
    lines: dict[tuple[str, int | None], StockLine] = {}
    batches = {}
    for batch in BlankFormBatch.objects.filter(register=OWN_REGISTER).select_related("program"):
        batches[batch.pk] = batch
        line = lines.setdefault((batch.kind, batch.program_id), StockLine(batch.kind, batch.program))
        line.received += batch.size
    counts = (
        BlankForm.objects.filter(batch__register=OWN_REGISTER)
        .values("batch", "state")
        .annotate(count=Count("pk"))
        .values_list("batch", "state", "count")
    )
    for batch_id, state, count in counts:
        batch = batches[batch_id]
        line = lines[(batch.kind, batch.program_id)]
        setattr(line, state, getattr(line, state) + count)
    kinds = list(CredentialKind.values)
    ordered = sorted(
        lines.values(),
        key=lambda line: (kinds.index(line.kind), line.program is None, line.program.code if line.program else ""),
    )
    result = []
    for index, line in enumerate(ordered):
        result.append(line)
        last_of_kind = index + 1 == len(ordered) or ordered[index + 1].kind != line.kind
        of_kind = [each for each in ordered if each.kind == line.kind]
        if last_of_kind and len(of_kind) > 1:
            total = StockLine(line.kind, total=True)
            for each in of_kind:
                for field in ("received", "used", "spoiled", "voided"):
                    setattr(total, field, getattr(total, field) + getattr(each, field))
            result.append(total)
    return result


@dataclass(frozen=True)
class Mismatch:
    serial: str
    problem: str
    credential: Credential | None = None


def tracked_since() -> dict[str, dt.date]:
    """For each kind with batches of the school's own (in the kinds' order), the day its
    first batch was received: from then on, each of its credentials is printed on a tracked
    form."""
    own = BlankFormBatch.objects.filter(register=OWN_REGISTER)
    starts = dict(own.values("kind").annotate(start=Min("received_on")).values_list("kind", "start"))
    return {kind: starts[kind] for kind in CredentialKind.values if kind in starts}


def reconcile() -> list[Mismatch]:
    """What does not match between the school's own forms and its own register: a used form
    whose credential has another serial, kind or register, and a credential issued since its
    kind's forms are tracked (``tracked_since``) with no used form of its serial. Empty: they
    match. A merged school's forms and credentials are left out (``other_registers``). Three
    queries."""
    mismatches = []
    wrong = (
        BlankForm.objects.filter(batch__register=OWN_REGISTER, state=BlankFormState.USED)
        .filter(
            ~Q(credential__serial_number=F("serial"))
            | ~Q(credential__kind=F("batch__kind"))
            | ~Q(credential__register=F("batch__register"))
        )
        .select_related("credential", "batch")
        .order_by("serial")
    )
    for form in wrong:
        credential = form.credential
        if credential.register != form.batch.register:
            problem = _("The form is marked used by %(credential)s, of the register of %(register)s.") % {
                "credential": credential, "register": credential.register
            }  # fmt: skip
        elif credential.serial_number != form.serial:
            problem = _("The form is marked used by %(credential)s, whose serial number is %(serial)s.") % {
                "credential": credential, "serial": credential.serial_number
            }  # fmt: skip
        else:
            problem = _("A %(form_kind)s form, used by %(credential)s.") % {
                "form_kind": CredentialKind(form.batch.kind).label.lower(), "credential": credential
            }  # fmt: skip
        mismatches.append(Mismatch(form.serial, problem, credential))
    since = tracked_since()
    if since:
        issued = Q()
        for kind, start in since.items():
            issued |= Q(kind=kind, issued_on__gte=start)
        printed = BlankForm.objects.filter(
            state=BlankFormState.USED, credential=OuterRef("pk"), serial=OuterRef("serial_number")
        )
        own = Credential.objects.filter(register=OWN_REGISTER)
        for credential in own.filter(issued).filter(~Exists(printed)).order_by("serial_number"):
            problem = _("%(credential)s, issued on %(date)s, is on no form marked used with its serial.") % {
                "credential": credential, "date": format_date(credential.issued_on)
            }  # fmt: skip
            mismatches.append(Mismatch(credential.serial_number, problem, credential))
    return mismatches


def other_registers() -> list[str]:
    """The registers of schools merged into this one that hold blank forms or credentials,
    in Vietnamese order: what the stock and the reconciliation leave out. One query."""
    batches = BlankFormBatch.objects.exclude(register=OWN_REGISTER).order_by().values_list("register", flat=True)
    credentials = Credential.objects.exclude(register=OWN_REGISTER).order_by().values_list("register", flat=True)
    return sorted(set(batches.union(credentials)), key=text_sort_key)


def counted_note(others: list[str]) -> str:
    """What the stock and the reconciliation count, said on their page, workbook and
    command: the school's own register, and which registers (``other_registers``) they
    leave out."""
    if not others:
        return _("Only this school's own blank forms and register are counted.")
    return _(
        "Only this school's own blank forms and register are counted; the forms and credentials in the registers "
        "of %(registers)s, schools merged into this one, are left out."
    ) % {"registers": "; ".join(others)}
