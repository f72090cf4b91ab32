"""Graduation pages: a class's report (page, xlsx, PDF), the decision (preview, then
record), the register of diplomas and certificates, one credential with its history,
reissue, void and confirmation, and its print (HTML and PDF)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daotao.accounts.access import is_training_office, staff_required
from daotao.accounts.scope import scope_of
from daotao.audit.models import history
from daotao.cohorts.importing import XLSX_CONTENT_TYPE
from daotao.grading import cohort_report, graduation, register
from daotao.grading.access import teaching_staff_required, visible_cohort
from daotao.grading.models import Credential, CredentialKind, CredentialStatus
from daotao.lib.pdf import html_to_pdf
from daotao.teaching.forms import VietnameseDateField


class DecisionForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("Decision number"), max_length=64)
    date = VietnameseDateField(label=gettext_lazy("Decision date"))
    signed_by = forms.CharField(label=gettext_lazy("Signed by"), max_length=128, required=False)


class CredentialActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("reissue", "reissue"), ("void", "void"), ("confirm", "confirm")], widget=forms.HiddenInput
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=255)
    issued_on = VietnameseDateField(label=gettext_lazy("Issued on"), required=False)


@teaching_staff_required
def report(request, cohort_id):
    cohort = visible_cohort(request.user, cohort_id)
    if scope_of(request.user).lecturer_id is not None:
        raise PermissionDenied
    built = cohort_report.build(cohort)
    wanted = request.GET.get("format")
    if wanted == "xlsx":
        response = HttpResponse(cohort_report.workbook(built), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="tot-nghiep-{cohort.pk}.xlsx"'
        return response
    context = {"cohort": cohort, "report": built, "chart": built.chart(), "today": timezone.localdate()}
    if wanted == "pdf":
        pdf = html_to_pdf(render_to_string("grading/report_pdf.html", context, request=request))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="tot-nghiep-{cohort.pk}.pdf"'
        return response
    return render(request, "grading/report.html", context)


@teaching_staff_required
def decide(request, cohort_id):
    """Preview who graduates and why the others do not; the office then records the decision."""
    if not is_training_office(request.user):
        raise PermissionDenied
    cohort = visible_cohort(request.user, cohort_id)
    eligible, others = graduation.graduation_preview(cohort)
    form = DecisionForm(request.POST or None, initial={"date": timezone.localdate().strftime("%d/%m/%Y")})
    if request.method == "POST" and form.is_valid():
        try:
            decision = graduation.graduation_decide(user=request.user, cohort=cohort, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(
                request, _("Decision %(number)s recorded for %(count)s students.") % {
                    "number": decision.number, "count": decision.entries.count()
                }
            )  # fmt: skip
            return redirect("grading:report", cohort_id=cohort.pk)
    decisions = cohort.graduation_decisions.all()
    context = {"cohort": cohort, "eligible": eligible, "others": others, "form": form, "decisions": decisions}
    return render(request, "grading/graduation_decide.html", context)


@staff_required
def register_list(request):
    credentials = (
        Credential.objects.visible_to(request.user)
        .select_related("enrollment__student", "enrollment__cohort")
        .order_by("-issued_on", "-id")
    )
    query = request.GET.get("q", "").strip()[:64]
    if query:
        credentials = (
            credentials.filter(register_number__icontains=query)
            | credentials.filter(serial_number__icontains=query)
            | credentials.filter(enrollment__student__search_key__contains=query.lower())
        )
    kind = request.GET.get("kind")
    if kind in CredentialKind.values:
        credentials = credentials.filter(kind=kind)
    page = Paginator(credentials, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": query,
        "kinds": CredentialKind.choices,
        "office": is_training_office(request.user),
    }
    return render(request, "grading/credential_list.html", context)


def _credential(request, credential_id) -> Credential:
    return get_object_or_404(
        Credential.objects.visible_to(request.user).select_related(
            "enrollment__student", "enrollment__cohort__program", "graduation__decision", "replaces"
        ),
        pk=credential_id,
    )


@staff_required
def credential_detail(request, credential_id):
    credential = _credential(request, credential_id)
    office = is_training_office(request.user)
    form = CredentialActionForm(request.POST or None)
    if request.method == "POST":
        if not office:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            issued_on = data["issued_on"] or timezone.localdate()
            try:
                if data["action"] == "reissue":
                    new = register.credential_reissue(
                        user=request.user, credential=credential, reason=data["reason"], issued_on=issued_on
                    )
                elif data["action"] == "confirm":
                    new = register.confirmation_issue(
                        user=request.user, credential=credential, reason=data["reason"], issued_on=issued_on
                    )
                else:
                    new = register.credential_void(user=request.user, credential=credential, reason=data["reason"])
            except ValidationError as error:
                form.add_error(None, " ".join(error.messages))
            else:
                return redirect("grading:credential", credential_id=new.pk)
    context = {
        "credential": credential,
        "entries": history(credential),
        "office": office,
        "form": form,
        "valid": credential.status == CredentialStatus.VALID,
    }
    return render(request, "grading/credential_detail.html", context)


@staff_required
def credential_print(request, credential_id):
    credential = _credential(request, credential_id)
    context = {"credential": credential, "student": credential.enrollment.student, "today": dt.date.today()}
    html = render_to_string("grading/credential_print.html", context, request=request)
    if request.GET.get("format") == "pdf":
        response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{credential.register_number.replace("/", "-")}.pdf"'
        return response
    return HttpResponse(html)
