"""The money of a class for the training office (which changes it) and the school board
(which reads it): a class's page with its budget or fees, the forms, a receipt's PDF, and
the reports per class and per year with their workbooks."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from daotao.accounts.access import is_school_wide, is_training_office, require
from daotao.cohorts.models import Cohort, Funding
from daotao.finance import services
from daotao.finance.budget import budget_figures
from daotao.finance.documents import receipt_pdf
from daotao.finance.export import cohort_workbook, year_workbook
from daotao.finance.fees import fee_status
from daotao.finance.forms import BudgetForm, FeeForm, PaymentForm, SettleForm, VoidForm
from daotao.finance.models import Budget, CostItem, Payment
from daotao.finance.reports import year_finance
from daotao.web.files import xlsx_response
from daotao.web.forms import YearField, add_service_errors

school_wide_required = require(is_school_wide, may_post=is_training_office)
office_only = require(is_training_office)


class YearForm(forms.Form):
    year = YearField(label=gettext_lazy("Year"))


def _cohort(request, cohort_id) -> Cohort:
    return get_object_or_404(
        Cohort.objects.visible_to(request.user).select_related("program", "host_locality"), pk=cohort_id
    )


def _budget(cohort) -> Budget | None:
    return Budget.objects.filter(cohort=cohort).prefetch_related("lines").select_related("cohort").first()


def cohort_context(cohort) -> dict:
    """What a class's page and workbook show: its budget's figures, or its fees and payments."""
    context = {"cohort": cohort, "supported": cohort.funding == Funding.SUPPORTED}
    if context["supported"]:
        budget = _budget(cohort)
        context["figures"] = budget_figures(budget) if budget else None
    else:
        context["fees"] = fee_status(cohort)
        context["payments"] = list(
            Payment.objects.filter(enrollment__cohort=cohort).select_related("enrollment__student").order_by("-pk")
        )
    return context


@school_wide_required
def cohort_finance(request, cohort_id):
    cohort = _cohort(request, cohort_id)
    context = cohort_context(cohort)
    context["may_change"] = is_training_office(request.user)
    context["settle_form"] = SettleForm(initial={"settled_on": timezone.localdate()})
    return render(request, "finance/cohort.html", context)


@school_wide_required
def cohort_xlsx(request, cohort_id):
    cohort = _cohort(request, cohort_id)
    return xlsx_response(cohort_workbook(cohort_context(cohort)), f"tai-chinh-{cohort.code}.xlsx")


@office_only
def budget_edit(request, cohort_id):
    cohort = _cohort(request, cohort_id)
    budget = _budget(cohort)
    initial = {}
    if budget is not None:
        initial = {"source": budget.source, "pay_rate": budget.pay_rate, "notes": budget.notes}
        for line in budget.lines.all():
            initial[f"planned_{line.item}"] = line.planned
            if line.item != CostItem.TEACHING:
                initial[f"settled_{line.item}"] = line.settled
    form = BudgetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_save(user=request.user, cohort=cohort, **form.service_values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The budget was saved."))
            return redirect("finance:cohort", cohort_id=cohort.pk)
    return render(request, "finance/budget_form.html", {"cohort": cohort, "form": form, "budget": budget})


@office_only
@require_POST
def budget_settle(request, cohort_id):
    cohort = _cohort(request, cohort_id)
    budget = get_object_or_404(Budget, cohort=cohort)
    form = SettleForm(request.POST)
    if form.is_valid():
        try:
            services.budget_settle(user=request.user, budget=budget, settled_on=form.cleaned_data["settled_on"])
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        context = cohort_context(cohort) | {"may_change": True, "settle_form": form}
        return render(request, "finance/cohort.html", context, status=400)
    messages.success(request, _("The budget was settled."))
    return redirect("finance:cohort", cohort_id=cohort.pk)


@office_only
def fee_edit(request, cohort_id):
    cohort = _cohort(request, cohort_id)
    fee = getattr(cohort, "fee", None)
    initial = {"amount": fee.amount, "bars_exam": fee.bars_exam} if fee else {}
    form = FeeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.fee_save(user=request.user, cohort=cohort, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The fee was saved."))
            return redirect("finance:cohort", cohort_id=cohort.pk)
    return render(request, "finance/fee_form.html", {"cohort": cohort, "form": form})


@office_only
def payment_add(request, cohort_id):
    cohort = _cohort(request, cohort_id)
    enrollments = cohort.enrollments.on_roll().select_related("student").in_class_order()
    form = PaymentForm(request.POST or None, enrollments=enrollments, initial={"paid_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            payment = services.payment_record(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Payment recorded: receipt %(number)s.") % {"number": payment.receipt_number})
            return redirect("finance:cohort", cohort_id=cohort.pk)
    return render(request, "finance/payment_form.html", {"cohort": cohort, "form": form})


def _payment(request, payment_id) -> Payment:
    return get_object_or_404(
        Payment.objects.visible_to(request.user).select_related("enrollment__cohort", "enrollment__student"),
        pk=payment_id,
    )


@office_only
def payment_void(request, payment_id):
    payment = _payment(request, payment_id)
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.payment_void(user=request.user, payment=payment, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            number = payment.receipt_number
            if payment.register:
                number = f"{number} ({payment.register_note})"
            messages.success(request, _("Receipt %(number)s was voided.") % {"number": number})
            return redirect("finance:cohort", cohort_id=payment.enrollment.cohort_id)
    return render(
        request, "finance/void_form.html", {"payment": payment, "cohort": payment.enrollment.cohort, "form": form}
    )


@school_wide_required
def receipt(request, payment_id):
    payment = _payment(request, payment_id)
    response = HttpResponse(receipt_pdf(payment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-lai-{payment.number:04d}-{payment.year}.pdf"'
    return response


@school_wide_required
def year_report(request):
    form = YearForm({"year": request.GET.get("year") or timezone.localdate().year})
    if not form.is_valid():
        return render(request, "finance/year.html", {"form": form}, status=400)
    report = year_finance(form.cleaned_data["year"])
    if request.GET.get("format") == "xlsx":
        return xlsx_response(year_workbook(report), f"tai-chinh-{report.year}.xlsx")
    return render(request, "finance/year.html", {"form": form, "report": report})
