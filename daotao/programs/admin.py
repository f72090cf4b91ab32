from django.contrib import admin

from daotao.programs.models import Program
from daotao.web.adminutils import BoundedSearchMixin


@admin.register(Program)
class ProgramAdmin(BoundedSearchMixin, admin.ModelAdmin):
    list_display = ["code", "name", "kind", "category", "duration_weeks", "is_active"]
    list_filter = ["kind", "category", "is_active"]
    search_fields = ["code", "name"]
