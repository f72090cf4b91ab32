"""Back office of the topic bank and the essays. Marks and scores change only through the
essay pages' services (audited), so they are read-only here."""

from django.contrib import admin

from daotao.essays.models import Essay, LocalIssue
from daotao.web.adminutils import FoldedSearchMixin


@admin.register(LocalIssue)
class LocalIssueAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["title", "locality", "year", "status"]
    list_select_related = ["locality"]
    list_filter = ["status", "year"]
    search_fields = ["title"]
    folded_search_fields = ("search_key",)
    raw_id_fields = ["locality", "proposed_by"]


@admin.register(Essay)
class EssayAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["title", "enrollment", "status", "score"]
    list_select_related = ["enrollment__student", "enrollment__cohort"]
    list_filter = ["status"]
    search_fields = ["title", "enrollment__cohort__code"]
    folded_search_fields = ("title_key", "enrollment__student__search_key")
    raw_id_fields = ["enrollment", "local_issue", "supervisor", "first_grader", "second_grader"]
    readonly_fields = ["first_score", "second_score", "score", "status", "similar"]
