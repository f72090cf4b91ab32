from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from daotao.audit.models import AuditEntry, ImportRecord
from daotao.web.adminutils import BoundedSearchMixin, ReadOnlyAdminMixin, UsersByNameMixin


@admin.register(AuditEntry)
class AuditEntryAdmin(UsersByNameMixin, ReadOnlyAdminMixin, BoundedSearchMixin, admin.ModelAdmin):
    """Read-only: entries are added by the code that makes the change, never edited."""

    list_display = ["at", "username", "action", "content_type", "object_repr"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "username", "object_id"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]


@admin.register(ImportRecord)
class ImportRecordAdmin(UsersByNameMixin, ReadOnlyAdminMixin, BoundedSearchMixin, admin.ModelAdmin):
    """Read-only: a record is written by the import itself. The stored file is never linked
    by its storage address: the training office downloads it through ``audit:import_file``."""

    list_display = ["at", "username", "kind", "file_name", "target", "outcome", "dry_run", "created", "updated"]
    list_filter = ["kind", "outcome", "dry_run", "channel"]
    search_fields = ["file_name", "username", "target", "sha256"]
    date_hierarchy = "at"
    fields = [
        "at", "username", "user", "kind", "channel", "target", "dry_run", "outcome", "problems",
        "file_name", "download", "sha256", "size", "created", "updated", "unchanged", "counts",
    ]  # fmt: skip
    readonly_fields = fields

    @admin.display(description=_("stored file"))
    def download(self, record):
        """A link to the view that checks who asks (the training office)."""
        if not record.file:
            return "-"
        return format_html('<a href="{}">{}</a>', reverse("audit:import_file", args=[record.pk]), _("Download"))
