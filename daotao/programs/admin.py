from django.contrib import admin

from daotao.programs.models import Program


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "category", "duration_weeks", "is_active"]
    list_filter = ["kind", "category", "is_active"]
    search_fields = ["code", "name"]
