from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from daotao.accounts.models import ApiToken, User
from daotao.web.adminutils import BoundedSearchMixin


@admin.register(User)
class UserAdmin(BoundedSearchMixin, BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Scope"), {"fields": ("unit",)}))
    list_display = ["username", "first_name", "last_name", "unit", "is_staff", "is_active"]
    list_filter = ["groups", "is_staff", "is_active"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]


@admin.register(ApiToken)
class ApiTokenAdmin(BoundedSearchMixin, admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at"]
    search_fields = ["name", "user__username"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False  # keys are issued from the profile page or create_api_token


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(BoundedSearchMixin, BaseGroupAdmin):
    pass


# django-axes' sign-in records (attempts, lock-outs, sign-ins), with searches bounded like
# every other list here. Deleting an attempt lifts its lock-out.
def _bounded(model, axes_admin):
    admin.site.unregister(model)
    admin.site.register(model, type(axes_admin.__name__, (BoundedSearchMixin, axes_admin), {}))


if admin.site.is_registered(AccessAttempt):
    _bounded(AccessAttempt, AccessAttemptAdmin)
    _bounded(AccessLog, AccessLogAdmin)
    _bounded(AccessFailureLog, AccessFailureLogAdmin)
