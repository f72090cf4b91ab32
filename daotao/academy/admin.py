"""The Academy's staff keep the registered schools and their public keys here, and see the
packages imported (read-only: only ``import_figures`` writes them). Outside an Academy
installation these pages do not show, to anyone."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from daotao.academy.access import is_academy
from daotao.academy.models import FiguresPackage, RegisteredSchool
from daotao.web.adminutils import BoundedSearchMixin, ReadOnlyAdminMixin, UsersByNameMixin


class AcademyOnlyMixin:
    """No permission at all outside an Academy installation (``DAOTAO_ROLE=academy``)."""

    def has_module_permission(self, request):
        return is_academy() and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_academy() and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return is_academy() and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return is_academy() and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_academy() and super().has_delete_permission(request, obj)


@admin.register(RegisteredSchool)
class RegisteredSchoolAdmin(AcademyOnlyMixin, BoundedSearchMixin, admin.ModelAdmin):
    list_display = ["code", "name", "province", "key_id", "active", "packages_count"]
    list_filter = ["active"]
    search_fields = ["code", "name", "province", "key_id"]
    fields = ["code", "name", "province", "public_key", "key_id", "active", "registered_at"]
    readonly_fields = ["key_id", "registered_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(packages_count=Count("packages"))

    @admin.display(description=_("packages imported"), ordering="packages_count")
    def packages_count(self, school):
        return school.packages_count


@admin.register(FiguresPackage)
class FiguresPackageAdmin(AcademyOnlyMixin, ReadOnlyAdminMixin, UsersByNameMixin, admin.ModelAdmin):
    list_display = ["school", "period_from", "period_to", "created_at", "imported_at", "imported_by_shown"]
    list_select_related = ["school", "imported_by"]
    list_filter = ["calendar_year", "school"]
    fields = [
        "school", "period_from", "period_to", "calendar_year", "created_at", "imported_at", "imported_by",
        "key_id", "sha256",
    ]  # fmt: skip
    readonly_fields = fields
