"""The annual plans: the list (``/planning/``) and one year's plan with its quota lines
(``/planning/<year>/``) and its quota table as a document (``/planning/<year>/quota.pdf``,
``.docx``, ``.xlsx``). Staff read (a coordinator sees their locality's lines); the
training office creates a plan, edits it, approves it by decision and imports its quota
lines from .xlsx. Changes to an approved plan are audited (``services``)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from daotao.accounts.access import is_training_office, office_required, staff_required
from daotao.accounts.scope import scope_of
from daotao.audit.imports import ImportKind, imported
from daotao.audit.models import history
from daotao.lib.vietnamese import format_count, format_int
from daotao.planning import documents, services
from daotao.planning.importing import QUOTAS, quotas_import
from daotao.planning.models import AnnualPlan, Quota
from daotao.web import jobs
from daotao.web.forms import VietnameseDateField, YearField


class NewPlanForm(forms.ModelForm):
    class Meta:
        model = AnnualPlan
        fields = ["year", "title"]
        field_classes = {"year": YearField}


class PlanForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=255, required=False)
    notes = forms.CharField(label=gettext_lazy("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ApprovalForm(forms.Form):
    decision_number = forms.CharField(label=gettext_lazy("Decision number"), max_length=64)
    decision_date = VietnameseDateField(label=gettext_lazy("Decision date"))


class QuotaImportForm(forms.Form):
    workbook = forms.FileField(label=gettext_lazy("Workbook (.xlsx)"))


@require_safe
@staff_required
def plan_list(request):
    visible = Quota.objects.visible_to(request.user)
    plans = AnnualPlan.objects.annotate(
        lines=Count("quotas", filter=Q(quotas__in=visible)),
    ).order_by("-year")
    context = {"plans": plans, "is_office": is_training_office(request.user), "form": NewPlanForm()}
    return render(request, "planning/plan_list.html", context)


@require_POST
@office_required
def plan_create(request):
    form = NewPlanForm(request.POST)
    if form.is_valid():
        plan = form.save()
        messages.success(request, _("The plan for %(year)s was created.") % {"year": plan.year})
        return redirect("planning:detail", plan.year)
    plans = AnnualPlan.objects.annotate(lines=Count("quotas")).order_by("-year")
    return render(request, "planning/plan_list.html", {"plans": plans, "is_office": True, "form": form}, status=400)


def _shown(value) -> str:
    if isinstance(value, dict):  # a quota line
        return _("%(classes)s classes, %(students)s students") % {
            "classes": format_count(value.get("classes", 0)),
            "students": format_int(value.get("students", 0)),
        }
    return "–" if value in (None, "") else str(value)


def _history(plan: AnnualPlan) -> list[dict]:
    """The plan's audit entries, newest first, each change as (what, before, after)."""
    return [
        {"entry": entry, "changes": [(name, _shown(old), _shown(new)) for name, (old, new) in entry.changes.items()]}
        for entry in history(plan)[:50]
    ]


def _detail(request, plan: AnnualPlan, status: int = 200, **forms_given):
    is_office = is_training_office(request.user)
    context = {
        "plan": plan,
        "quotas": documents.plan_quotas(plan, request.user),
        "quota_documents": [(fmt, reverse(f"planning:quota_{fmt}", args=[plan.year])) for fmt in documents.FORMATS],
        "is_office": is_office,
        "columns": QUOTAS.columns,
        "history": _history(plan) if scope_of(request.user).everything else [],
    }
    if is_office:
        initial = {"title": plan.title, "notes": plan.notes}
        context["plan_form"] = forms_given.get("plan_form") or PlanForm(initial=initial)
        context["approval_form"] = forms_given.get("approval_form") or ApprovalForm(
            initial={"decision_number": plan.decision_number, "decision_date": plan.decision_date}
        )
        context["import_form"] = forms_given.get("import_form") or QuotaImportForm()
    return render(request, "planning/plan_detail.html", context, status=status)


@require_safe
@staff_required
def plan_detail(request, year: int):
    return _detail(request, get_object_or_404(AnnualPlan, year=year))


@require_safe
@staff_required
def quota_document(request, year: int, fmt: str):
    """The plan's quota table as a PDF, .docx or .xlsx, with the lines the user sees."""
    plan = get_object_or_404(AnnualPlan, year=year)
    document = documents.FORMATS[fmt]
    response = HttpResponse(document.build(plan, user=request.user), content_type=document.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=documents.filename(plan, document.extension)
    )
    return response


@require_POST
@office_required
def plan_edit(request, year: int):
    plan = get_object_or_404(AnnualPlan, year=year)
    form = PlanForm(request.POST)
    if not form.is_valid():
        return _detail(request, plan, 400, plan_form=form)
    services.plan_update(plan, request.user, title=form.cleaned_data["title"], notes=form.cleaned_data["notes"])
    messages.success(request, _("The plan was saved."))
    return redirect("planning:detail", year)


@require_POST
@office_required
def plan_approve(request, year: int):
    plan = get_object_or_404(AnnualPlan, year=year)
    form = ApprovalForm(request.POST)
    if form.is_valid():
        try:
            services.plan_approve(
                plan, request.user, form.cleaned_data["decision_number"], form.cleaned_data["decision_date"]
            )
        except services.PlanError as error:
            form.add_error(error.field, error.message)
    if not form.is_valid():
        plan.refresh_from_db()
        return _detail(request, plan, 400, approval_form=form)
    messages.success(request, _("The plan was approved."))
    return redirect("planning:detail", year)


@require_POST
@office_required
def plan_import(request, year: int):
    plan = get_object_or_404(AnnualPlan, year=year)
    form = QuotaImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, plan, 400, import_form=form)
    user, back, upload = request.user, reverse("planning:detail", args=[year]), form.cleaned_data["workbook"]

    def work(path, progress) -> jobs.Done:
        target = _("Plan %(year)s") % {"year": year}
        with imported(ImportKind.QUOTAS, user, path, name=upload.name, target=target) as audit:
            result = audit.done(quotas_import(path, year, user))
        return jobs.Done([result.summary()], [(gettext_lazy("See the plan"), back)])

    job = jobs.start(
        request, work, upload, title=gettext_lazy("Import quota lines"),
        back=f"{back}#import", back_label=gettext_lazy("Back to the plan"),
    )  # fmt: skip
    return redirect("job", job=job)
