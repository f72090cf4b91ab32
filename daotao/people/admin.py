from django.contrib import admin

from daotao.cohorts.models import Enrollment
from daotao.people.models import Student
from daotao.web.adminutils import FoldedSearchMixin, LoadedAutocompleteInlineMixin, ScopedAdminMixin


class EnrollmentInline(LoadedAutocompleteInlineMixin, admin.TabularInline):
    model = Enrollment
    fields = ["cohort", "status", "notes"]
    autocomplete_fields = ["cohort"]
    extra = 0


@admin.register(Student)
class StudentAdmin(ScopedAdminMixin, FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["full_name", "national_id", "date_of_birth", "gender", "locality", "agency", "position"]
    list_filter = ["gender", "locality__kind"]
    search_fields = ["national_id"]
    folded_search_fields = ("search_key",)
    autocomplete_fields = ["locality", "agency"]
    ordering = ["sort_key"]
    list_select_related = ["locality", "agency"]
    inlines = [EnrollmentInline]
    fields = [
        "full_name",
        "national_id",
        "date_of_birth",
        "gender",
        "ethnicity",
        "phone",
        "email",
        "position",
        "workplace",
        "locality",
        "agency",
    ]
