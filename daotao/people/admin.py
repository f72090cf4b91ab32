from django.apps import apps
from django.contrib import admin

from daotao.people.admin_search import FoldedSearchMixin
from daotao.people.models import Student
from daotao.web.adminutils import LoadedAutocompleteInlineMixin, ScopedAdminMixin


class EnrollmentInline(LoadedAutocompleteInlineMixin, admin.TabularInline):
    """The student's classes. ``cohorts.Enrollment`` is named, not imported: the cohorts app
    sits above people (an enrollment is of a student)."""

    model = apps.get_model("cohorts", "Enrollment")
    fields = ["cohort", "status", "notes"]
    autocomplete_fields = ["cohort"]
    extra = 0


@admin.register(Student)
class StudentAdmin(ScopedAdminMixin, FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["full_name", "national_id", "date_of_birth", "gender", "locality", "agency", "position"]
    list_filter = ["gender", "locality__kind"]
    search_fields = ["full_name"]
    person_search = ""
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
