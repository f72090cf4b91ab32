"""The log of results packs sent, read-only: packs are sent only from the class's page and
by the automatic sending, so that each row says what really went out."""

from django.contrib import admin

from daotao.grading.admin import ReadOnlyAdmin
from daotao.twoway.models import ResultPackDispatch
from daotao.web.adminutils import ScopedAdminMixin, UsersByNameMixin


@admin.register(ResultPackDispatch)
class ResultPackDispatchAdmin(UsersByNameMixin, ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ["sent_at", "cohort", "unit", "recipients", "students", "trigger", "sent_by"]
    list_select_related = ["cohort", "unit", "sent_by"]
    list_filter = ["trigger", "sent_at"]
    search_fields = ["cohort__code", "unit__name", "unit__code", "recipients"]
    date_hierarchy = "sent_at"
    fields = ["cohort", "unit", "recipients", "students", "attachments", "trigger", "sent_by", "sent_at"]
    readonly_fields = fields
