from django.contrib import admin

from daotao.planning.models import AnnualPlan, Quota
from daotao.web.adminutils import BoundedSearchMixin, LoadedAutocompleteInlineMixin, ScopedAdminMixin


class QuotaInline(LoadedAutocompleteInlineMixin, admin.TabularInline):
    model = Quota
    fields = ["program", "locality", "funding", "classes", "students"]
    autocomplete_fields = ["program", "locality"]
    extra = 0


@admin.register(AnnualPlan)
class AnnualPlanAdmin(BoundedSearchMixin, admin.ModelAdmin):
    list_display = ["year", "title", "status", "decision_number", "decision_date"]
    list_filter = ["status"]
    search_fields = ["title", "decision_number"]
    inlines = [QuotaInline]


@admin.register(Quota)
class QuotaAdmin(ScopedAdminMixin, BoundedSearchMixin, admin.ModelAdmin):
    list_display = ["plan", "locality", "program", "funding", "classes", "students"]
    list_filter = ["plan__year", "program", "funding"]
    search_fields = ["locality__name", "locality__code", "program__code"]
    autocomplete_fields = ["plan", "program", "locality"]
    list_select_related = ["plan", "locality", "program"]
