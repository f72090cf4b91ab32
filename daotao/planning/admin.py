"""The plans in the admin. A change to an approved plan (its fields or quota lines, from
either admin page) is audited like the plan page's (``services.audited``)."""

from contextlib import ExitStack

from django.contrib import admin
from django.db import transaction

from daotao.audit.models import record
from daotao.org.validity import form_unit_check
from daotao.planning.models import AnnualPlan, PlanStatus, Quota
from daotao.planning.services import audited, plan_state, record_change
from daotao.web.adminutils import (
    BoundedSearchMixin,
    LoadedAutocompleteForm,
    LoadedAutocompleteInlineMixin,
    ScopedAdminMixin,
)


class QuotaForm(LoadedAutocompleteForm):
    """A quota line, on the plan's page or its own: not for a locality that did not exist in
    the plan year (org/validity.py)."""

    def clean(self):
        cleaned = super().clean()
        plan = cleaned.get("plan")
        if plan is not None and plan.year:
            form_unit_check(self, "locality", plan.year, dated_by=("plan",))
        return cleaned


class QuotaInline(LoadedAutocompleteInlineMixin, admin.TabularInline):
    model = Quota
    form = QuotaForm
    fields = ["program", "locality", "funding", "classes", "students"]
    autocomplete_fields = ["program", "locality"]
    extra = 0


@admin.register(AnnualPlan)
class AnnualPlanAdmin(BoundedSearchMixin, admin.ModelAdmin):
    list_display = ["year", "title", "status", "decision_number", "decision_date"]
    list_filter = ["status"]
    search_fields = ["title", "decision_number"]
    inlines = [QuotaInline]

    def save_model(self, request, obj, form, change):
        # The plan's own fields are saved here, its quota lines in save_related: the audit
        # compares the stored state before the first with the state after the second.
        request._daotao_plan_before = plan_state(obj.pk) if change else {}
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        record_change(request.user, form.instance, "plan.admin", getattr(request, "_daotao_plan_before", {}))

    def delete_model(self, request, obj):
        with transaction.atomic():
            state = plan_state(obj.pk)
            if state.get("status") == PlanStatus.APPROVED:
                record(request.user, obj, "plan.admin.delete", state, {})
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for plan in queryset:
            self.delete_model(request, plan)


@admin.register(Quota)
class QuotaAdmin(ScopedAdminMixin, BoundedSearchMixin, admin.ModelAdmin):
    form = QuotaForm
    list_display = ["plan", "locality", "program", "funding", "classes", "students"]
    list_filter = ["plan__year", "program", "funding"]
    search_fields = ["locality__name", "locality__code", "program__code"]
    autocomplete_fields = ["plan", "program", "locality"]
    list_select_related = ["plan", "locality", "program"]

    def _plans(self, quotas) -> list[AnnualPlan]:
        """The plans the quotas belong to, as stored (a line moved to another plan changes both)."""
        ids = {q.plan_id for q in quotas} | set(
            Quota.objects.filter(pk__in=[q.pk for q in quotas if q.pk]).values_list("plan_id", flat=True)
        )
        return list(AnnualPlan.objects.filter(pk__in=ids))

    def save_model(self, request, obj, form, change):
        with ExitStack() as stack:
            for plan in self._plans([obj]):
                stack.enter_context(audited(plan, request.user, "plan.admin.quota"))
            super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        with ExitStack() as stack:
            for plan in self._plans([obj]):
                stack.enter_context(audited(plan, request.user, "plan.admin.quota"))
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with ExitStack() as stack:
            for plan in self._plans(list(queryset)):
                stack.enter_context(audited(plan, request.user, "plan.admin.quota"))
            super().delete_queryset(request, queryset)
