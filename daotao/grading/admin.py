"""Back office of grading: each program's rules are edited here; grades, graduation
entries and the register change only through their audited pages, so they are read-only."""

from django.contrib import admin

from daotao.grading.models import Credential, Discipline, Grade, GradingRules, GraduationDecision, GraduationEntry
from daotao.web.adminutils import BoundedSearchMixin


class ReadOnlyAdmin(BoundedSearchMixin, admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(GradingRules)
class GradingRulesAdmin(admin.ModelAdmin):
    list_display = ["program", "pass_mark", "max_retakes", "max_absence_percent", "excellent_from", "good_from"]
    list_select_related = ["program"]


@admin.register(Discipline)
class DisciplineAdmin(BoundedSearchMixin, admin.ModelAdmin):
    list_display = ["enrollment", "measure", "date", "decision_number"]
    list_select_related = ["enrollment__student", "enrollment__cohort"]
    list_filter = ["measure"]
    raw_id_fields = ["enrollment"]
    search_fields = ["enrollment__student__full_name", "decision_number"]


@admin.register(Grade)
class GradeAdmin(ReadOnlyAdmin):
    list_display = ["enrollment", "assessment", "attempt", "score", "absent", "recorded_at"]
    list_select_related = ["enrollment__student", "enrollment__cohort", "assessment__module"]
    search_fields = ["enrollment__student__full_name", "enrollment__cohort__code"]


class GraduationEntryInline(admin.TabularInline):
    model = GraduationEntry
    fields = ["enrollment", "average", "classification", "downgraded"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("enrollment__student", "enrollment__cohort")


@admin.register(GraduationDecision)
class GraduationDecisionAdmin(ReadOnlyAdmin):
    list_display = ["number", "date", "cohort", "signed_by"]
    list_select_related = ["cohort"]
    search_fields = ["number", "cohort__code"]
    inlines = [GraduationEntryInline]


@admin.register(Credential)
class CredentialAdmin(ReadOnlyAdmin):
    list_display = ["register_number", "serial_number", "kind", "enrollment", "issued_on", "status"]
    list_select_related = ["enrollment__student", "enrollment__cohort"]
    list_filter = ["kind", "status", "year"]
    search_fields = ["register_number", "serial_number", "enrollment__student__full_name"]
