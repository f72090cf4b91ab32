from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from daotao.org.models import Lecturer, Unit
from daotao.people.admin_search import FoldedSearchMixin
from daotao.web.adminutils import BoundedSearchMixin


@admin.register(Unit)
class UnitAdmin(BoundedSearchMixin, admin.ModelAdmin):
    list_display = ["code", "indented_name", "kind", "valid_from", "valid_to", "successor"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent", "successor"]
    list_select_related = ["successor"]
    ordering = ["path"]
    fields = ["code", "name", "kind", "parent", "valid_from", "valid_to", "successor"]

    @admin.display(description=_("name"), ordering="path")
    def indented_name(self, unit):
        depth = max(unit.path.count("/") - 2, 0)
        return "\u2003" * depth + unit.name


@admin.register(Lecturer)
class LecturerAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["full_name", "academic_title", "faculty", "email", "is_active"]
    list_filter = ["faculty", "is_active"]
    search_fields = ["full_name", "email"]
    folded_search_fields = ("search_key",)
    autocomplete_fields = ["user"]
    ordering = ["sort_key"]
    fields = ["full_name", "academic_title", "faculty", "email", "phone", "user", "is_active"]
