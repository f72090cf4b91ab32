"""Back office of grading: each program's rules and disciplinary measures are edited here;
grades, graduation decisions, the register, its counters and the blank forms change only
through their audited pages and services, so the admin shows them read-only. Lists read their related
rows in the same query (no query per row)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from daotao.grading.models import (
    BlankForm,
    BlankFormBatch,
    Credential,
    Discipline,
    Grade,
    GradingRules,
    GraduationDecision,
    GraduationEntry,
    RegisterCounter,
)
from daotao.grading.rules import RULE_FIELDS
from daotao.people.admin_search import FoldedSearchMixin
from daotao.web.adminutils import BoundedSearchMixin, ReadOnlyAdminMixin, ScopedAdminMixin, UsersByNameMixin


class ReadOnlyAdmin(ReadOnlyAdminMixin, BoundedSearchMixin, admin.ModelAdmin):
    pass


class GradingRulesForm(forms.ModelForm):
    class Meta:
        model = GradingRules
        fields = ["program", *RULE_FIELDS]

    def clean(self):
        """The bands must go up: pass mark <= fair <= good <= excellent, all within 0-10."""
        data = super().clean()
        names = ["pass_mark", "fair_from", "good_from", "excellent_from"]
        values = [data.get(name) for name in names]
        for name, value in zip(names, values, strict=True):
            if value is not None and not 0 <= value <= 10:
                self.add_error(name, _("Enter a mark from 0 to 10."))
        if None not in values and values != sorted(values):
            raise forms.ValidationError(
                _("The marks must go up: pass mark, then fair, good and excellent from.")
            )  # fmt: skip
        return data


@admin.register(GradingRules)
class GradingRulesAdmin(BoundedSearchMixin, admin.ModelAdmin):
    form = GradingRulesForm
    list_display = [
        "program",
        "pass_mark",
        "max_retakes",
        "retake_cap",
        "max_absence_percent",
        "excellent_from",
        "good_from",
        "fair_from",
        "certificate_min_score",
    ]
    list_select_related = ["program"]
    search_fields = ["program__code", "program__name"]
    fieldsets = [
        (None, {"fields": ["program"]}),
        (_("Marks and rounding"), {"fields": ["pass_mark", "score_decimals", "average_decimals"]}),
        (_("Retakes and absences"), {"fields": ["max_retakes", "retake_cap", "max_absence_percent"]}),
        (
            _("Classification"),
            {
                "fields": [
                    "excellent_from",
                    "good_from",
                    "fair_from",
                    "downgrade_after_retake",
                    "downgrade_for_discipline",
                ]
            },
        ),
        (_("Essays and certificates"), {"fields": ["essay_max_gap", "certificate_min_score"]}),
    ]


@admin.register(Discipline)
class DisciplineAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["enrollment", "measure", "date", "decision_number"]
    list_select_related = ["enrollment__student", "enrollment__cohort"]
    list_filter = ["measure"]
    raw_id_fields = ["enrollment"]
    date_hierarchy = "date"
    search_fields = ["decision_number", "enrollment__cohort__code"]
    person_search = "enrollment__student__"


@admin.register(Grade)
class GradeAdmin(UsersByNameMixin, FoldedSearchMixin, ReadOnlyAdmin):
    list_display = ["enrollment", "assessment", "attempt", "score", "absent", "recorded_by", "recorded_at"]
    list_select_related = ["enrollment__student", "enrollment__cohort", "assessment__module", "recorded_by"]
    list_filter = ["attempt", "absent"]
    search_fields = ["enrollment__cohort__code"]
    person_search = "enrollment__student__"


class GraduationEntryInline(admin.TabularInline):
    model = GraduationEntry
    fields = ["enrollment", "average", "classification", "downgraded"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("enrollment__student", "enrollment__cohort")
            .order_by("enrollment__student__sort_key")
        )


@admin.register(GraduationDecision)
class GraduationDecisionAdmin(UsersByNameMixin, ReadOnlyAdmin):
    list_display = ["number", "date", "cohort", "signed_by", "created_by"]
    list_select_related = ["cohort", "created_by"]
    date_hierarchy = "date"
    search_fields = ["number", "cohort__code"]
    inlines = [GraduationEntryInline]


@admin.register(GraduationEntry)
class GraduationEntryAdmin(ScopedAdminMixin, FoldedSearchMixin, ReadOnlyAdmin):
    list_display = ["enrollment", "decision", "average", "classification", "downgraded"]
    list_select_related = ["enrollment__student", "enrollment__cohort", "decision"]
    list_filter = ["classification", "downgraded"]
    search_fields = ["enrollment__cohort__code", "decision__number"]
    person_search = "enrollment__student__"


@admin.register(Credential)
class CredentialAdmin(UsersByNameMixin, ScopedAdminMixin, FoldedSearchMixin, ReadOnlyAdmin):
    list_display = ["register_number", "serial_number", "kind", "enrollment", "issued_on", "status"]
    list_select_related = ["enrollment__student", "enrollment__cohort"]
    list_filter = ["kind", "status", "year"]
    date_hierarchy = "issued_on"
    search_fields = ["register_number", "serial_number", "enrollment__cohort__code"]
    person_search = "enrollment__student__"


@admin.register(RegisterCounter)
class RegisterCounterAdmin(ReadOnlyAdmin):
    """The last number given in each register (year 0: the serials, running on across years)."""

    list_display = ["kind", "year", "last_number"]
    list_filter = ["kind"]


@admin.register(BlankFormBatch)
class BlankFormBatchAdmin(UsersByNameMixin, ReadOnlyAdmin):
    """Batches are recorded on the blank forms' page, where their ranges are checked."""

    list_display = ["__str__", "kind", "program", "received_on", "reference", "received_by"]
    list_select_related = ["program", "received_by"]
    list_filter = ["kind"]
    date_hierarchy = "received_on"
    search_fields = ["prefix", "reference", "program__code"]


@admin.register(BlankForm)
class BlankFormAdmin(UsersByNameMixin, ReadOnlyAdmin):
    """The forms used, spoiled or voided, as the register and the blank forms' page wrote them."""

    list_display = ["serial", "state", "credential", "reason", "at", "by"]
    list_select_related = ["credential", "by"]
    list_filter = ["state", "batch__kind"]
    date_hierarchy = "at"
    search_fields = ["serial", "credential__register_number"]
