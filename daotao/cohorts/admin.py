from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from daotao.cohorts.models import Cohort, Enrollment, counted_students
from daotao.org.validity import form_unit_check
from daotao.people.admin_search import FoldedSearchMixin
from daotao.web.adminutils import BoundedSearchMixin, LoadedAutocompleteInlineMixin, ScopedAdminMixin


class EnrollmentInline(LoadedAutocompleteInlineMixin, admin.TabularInline):
    model = Enrollment
    fields = ["student", "status", "notes"]
    autocomplete_fields = ["student"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("student__sort_key", "student_id")


class CohortForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        # The host must exist on the opening date (org/validity.py).
        form_unit_check(self, "host_locality", cleaned.get("opening_date"), dated_by=("opening_date",))
        return cleaned


@admin.register(Cohort)
class CohortAdmin(ScopedAdminMixin, BoundedSearchMixin, admin.ModelAdmin):
    form = CohortForm
    list_display = [
        "code",
        "name",
        "program",
        "mode",
        "funding",
        "host_locality",
        "opening_date",
        "closing_date",
        "status",
        "student_count",
    ]
    list_filter = ["status", "program", "mode", "funding", "plan_year"]
    search_fields = ["code", "name", "host_locality__name"]
    autocomplete_fields = ["program", "host_locality", "homeroom_lecturer"]
    date_hierarchy = "opening_date"
    list_select_related = ["program", "host_locality"]
    inlines = [EnrollmentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_students=counted_students())

    @admin.display(description=_("students"), ordering="_students")
    def student_count(self, cohort):
        return cohort._students


@admin.register(Enrollment)
class EnrollmentAdmin(ScopedAdminMixin, FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["student", "cohort", "status"]
    list_filter = ["status", "cohort__program"]
    search_fields = ["cohort__code"]
    person_search = "student__"
    autocomplete_fields = ["student", "cohort"]
    list_select_related = ["student", "cohort"]
