"""Editors write the news in the admin: articles with their images, categories, banners.

Only editors and superusers reach these pages, whatever model permissions a user holds.
"""

from django.contrib import admin, messages
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from daotao.accounts.access import is_editor
from daotao.people.admin_search import FoldedSearchMixin
from daotao.portal.models import Article, ArticleImage, ArticleStatus, Banner, Category, DailyVisits, VisitOffset
from daotao.web.adminutils import ReadOnlyAdminMixin, UploadLimitsMixin, UsersByNameMixin


class EditorOnlyMixin:
    """The model permissions of the user, and the editor role (or superuser) on top."""

    def has_module_permission(self, request):
        return is_editor(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_editor(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return is_editor(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return is_editor(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_editor(request.user) and super().has_delete_permission(request, obj)


class ArticleImageInline(EditorOnlyMixin, UploadLimitsMixin, admin.TabularInline):
    model = ArticleImage
    upload_limits = {"image": "DAOTAO_MAX_IMAGE_BYTES"}
    fields = ["image", "caption", "order"]
    extra = 1


@admin.register(Article)
class ArticleAdmin(UsersByNameMixin, EditorOnlyMixin, UploadLimitsMixin, FoldedSearchMixin, admin.ModelAdmin):
    upload_limits = {"cover_image": "DAOTAO_MAX_IMAGE_BYTES"}
    list_display = ["title", "category", "status", "published_at", "featured", "author", "view_count"]
    list_filter = ["status", "category", "featured", "published_at"]
    list_select_related = ["category", "author"]
    search_fields = ["title", "slug"]
    folded_search_fields = ("search_key",)
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    ordering = ["-published_at", "-id"]
    inlines = [ArticleImageInline]
    readonly_fields = ["view_count", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "category", "summary", "body"]}),
        (_("Cover"), {"fields": ["cover_image", "cover_caption"]}),
        (_("Publishing"), {"fields": ["status", "published_at", "featured"]}),
        (_("Record"), {"fields": ["author_shown", "view_count", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    actions = ["publish", "unpublish"]

    def view_on_site(self, obj):
        # Drafts and scheduled articles too: the preview is for editors and never cached.
        return reverse("portal:preview", args=[obj.pk])

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Publish the selected articles"), permissions=["change"])
    def publish(self, request, queryset):
        """Drafts go out now, or at their publish time when that is still to come."""
        now = timezone.now()
        drafts = queryset.filter(~Q(status=ArticleStatus.PUBLISHED))
        changed = drafts.filter(published_at__gt=now).update(status=ArticleStatus.PUBLISHED, updated_at=now)
        changed += drafts.update(status=ArticleStatus.PUBLISHED, published_at=now, updated_at=now)
        self.message_user(
            request,
            ngettext("%(count)d article published.", "%(count)d articles published.", changed) % {"count": changed},
            messages.SUCCESS,
        )

    @admin.action(description=_("Return the selected articles to draft"), permissions=["change"])
    def unpublish(self, request, queryset):
        changed = queryset.filter(status=ArticleStatus.PUBLISHED).update(
            status=ArticleStatus.DRAFT, updated_at=timezone.now()
        )
        self.message_user(
            request,
            ngettext("%(count)d article returned to draft.", "%(count)d articles returned to draft.", changed)
            % {"count": changed},
            messages.SUCCESS,
        )


@admin.register(Category)
class CategoryAdmin(EditorOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Banner)
class BannerAdmin(EditorOnlyMixin, UploadLimitsMixin, admin.ModelAdmin):
    upload_limits = {"image": "DAOTAO_MAX_IMAGE_BYTES"}
    list_display = ["title", "placement", "order", "starts_on", "ends_on", "shown_today"]
    list_editable = ["order"]
    list_filter = ["placement", "starts_on", "ends_on"]
    search_fields = ["title"]
    date_hierarchy = "starts_on"
    fields = ["title", "image", "link", "placement", "order", "starts_on", "ends_on"]

    @admin.display(boolean=True, description=_("shown today"))
    def shown_today(self, obj):
        return obj.is_active()


@admin.register(DailyVisits)
class DailyVisitsAdmin(ReadOnlyAdminMixin, EditorOnlyMixin, admin.ModelAdmin):
    """The counted visits, day by day: read only, they come from the visitors."""

    list_display = ["day", "visits"]
    date_hierarchy = "day"


@admin.register(VisitOffset)
class VisitOffsetAdmin(EditorOnlyMixin, admin.ModelAdmin):
    """The all-time figure starts from what the previous site had counted (one row)."""

    list_display = ["visits", "note"]

    def has_add_permission(self, request):
        return not VisitOffset.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False
