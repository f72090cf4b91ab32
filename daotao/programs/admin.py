from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from daotao.programs.models import Assessment, Module, Program
from daotao.web.adminutils import BoundedSearchMixin


@admin.register(Program)
class ProgramAdmin(BoundedSearchMixin, admin.ModelAdmin):
    list_display = ["code", "name", "kind", "category", "duration_weeks", "is_active"]
    list_filter = ["kind", "category", "is_active"]
    search_fields = ["code", "name"]


class AssessmentFormSet(forms.BaseInlineFormSet):
    """A module's assessment scheme weighs 100% in all and has at most one final exam."""

    def clean(self):
        super().clean()
        kept = [form.cleaned_data for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        if not kept:
            return
        total = sum(row.get("weight") or 0 for row in kept)
        if total != 100:
            raise forms.ValidationError(
                _("The weights of the assessment scheme must add up to 100%% (now %(total)s%%).") % {"total": total}
            )
        if sum(1 for row in kept if row.get("is_exam")) > 1:
            raise forms.ValidationError(_("A module has at most one final exam."))


class AssessmentInline(admin.TabularInline):
    model = Assessment
    formset = AssessmentFormSet
    extra = 0
    fields = ["order", "name", "kind", "weight", "is_exam"]


@admin.register(Module)
class ModuleAdmin(BoundedSearchMixin, admin.ModelAdmin):
    list_display = ["code", "name", "program", "block", "kind", "periods", "order"]
    list_filter = ["program", "kind"]
    list_select_related = ["program"]
    search_fields = ["code", "name", "block"]
    ordering = ["program__code", "order", "code"]
    inlines = [AssessmentInline]
