"""Back office of the money of classes: the payments and their receipts, shown and never
changed here (the finance pages record and void them, audited)."""

from django.contrib import admin

from daotao.finance.models import Payment
from daotao.people.admin_search import FoldedSearchMixin
from daotao.web.adminutils import ReadOnlyAdminMixin, ScopedAdminMixin, UsersByNameMixin


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, UsersByNameMixin, FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["__str__", "register", "enrollment", "amount", "paid_on", "voided_at", "recorded_by"]
    list_select_related = ["enrollment__student", "enrollment__cohort", "recorded_by"]
    list_filter = ["year", "register"]
    search_fields = ["enrollment__cohort__code"]
    person_search = "enrollment__student__"
