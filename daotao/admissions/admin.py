"""Back office of admissions: the training office keeps each program's dossier checklist
and eligibility rules here, without code. Changing them re-checks the program's pending
applications. Applications themselves are worked on the admissions pages."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from daotao.admissions import checks
from daotao.admissions.models import (
    Application,
    CivilServiceGrade,
    DocumentType,
    EligibilityRule,
    PositionCategory,
    ProgramDocument,
    RuleException,
)
from daotao.audit.models import record, snapshot
from daotao.org.validity import form_unit_check
from daotao.people.admin_search import FoldedSearchMixin
from daotao.web.adminutils import BoundedSearchMixin, ScopedAdminMixin, UsersByNameMixin


@admin.register(PositionCategory)
class PositionCategoryAdmin(BoundedSearchMixin, admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(DocumentType)
class DocumentTypeAdmin(BoundedSearchMixin, admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


class RecheckMixin:
    """Saving or deleting a rule or checklist item re-checks the program's pending applications."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        checks.refresh_program(form.instance.program_id)

    def delete_model(self, request, obj):
        program_id = obj.program_id
        super().delete_model(request, obj)
        checks.refresh_program(program_id)

    def delete_queryset(self, request, queryset):
        programs = set(queryset.values_list("program_id", flat=True))
        super().delete_queryset(request, queryset)
        for program_id in programs:
            checks.refresh_program(program_id)


@admin.register(ProgramDocument)
class ProgramDocumentAdmin(RecheckMixin, admin.ModelAdmin):
    list_display = ["program", "document_type", "required", "order"]
    list_filter = ["program", "required"]
    list_select_related = ["program", "document_type"]
    autocomplete_fields = ["document_type"]


class RuleForm(forms.ModelForm):
    grades = forms.MultipleChoiceField(
        label=_("civil-service grades"),
        choices=[c for c in CivilServiceGrade.choices if c[0]],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For a grade rule: the grades and ranks accepted."),
    )

    class Meta:
        model = EligibilityRule
        fields = [
            "program", "kind", "order", "is_active", "mode", "source", "min_age_male", "min_age_female",
            "max_age_male", "max_age_female", "reference_date", "party_status", "education_min",
            "minority_education_min", "rating_min", "rating_years", "positions", "accept_planning_pool", "grades",
        ]  # fmt: skip
        widgets = {"positions": forms.CheckboxSelectMultiple}


@admin.register(EligibilityRule)
class EligibilityRuleAdmin(RecheckMixin, admin.ModelAdmin):
    form = RuleForm
    list_display = ["program", "order", "kind", "mode", "is_active", "source"]
    list_filter = ["program", "kind", "is_active"]
    list_select_related = ["program"]
    fieldsets = [
        (None, {"fields": ["program", "kind", "order", "is_active", "mode", "source"]}),
        (_("Age"), {"fields": ["min_age_male", "min_age_female", "max_age_male", "max_age_female", "reference_date"]}),
        (_("Party membership"), {"fields": ["party_status"]}),
        (_("Education"), {"fields": ["education_min", "minority_education_min"]}),
        (_("Performance"), {"fields": ["rating_min", "rating_years"]}),
        (_("Position"), {"fields": ["positions", "accept_planning_pool"]}),
        (_("Civil-service grade"), {"fields": ["grades"]}),
    ]


class ApplicationAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        plan = cleaned.get("plan")
        if plan is not None:  # not for a unit that did not exist in the plan year (org/validity.py)
            form_unit_check(self, "locality", plan.year, dated_by=("plan",))
            form_unit_check(self, "agency", plan.year, dated_by=("plan",))
        return cleaned


@admin.register(Application)
class ApplicationAdmin(UsersByNameMixin, ScopedAdminMixin, FoldedSearchMixin, admin.ModelAdmin):
    form = ApplicationAdminForm
    list_display = ["full_name", "program", "plan", "locality", "status", "decision"]
    list_filter = ["plan__year", "program", "status", "decision"]
    search_fields = ["full_name"]
    person_search = ""
    list_select_related = ["program", "plan", "locality"]
    # Decisions are audited: they are made on the admissions pages, not here.
    readonly_fields = [
        "status", "decision", "decision_number", "decision_date", "decision_reason", "decided_by", "student",
        "enrollment", "submitted_by",
    ]  # fmt: skip
    autocomplete_fields = ["locality", "agency"]
    raw_id_fields = ["position_category", "planned_position"]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        checks.refresh([obj])


EXCEPTION_FIELDS = ["rule", "decided_by", "decided_on", "decision_number", "note"]


@admin.register(RuleException)
class RuleExceptionAdmin(UsersByNameMixin, admin.ModelAdmin):
    """Exceptions are audited and re-check their application, here as on the admissions pages."""

    list_display = ["application", "rule", "decided_by", "decided_on"]
    list_select_related = ["application", "rule__program"]
    raw_id_fields = ["application"]
    readonly_fields = ["recorded_by", "recorded_at"]

    def get_queryset(self, request):
        visible = Application.objects.visible_to(request.user)
        return super().get_queryset(request).filter(application__in=visible)

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *(["application", "rule"] if obj else [])]

    def save_model(self, request, obj, form, change):
        old = RuleException.objects.filter(pk=obj.pk).first() if change else None
        before = snapshot(old, EXCEPTION_FIELDS) if old else {}
        obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
        after = snapshot(obj, EXCEPTION_FIELDS)
        record(request.user, obj.application, "admission.exception", before, after, note=str(obj.rule))
        checks.refresh([obj.application])

    def delete_model(self, request, obj):
        before, application = snapshot(obj, EXCEPTION_FIELDS), obj.application
        super().delete_model(request, obj)
        record(request.user, application, "admission.exception", before, {}, note=str(obj.rule))
        checks.refresh([application])

    def delete_queryset(self, request, queryset):
        for obj in queryset.select_related("application", "rule__program"):
            self.delete_model(request, obj)
