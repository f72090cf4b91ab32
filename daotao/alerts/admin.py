"""The training office keeps the thresholds of absence warnings here; the warnings sent are
shown read-only (only the daily command writes them, so that each row says what went out)."""

from django.contrib import admin

from daotao.alerts.models import AbsenceThreshold, AbsenceWarning
from daotao.grading.admin import ReadOnlyAdmin
from daotao.people.admin_search import FoldedSearchMixin
from daotao.web.adminutils import ScopedAdminMixin


@admin.register(AbsenceThreshold)
class AbsenceThresholdAdmin(admin.ModelAdmin):
    list_display = ["percent", "is_active"]
    list_editable = ["is_active"]
    fields = ["percent", "is_active"]


@admin.register(AbsenceWarning)
class AbsenceWarningAdmin(ScopedAdminMixin, FoldedSearchMixin, ReadOnlyAdmin):
    list_display = [
        "found_at",
        "enrollment",
        "module",
        "threshold",
        "absences",
        "limit",
        "status",
        "sent_at",
        "recipients",
    ]
    list_select_related = ["enrollment__student", "enrollment__cohort", "module"]
    list_filter = ["status", "threshold", "found_at"]
    search_fields = ["enrollment__cohort__code", "module__code", "recipients"]
    person_search = "enrollment__student__"
    date_hierarchy = "found_at"
    fields = [
        "enrollment",
        "module",
        "threshold",
        "absences",
        "module_periods",
        "limit_percent",
        "limit",
        "as_of",
        "found_at",
        "status",
        "mail_threshold",
        "sent_at",
        "recipients",
        "unreachable",
        "error",
        "attempts",
        "claimed_at",
        "withdrawn_at",
    ]
    readonly_fields = fields
