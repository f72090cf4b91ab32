from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from daotao.org.models import Lecturer, Succession, Unit
from daotao.people.admin_search import FoldedSearchMixin
from daotao.web.adminutils import BoundedSearchMixin


class SuccessorInline(admin.TabularInline):
    """Where the unit went: one row per successor (several when it was split)."""

    model = Succession
    fk_name = "predecessor"
    fields = ["successor", "effective_date", "kind", "territory"]
    autocomplete_fields = ["successor"]
    extra = 0
    verbose_name = _("successor")
    verbose_name_plural = _("successors (from the effective date they see its running classes and students)")


class PredecessorInline(admin.TabularInline):
    """What the unit took over: one row per predecessor (several when units merged into it)."""

    model = Succession
    fk_name = "successor"
    fields = ["predecessor", "effective_date", "kind", "territory"]
    autocomplete_fields = ["predecessor"]
    extra = 0
    verbose_name = _("predecessor")
    verbose_name_plural = _("predecessors (units this one took over)")


@admin.register(Unit)
class UnitAdmin(BoundedSearchMixin, admin.ModelAdmin):
    list_display = ["code", "indented_name", "kind", "valid_from", "valid_to", "successor_names"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
    ordering = ["path"]
    fields = ["code", "name", "kind", "parent", "valid_from", "valid_to"]
    inlines = [SuccessorInline, PredecessorInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("successors")

    @admin.display(description=_("successors"))
    def successor_names(self, unit):
        return ", ".join(successor.name for successor in unit.successors.all())

    @admin.display(description=_("name"), ordering="path")
    def indented_name(self, unit):
        depth = max(unit.path.count("/") - 2, 0)
        return "\u2003" * depth + unit.name


@admin.register(Lecturer)
class LecturerAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["full_name", "academic_title", "faculty", "email", "is_visiting", "is_active"]
    list_filter = ["faculty", "is_visiting", "is_active"]
    search_fields = ["full_name", "email"]
    folded_search_fields = ("search_key",)
    autocomplete_fields = ["user"]
    ordering = ["sort_key"]
    fields = ["full_name", "academic_title", "faculty", "email", "phone", "user", "is_visiting", "is_active"]
