"""Graduation pages: a class's report (page, xlsx, PDF), the decision (preview, then
record), the decisions of a class with the issuing of their credentials, one graduate with
the correction of their classification, the register of diplomas and certificates, one
credential with its history, reissue, void and confirmation, and its print (HTML and PDF).

Who sees what: the training office everything and changes it; the board reads everything;
locality coordinators and sending agencies read their own students' records; a student
reads their own credentials; lecturers have no graduation pages."""

from __future__ import annotations

from collections import defaultdict

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daotao.accounts.access import (
    any_of,
    check_post,
    is_staff,
    is_student,
    is_training_office,
    office_required,
    require,
    staff_required,
)
from daotao.audit.models import AuditEntry, history
from daotao.cohorts.access import cohort_for_user, cohorts_seen_whole
from daotao.grading import cohort_report, documents, graduation, register, verification
from daotao.grading.models import (
    Credential,
    CredentialKind,
    CredentialStatus,
    GraduationDecision,
    GraduationEntry,
)
from daotao.grading.rules import band_labels, classification_name, rules_for
from daotao.lib.dates import parse_year
from daotao.lib.pdf import html_to_pdf
from daotao.lib.vietnamese import SEARCH_MAX_LENGTH, format_long_date, search_words
from daotao.people.search import NAME_BREAKS, folded_words_q
from daotao.programs.models import ProgramKind
from daotao.school import identity
from daotao.web.files import xlsx_response
from daotao.web.forms import VietnameseDateField, add_service_errors

REGISTER_PAGE_SIZE = 50


class DecisionForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("Decision number"), max_length=64)
    date = VietnameseDateField(label=gettext_lazy("Decision date"))
    signed_by = forms.CharField(label=gettext_lazy("Signed by"), max_length=128, required=False)


class IssueForm(forms.Form):
    decision = forms.ModelChoiceField(queryset=GraduationDecision.objects.none(), widget=forms.HiddenInput)
    issued_on = VietnameseDateField(label=gettext_lazy("Issued on"))

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = cohort.graduation_decisions.all()


class CorrectionForm(forms.Form):
    """The bands offered are the program's (``rules.bands``)."""

    classification = forms.ChoiceField(label=gettext_lazy("Classification"))
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=255)

    def __init__(self, *args, rules, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classification"].choices = [(band.code, band.label) for band in rules.bands]


class CredentialActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("reissue", "reissue"), ("void", "void"), ("confirm", "confirm")], widget=forms.HiddenInput
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=255)
    issued_on = VietnameseDateField(label=gettext_lazy("Issued on"), required=False)


ACTION_LABELS = {
    "graduation": gettext_lazy("Graduated by decision"),
    "classification_corrected": gettext_lazy("Classification corrected"),
    "credential_issued": gettext_lazy("Issued"),
    "credential_replaced": gettext_lazy("Replaced"),
    "credential_voided": gettext_lazy("Voided"),
    "credential_reprinted": gettext_lazy("Reprinted on a new blank form"),
    # The past-records workbook (``daotao.onboarding``).
    "graduation.import": gettext_lazy("Imported from the past records"),
    "graduation_decision.import": gettext_lazy("Imported from the past records"),
    "credential.import": gettext_lazy("Imported from the past records"),
}


def _readable(entries, model, labels_of=None) -> list:
    """Audit entries with the action's label and each change as (field label, before,
    after), choices shown by their label (``labels_of``: {field: {value: label}} for
    fields without choices, e.g. a classification in its program's bands)."""
    labels_of = labels_of or {}
    readable = []
    for change in entries:
        change.action_label = ACTION_LABELS.get(change.action, change.action)
        change.readable_changes = []
        for name, (before, after) in change.changes.items():
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:  # a field since removed: show its name
                change.readable_changes.append((name, before, after))
                continue
            labels = labels_of.get(name) or dict(field.choices or ())
            change.readable_changes.append((field.verbose_name, labels.get(before, before), labels.get(after, after)))
        readable.append(change)
    return readable


# The register: staff with a scope, and a student for their own credentials; lecturers and
# others get 403.
register_reader_required = require(any_of(is_staff, is_student))


@staff_required
def report(request, cohort_id, fmt="html"):
    """The graduation report of a class; ``fmt`` (or ``?format=``) xlsx or pdf downloads it."""
    cohort = cohort_for_user(request.user, whole=True, pk=cohort_id).cohort
    built = cohort_report.build(cohort)
    fmt = request.GET.get("format", fmt)
    if fmt == "xlsx":
        return xlsx_response(cohort_report.workbook(built, user=request.user), f"tot-nghiep-{cohort.pk}.xlsx")
    if fmt == "pdf":
        pdf = documents.report_pdf(cohort, built=built, request=request)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="tot-nghiep-{cohort.pk}.pdf"'
        return response
    context = {
        "cohort": cohort,
        "report": built,
        "chart": built.chart(),
        "today": timezone.localdate(),
        "office": is_training_office(request.user),
    }
    return render(request, "grading/report.html", context)


@staff_required
def decision_pdf(request, cohort_id, decision_id):
    """A graduation decision of a class, with its list of graduates, as the signed PDF."""
    cohort = cohort_for_user(request.user, whole=True, pk=cohort_id).cohort
    decisions = GraduationDecision.objects.select_related("cohort__program")
    decision = get_object_or_404(decisions, cohort=cohort, pk=decision_id)
    entries = (
        GraduationEntry.objects.visible_to(request.user)
        .filter(decision=decision)
        .select_related("enrollment__student__locality", "enrollment__student__agency")
        .order_by("enrollment__student__sort_key", "enrollment__student_id")
    )
    response = HttpResponse(documents.decision_pdf(decision, entries), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="quyet-dinh-{decision.pk}.pdf"'
    return response


@office_required
def decide(request, cohort_id):
    """Preview who graduates and why the others do not; the office then records the decision."""
    cohort = cohort_for_user(request.user, whole=True, pk=cohort_id).cohort
    eligible, others = graduation.graduation_preview(cohort)
    form = DecisionForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            decision = graduation.graduation_decide(user=request.user, cohort=cohort, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Decision %(number)s recorded for %(count)s students.")
                % {"number": decision.number, "count": decision.entries.count()},
            )
            return redirect("grading:decisions", cohort_id=cohort.pk)
    context = {
        "cohort": cohort,
        "training": cohort.program.kind == ProgramKind.TRAINING,
        "eligible": eligible,
        "others": others,
        "form": form,
        "decisions": cohort.graduation_decisions.all(),
    }
    return render(request, "grading/graduation_decide.html", context)


@staff_required
def decisions(request, cohort_id):
    """The graduation decisions of a class with their graduates, each graduate's valid
    credential and the corrections made; the office issues a decision's credentials here."""
    cohort = cohort_for_user(request.user, whole=True, pk=cohort_id).cohort
    check_post(request, is_training_office)
    office = is_training_office(request.user)
    form = IssueForm(request.POST or None, cohort=cohort, initial={"issued_on": timezone.localdate()})
    if request.method == "POST":
        if form.is_valid():
            try:
                issued = register.credentials_issue_for_decision(
                    user=request.user, decision=form.cleaned_data["decision"], issued_on=form.cleaned_data["issued_on"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("%(count)s diplomas or certificates issued.") % {"count": len(issued)})
                return redirect(reverse("grading:register") + f"?cohort={cohort.code}")
    entries = list(
        GraduationEntry.objects.visible_to(request.user)
        .filter(decision__cohort=cohort)
        .select_related("enrollment__student")
        .order_by("enrollment__student__sort_key", "enrollment__student_id")
    )
    by_decision = defaultdict(list)
    for entry in entries:
        by_decision[entry.decision_id].append(entry)
    # Each graduate's valid credential (a confirmation where the certificate was lost).
    held = {
        credential.enrollment_id: credential
        for credential in Credential.objects.filter(enrollment__cohort=cohort, status=CredentialStatus.VALID)
    }
    for entry in entries:
        entry.credential = held.get(entry.enrollment_id)
    corrections = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(GraduationEntry),
        object_id__in=[str(entry.pk) for entry in entries],
        action="classification_corrected",
    )
    context = {
        "cohort": cohort,
        "office": office,
        "form": form,
        "issued_on": form.fields["issued_on"].prepare_value(form["issued_on"].value()) or "",
        "decisions": [
            (decision, by_decision[decision.pk], sum(1 for e in by_decision[decision.pk] if e.credential is None))
            for decision in cohort.graduation_decisions.all()
        ],
        "corrections": corrections,
    }
    return render(request, "grading/graduation_decisions.html", context)


@staff_required
def entry(request, entry_id):
    """One graduate's line in a decision, its history, and (office) its correction."""
    graduate = get_object_or_404(
        GraduationEntry.objects.visible_to(request.user).select_related(
            "enrollment__student", "enrollment__cohort__program", "decision"
        ),
        pk=entry_id,
    )
    check_post(request, is_training_office)
    office = is_training_office(request.user)
    training = graduate.enrollment.cohort.program.kind == ProgramKind.TRAINING
    rules = rules_for(graduate.enrollment.cohort.program)
    form = CorrectionForm(request.POST or None, rules=rules, initial={"classification": graduate.classification})
    if request.method == "POST":
        if form.is_valid():
            try:
                graduation.graduation_entry_correct(user=request.user, entry=graduate, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The classification was corrected."))
                return redirect("grading:entry", entry_id=graduate.pk)
    cohort = graduate.enrollment.cohort
    context = {
        "entry": graduate,
        "cohort": cohort,
        # The class's pages (its decisions, its header's tabs) lead on only for those who see
        # it whole: an agency opens its own staff's line in a class held elsewhere.
        "whole": cohorts_seen_whole(request.user).filter(pk=cohort.pk).exists(),
        "training": training,
        "office": office,
        "form": form,
        "entries": _readable(history(graduate), GraduationEntry, {"classification": band_labels(rules)}),
    }
    return render(request, "grading/graduation_entry.html", context)


@register_reader_required
def register_list(request):
    """The register, newest first, searched by number, name or the register of a merged
    school (a number finds it in every register it stands in, each shown with its register)
    and filtered by kind, status, year and class."""
    credentials = (
        Credential.objects.visible_to(request.user)
        .select_related("enrollment__student", "enrollment__cohort")
        .order_by("-issued_on", "-id")
    )
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    if query:
        by_name = (
            folded_words_q(query, "enrollment__student__search_key", breaks=NAME_BREAKS)
            if search_words(query)
            else Q(pk__in=[])
        )
        credentials = credentials.filter(
            Q(register_number__icontains=query)
            | Q(serial_number__icontains=query)
            | Q(register__icontains=query)
            | by_name
        )
    filters = {
        "kind": request.GET.get("kind", ""),
        "status": request.GET.get("status", ""),
        "year": request.GET.get("year", "").strip(),
        "cohort": request.GET.get("cohort", "").strip()[:32],
    }
    if filters["kind"] in CredentialKind.values:
        credentials = credentials.filter(kind=filters["kind"])
    if filters["status"] in CredentialStatus.values:
        credentials = credentials.filter(status=filters["status"])
    if (year := parse_year(filters["year"])) is not None:
        credentials = credentials.filter(year=year)
    if filters["cohort"]:
        credentials = credentials.filter(enrollment__cohort__code__iexact=filters["cohort"])
    page = Paginator(credentials, REGISTER_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": query,
        "filters": filters,
        "query_max_length": SEARCH_MAX_LENGTH,
        "kinds": CredentialKind.choices,
        "statuses": CredentialStatus.choices,
        "staff": is_staff(request.user),
        "office": is_training_office(request.user),
    }
    return render(request, "grading/credential_list.html", context)


def _credential(request, credential_id) -> Credential:
    return get_object_or_404(
        Credential.objects.visible_to(request.user).select_related(
            "enrollment__student__locality",
            "enrollment__student__agency",
            "enrollment__cohort__program",
            "graduation__decision",
            "replaces",
        ),
        pk=credential_id,
    )


@register_reader_required
def credential_detail(request, credential_id):
    """One credential with its history; the office reissues, voids or confirms it here."""
    credential = _credential(request, credential_id)
    check_post(request, is_training_office)
    office = is_training_office(request.user)
    staff = is_staff(request.user)
    form = CredentialActionForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            new = _act(request.user, credential, form)
            if new is not None:
                return redirect("grading:credential", credential_id=new.pk)
    successor = Credential.objects.filter(replaces=credential).first()
    context = {
        "credential": credential,
        "successor": successor,
        "entries": _readable(history(credential), Credential) if staff else [],
        "staff": staff,
        "office": office,
        "form": form,
        "valid": credential.status == CredentialStatus.VALID,
    }
    return render(request, "grading/credential_detail.html", context)


def _act(user, credential, form) -> Credential | None:
    """Run the chosen register action; on a refusal, put the reason on the form."""
    data = form.cleaned_data
    issued_on = data["issued_on"] or timezone.localdate()
    try:
        if data["action"] == "reissue":
            return register.credential_reissue(
                user=user, credential=credential, reason=data["reason"], issued_on=issued_on
            )
        if data["action"] == "confirm":
            return register.confirmation_issue(
                user=user, credential=credential, reason=data["reason"], issued_on=issued_on
            )
        return register.credential_void(user=user, credential=credential, reason=data["reason"])
    except ValidationError as error:
        add_service_errors(form, error)
        return None


@register_reader_required
def credential_print(request, credential_id):
    """The credential on its printed form (A4 landscape); ``?format=pdf`` as PDF. The date of
    birth is in full for the office, the student and their locality or agency; masked to the
    year for the board and others (``privacy``)."""
    credential = _credential(request, credential_id)
    if not credential.is_own_register:
        # Printed by the school whose register holds it, with its letterhead and signer.
        messages.error(
            request,
            _("This credential is in the register of %(register)s, which printed it: it is not printed here.")
            % {"register": credential.register},
        )
        return redirect("grading:credential", credential.pk)
    context = {
        "credential": credential,
        "student": credential.enrollment.student,
        "cohort": credential.enrollment.cohort,
        "program": credential.enrollment.cohort.program,
        # The printed form is in Vietnamese whatever the language of the pages.
        "classification": classification_name(
            getattr(credential.graduation, "classification", ""), rules_for(credential.enrollment.cohort.program)
        ),
        "issued_line": format_long_date(credential.issued_on, identity.current().place),
        "signer": identity.current().signer(credential.kind),
        # The code, the public page's address (DAOTAO_SITE_URL) and its QR code.
        "verification": verification.mark(credential),
    }
    if request.GET.get("format") == "pdf":
        html = render_to_string("grading/credential_print.html", {**context, "pdf": True}, request=request)
        response = HttpResponse(html_to_pdf(html, ("grading/credential.css",)), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{credential.register_number.replace("/", "-")}.pdf"'
        return response
    return render(request, "grading/credential_print.html", context)
