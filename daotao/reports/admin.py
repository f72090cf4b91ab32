from django.contrib import admin

from daotao.reports.models import ReportLine, ReportTemplate


class ReportLineInline(admin.TabularInline):
    model = ReportLine
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
class ReportTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_builtin"]
    search_fields = ["name", "code"]
    inlines = [ReportLineInline]
