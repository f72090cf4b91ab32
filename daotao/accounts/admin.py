from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from daotao.accounts import roles
from daotao.accounts.models import ApiToken, User
from daotao.web.adminutils import BoundedSearchMixin


def role_label(group: Group) -> str:
    """A role's name as the school says it (the group's code otherwise)."""
    label = roles.ROLE_LABELS.get(group.name)
    return f"{label} ({group.name})" if label else group.name


@admin.register(User)
class UserAdmin(BoundedSearchMixin, BaseUserAdmin):
    """A user's role is a group; their scope is their unit (a coordinator's locality, an
    agency) or their own lecturer or student record (``scope.py``)."""

    # A name is written family first (``User.get_full_name``): the family and middle names
    # in ``last_name``, the given name in ``first_name``, asked in that order.
    fieldsets = (
        BaseUserAdmin.fieldsets[0],
        (BaseUserAdmin.fieldsets[1][0], {"fields": ("last_name", "first_name", "email")}),
        *BaseUserAdmin.fieldsets[2:],
        (_("Scope"), {"fields": ("unit",)}),
    )
    name_labels = {"last_name": _("Family and middle names"), "first_name": _("Given name")}
    list_display = ["username", "full_name", "roles", "unit", "is_staff", "is_active"]
    list_filter = ["groups", "is_staff", "is_active"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in self.name_labels:
            field.label = self.name_labels[db_field.name]
        return field

    @admin.display(description=_("full name"), ordering="first_name")
    def full_name(self, user):
        return user.get_full_name()

    @admin.display(description=_("Roles"))
    def roles(self, user):
        return ", ".join(role_label(group) for group in user.groups.all())

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups":
            field.label_from_instance = role_label
        return field


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
    """Roles: what each may do in the admin (``role_permissions.py`` is what ships)."""

    list_display = ["name", "role"]

    @admin.display(description=_("role"))
    def role(self, group):
        return roles.ROLE_LABELS.get(group.name, "")


# django-axes' sign-in records (attempts, lock-outs, sign-ins), with searches bounded like
# every other list here. Deleting an attempt lifts its lock-out.
def _bounded(model, axes_admin):
    admin.site.unregister(model)
    admin.site.register(model, type(axes_admin.__name__, (BoundedSearchMixin, axes_admin), {}))


if admin.site.is_registered(AccessAttempt):
    _bounded(AccessAttempt, AccessAttemptAdmin)
    _bounded(AccessLog, AccessLogAdmin)
    _bounded(AccessFailureLog, AccessFailureLogAdmin)
