from django.contrib import admin

from daotao.audit.models import AuditEntry
from daotao.web.adminutils import BoundedSearchMixin, ReadOnlyAdminMixin, UsersByNameMixin


@admin.register(AuditEntry)
class AuditEntryAdmin(UsersByNameMixin, ReadOnlyAdminMixin, BoundedSearchMixin, admin.ModelAdmin):
    """Read-only: entries are added by the code that makes the change, never edited."""

    list_display = ["at", "username", "action", "content_type", "object_repr"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "username", "object_id"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
