"""The training office's blank forms (phôi): the stock per kind and program with the
reconciliation against the register (page and .xlsx), the batches received with the form to
record one, the form to mark a blank spoiled or voided, and a credential reprinted on a new
form after a misprint. Only the office opens them; the rules are ``blank_forms``."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from daotao.accounts.access import office_required
from daotao.grading import blank_forms
from daotao.grading.models import (
    BLANK_FORM_MAX_NUMBER,
    BlankForm,
    BlankFormBatch,
    BlankFormState,
    Credential,
    CredentialKind,
)
from daotao.lib import xlsx
from daotao.lib.vietnamese import format_date
from daotao.programs.models import Program
from daotao.web.files import xlsx_response
from daotao.web.forms import VietnameseDateField, add_service_errors

RECENT = 50  # forms spoiled or voided listed on the marking page


class BatchForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=CredentialKind.choices)
    program = forms.ModelChoiceField(
        label=gettext_lazy("Program"),
        queryset=Program.objects.order_by("code"),
        required=False,
        empty_label=gettext_lazy("Any program of the kind"),
    )
    prefix = forms.CharField(
        label=gettext_lazy("Series"),
        max_length=8,
        help_text=gettext_lazy("As printed before the number, e.g. TC for diplomas, BD for certificates."),
    )
    first_number = forms.IntegerField(label=gettext_lazy("First number"), min_value=1, max_value=BLANK_FORM_MAX_NUMBER)
    last_number = forms.IntegerField(label=gettext_lazy("Last number"), min_value=1, max_value=BLANK_FORM_MAX_NUMBER)
    received_on = VietnameseDateField(label=gettext_lazy("Received on"))
    reference = forms.CharField(label=gettext_lazy("Delivery note"), max_length=128, required=False)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=255, required=False)


class DiscardForm(forms.Form):
    serial = forms.CharField(
        label=gettext_lazy("Serial number"), max_length=32, help_text=gettext_lazy("As printed, e.g. TC 000123.")
    )
    state = forms.ChoiceField(
        label=gettext_lazy("What happened"),
        choices=[
            (BlankFormState.SPOILED, BlankFormState.SPOILED.label),
            (BlankFormState.VOIDED, BlankFormState.VOIDED.label),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=255)


class ReprintForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("What went wrong in printing"), max_length=255)


@require_safe
@office_required
def stock(request):
    """The stock of the school's own blank forms per kind and program, and whether they match
    its register; it says which merged schools' registers it leaves out."""
    context = {
        "counted": blank_forms.counted_note(blank_forms.other_registers()),
        "lines": blank_forms.stock(),
        "mismatches": blank_forms.reconcile(),
        "since": [(CredentialKind(kind).label, day) for kind, day in blank_forms.tracked_since().items()],
    }
    return render(request, "grading/blank_forms.html", context)


@require_safe
@office_required
def stock_xlsx(request):
    counted = blank_forms.counted_note(blank_forms.other_registers())
    return xlsx_response(stock_workbook(blank_forms.stock(), counted), "ton-phoi.xlsx")


def stock_workbook(lines, counted: str = "") -> bytes:
    """The stock as on its page: one row per kind and program, the counts as numbers; below
    them, what is counted (``blank_forms.counted_note``)."""
    title = _("Blank forms in stock on %(date)s") % {"date": format_date(timezone.localdate())}
    book = xlsx.Book(title=title)
    sheet = book.sheet("TonPhoi")
    sheet.append([title], xlsx.Style(bold=True, size=13))
    headings = [_("Kind"), _("Program"), _("Received"), _("Used"), _("Spoiled"), _("Voided"), _("Left")]
    sheet.append(headings, xlsx.HEADER)
    count = xlsx.Style(number_format=xlsx.INTEGER)
    for line in lines:
        if line.total:
            program = _("Total")
        else:
            program = line.program.name if line.program else _("Any program of the kind")
        figures = [line.received, line.used, line.spoiled, line.voided, line.left]
        style = xlsx.BOLD if line.total else None
        sheet.append([line.kind_label, program, *(xlsx.Cell(n, count) for n in figures)], style)
    if counted:
        sheet.append([counted])
    sheet.freeze("A3")
    sheet.print_titles("2:2")
    sheet.widths((26, 50, 12, 12, 12, 12, 12))
    sheet.page_setup(landscape=True, a4_fit_width=True)
    return book.to_bytes()


@office_required
def batches(request):
    """The batches received, with what is left of each, and the form to record one."""
    today = timezone.localdate()
    form = BatchForm(request.POST or None, initial={"kind": CredentialKind.DIPLOMA, "received_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            batch = blank_forms.batch_receive(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Batch %(batch)s recorded.") % {"batch": batch})
            return redirect("grading:blank_form_batches")
    kinds = list(CredentialKind.values)
    received = sorted(
        BlankFormBatch.objects.select_related("program", "received_by").annotate(taken=Count("forms")),
        key=lambda batch: (kinds.index(batch.kind), batch.prefix, batch.first_number),
    )
    for batch in received:
        batch.left = batch.size - batch.taken
    context = {"form": form, "batches": received}
    return render(request, "grading/blank_forms_batches.html", context)


@office_required
def mark(request):
    """Mark a blank spoiled (misprinted, a test print) or voided (lost, damaged); the latest
    forms so marked."""
    form = DiscardForm(request.POST or None, initial={"state": BlankFormState.SPOILED})
    if request.method == "POST" and form.is_valid():
        try:
            marked = blank_forms.form_discard(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The form %(serial)s is recorded as %(state)s.")
                % {"serial": marked.serial, "state": marked.get_state_display().lower()},
            )
            return redirect("grading:blank_form_mark")
    recent = (
        BlankForm.objects.exclude(state=BlankFormState.USED)
        .select_related("credential", "by")
        .order_by("-at", "-pk")[:RECENT]
    )
    return render(request, "grading/blank_forms_mark.html", {"form": form, "recent": recent})


@office_required
def reprint(request, credential_id):
    """A misprinted credential: its form is marked spoiled and it is printed on the next one,
    whose serial it takes."""
    credential = get_object_or_404(
        Credential.objects.visible_to(request.user).select_related(
            "enrollment__student", "enrollment__cohort__program"
        ),
        pk=credential_id,
    )
    form = ReprintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        before = credential.serial_number
        try:
            blank_forms.credential_reprint(user=request.user, credential=credential, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The form %(old)s is marked spoiled; print the credential again on the form %(new)s.")
                % {"old": before, "new": credential.serial_number},
            )
            return redirect("grading:credential", credential_id=credential.pk)
    context = {
        "credential": credential,
        "printed_on": blank_forms.form_of(credential),
        "form": form,
        "refused": "" if credential.is_own_register else blank_forms.other_register_refusal(credential),
    }
    return render(request, "grading/blank_forms_reprint.html", context)
