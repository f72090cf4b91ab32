from django.contrib import admin
from django.core.exceptions import ValidationError

from daotao.reports.annual import summary_problem
from daotao.reports.models import ReportLine, ReportTemplate
from daotao.web.adminutils import BoundedSearchMixin, LoadedAutocompleteInlineMixin, LoadedInlineFormSet


class ReportLineFormSet(LoadedInlineFormSet):
    """Lines and the template's title and summary are saved together: every placeholder
    must name a line that remains (a deleted or renamed key would break the report)."""

    def clean(self):
        super().clean()
        keys = []
        for form in self.forms:
            if self._should_delete_form(form):
                continue
            # A user who may only view the lines gets forms without fields.
            key = form.cleaned_data.get("key") if "key" in form.fields else form.instance.key
            if key:
                keys.append(key)
        problem = summary_problem(self.instance.summary, self.instance.title, keys)
        if problem:
            raise ValidationError(problem)


class ReportLineInline(LoadedAutocompleteInlineMixin, admin.TabularInline):
    model = ReportLine
    formset = ReportLineFormSet
    fields = [
        "order",
        "key",
        "label",
        "level",
        "relation",
        "program_codes",
        "category",
        "mode",
        "funding",
        "locality",
        "show_students",
    ]
    autocomplete_fields = ["locality"]
    extra = 0


@admin.register(ReportTemplate)
class ReportTemplateAdmin(BoundedSearchMixin, admin.ModelAdmin):
    list_display = ["name", "code", "is_builtin"]
    search_fields = ["name", "code"]
    inlines = [ReportLineInline]
