"""Back office of teaching: assignments, lessons, the class's organisation and field trips.
The database refuses a lecturer or a class booked twice at once, and the admin shows it."""

from django.contrib import admin

from daotao.teaching.models import (
    ClassOfficer,
    FieldTrip,
    Lesson,
    PeerObservation,
    SteeringCommitteeMember,
    TeachingAssignment,
)
from daotao.web.adminutils import BoundedSearchMixin


@admin.register(TeachingAssignment)
class TeachingAssignmentAdmin(BoundedSearchMixin, admin.ModelAdmin):
    list_display = ["cohort", "module", "lecturer"]
    list_select_related = ["cohort", "module", "lecturer"]
    list_filter = ["cohort__program"]
    search_fields = ["cohort__code", "module__code", "lecturer__full_name"]
    raw_id_fields = ["cohort", "module", "lecturer"]


@admin.register(Lesson)
class LessonAdmin(BoundedSearchMixin, admin.ModelAdmin):
    list_display = ["date", "session", "cohort", "module", "lecturer", "periods", "place", "attendance_taken_at"]
    list_select_related = ["cohort", "module", "lecturer"]
    list_filter = ["session", "place", "cohort__program"]
    date_hierarchy = "date"
    search_fields = ["cohort__code", "module__code", "lecturer__full_name"]
    raw_id_fields = ["cohort", "module", "lecturer"]
    readonly_fields = ["attendance_taken_at"]


@admin.register(PeerObservation)
class PeerObservationAdmin(BoundedSearchMixin, admin.ModelAdmin):
    list_display = ["lesson", "observer", "rating"]
    list_select_related = ["lesson__cohort", "lesson__module", "observer"]
    list_filter = ["rating"]
    raw_id_fields = ["lesson", "observer"]
    search_fields = ["observer__full_name", "lesson__cohort__code"]


@admin.register(ClassOfficer)
class ClassOfficerAdmin(BoundedSearchMixin, admin.ModelAdmin):
    list_display = ["enrollment", "role"]
    list_select_related = ["enrollment__student", "enrollment__cohort"]
    list_filter = ["role"]
    raw_id_fields = ["enrollment"]
    search_fields = ["enrollment__cohort__code", "enrollment__student__full_name"]


@admin.register(SteeringCommitteeMember)
class SteeringCommitteeMemberAdmin(BoundedSearchMixin, admin.ModelAdmin):
    list_display = ["full_name", "position", "cohort", "side", "role"]
    list_select_related = ["cohort"]
    list_filter = ["side", "role"]
    raw_id_fields = ["cohort", "lecturer"]
    search_fields = ["full_name", "cohort__code"]


@admin.register(FieldTrip)
class FieldTripAdmin(BoundedSearchMixin, admin.ModelAdmin):
    list_display = ["cohort", "locality", "place", "start_date", "end_date"]
    list_select_related = ["cohort", "locality"]
    raw_id_fields = ["cohort", "locality"]
    filter_horizontal = ["topics"]
    search_fields = ["cohort__code", "place"]
