"""Back office of teaching: the holiday calendar, assignments, lessons with their log and attendance exceptions,
observations, the class's organisation and field trips. Each list shows only what the
user may see (``visible_to``) and reads its related rows in the same query. The database
refuses a lecturer or a class booked twice at once, and the admin form shows it; the
pages under ``/teaching/`` give the clearer message and are the usual way to schedule."""

from django.contrib import admin

from daotao.people.admin_search import FoldedSearchMixin
from daotao.teaching.models import (
    Attendance,
    ClassOfficer,
    FieldTrip,
    Holiday,
    LectureLog,
    Lesson,
    PeerObservation,
    Room,
    SteeringCommitteeMember,
    TeachingAssignment,
    Unavailability,
)
from daotao.web.adminutils import (
    BoundedSearchMixin,
    LoadedAutocompleteInlineMixin,
    ScopedAdminMixin,
    UploadLimitsMixin,
    UsersByNameMixin,
)


@admin.register(TeachingAssignment)
class TeachingAssignmentAdmin(ScopedAdminMixin, FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["cohort", "module", "lecturer"]
    list_select_related = ["cohort", "module", "lecturer"]
    list_filter = ["cohort__program", "lecturer__faculty"]
    search_fields = ["cohort__code", "module__code", "module__name"]
    folded_search_fields = ("lecturer__search_key",)
    autocomplete_fields = ["cohort", "module", "lecturer"]


class LectureLogInline(UsersByNameMixin, admin.StackedInline):
    model = LectureLog
    fields = ["methods", "content", "uses_active_methods", "recorded_by", "recorded_at"]
    readonly_fields = ["uses_active_methods", "recorded_at"]
    extra = 0
    max_num = 1


class AttendanceInline(LoadedAutocompleteInlineMixin, admin.TabularInline):
    model = Attendance
    fields = ["enrollment", "status", "note"]
    autocomplete_fields = ["enrollment"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("enrollment__student", "enrollment__cohort")


@admin.register(Holiday)
class HolidayAdmin(BoundedSearchMixin, admin.ModelAdmin):
    """The yearly holiday calendar: not the record of any class, so every training office
    user sees it whole."""

    list_display = ["name", "first_day", "last_day"]
    date_hierarchy = "first_day"
    search_fields = ["name"]


@admin.register(Room)
class RoomAdmin(BoundedSearchMixin, admin.ModelAdmin):
    """Rooms at the school and at the localities' centres, with their capacities: shared
    by every class, so every training office user sees them whole."""

    list_display = ["name", "centre", "capacity", "is_active"]
    list_select_related = ["centre"]
    list_filter = ["is_active", "centre"]
    search_fields = ["name"]
    autocomplete_fields = ["centre"]


@admin.register(Unavailability)
class UnavailabilityAdmin(FoldedSearchMixin, admin.ModelAdmin):
    """Days a lecturer cannot teach, which timetables are laid out around."""

    list_display = ["lecturer", "first_day", "last_day", "reason"]
    list_select_related = ["lecturer"]
    list_filter = ["lecturer__faculty"]
    date_hierarchy = "first_day"
    search_fields = ["reason"]
    folded_search_fields = ("lecturer__search_key",)
    autocomplete_fields = ["lecturer"]


@admin.register(Lesson)
class LessonAdmin(ScopedAdminMixin, FoldedSearchMixin, admin.ModelAdmin):
    list_display = [
        "date",
        "session",
        "cohort",
        "module",
        "lecturer",
        "periods",
        "place",
        "attendance_taken_at",
        "uses_active_methods",
    ]
    list_select_related = ["cohort", "module", "lecturer", "log"]
    list_filter = ["session", "place", "cohort__program", "lecturer__faculty", "log__uses_active_methods"]
    date_hierarchy = "date"
    search_fields = ["cohort__code", "module__code", "topic"]
    folded_search_fields = ("lecturer__search_key",)
    autocomplete_fields = ["cohort", "module", "lecturer", "room"]
    readonly_fields = ["attendance_taken_at"]
    inlines = [LectureLogInline, AttendanceInline]

    @admin.display(boolean=True, description=LectureLog._meta.get_field("uses_active_methods").verbose_name)
    def uses_active_methods(self, lesson):
        log = getattr(lesson, "log", None)
        return None if log is None else log.uses_active_methods


@admin.register(PeerObservation)
class PeerObservationAdmin(ScopedAdminMixin, FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["lesson", "observer", "rating"]
    list_select_related = ["lesson__cohort", "lesson__module", "observer"]
    list_filter = ["rating", "observer__faculty"]
    autocomplete_fields = ["lesson", "observer"]
    search_fields = ["lesson__cohort__code"]
    folded_search_fields = ("observer__search_key", "lesson__lecturer__search_key")


@admin.register(ClassOfficer)
class ClassOfficerAdmin(ScopedAdminMixin, FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["enrollment", "role"]
    list_select_related = ["enrollment__student", "enrollment__cohort"]
    list_filter = ["role"]
    autocomplete_fields = ["enrollment"]
    search_fields = ["enrollment__cohort__code"]
    person_search = "enrollment__student__"


@admin.register(SteeringCommitteeMember)
class SteeringCommitteeMemberAdmin(ScopedAdminMixin, BoundedSearchMixin, admin.ModelAdmin):
    list_display = ["full_name", "position", "cohort", "side", "role"]
    list_select_related = ["cohort"]
    list_filter = ["side", "role"]
    autocomplete_fields = ["cohort", "lecturer"]
    search_fields = ["full_name", "position", "cohort__code"]


@admin.register(FieldTrip)
class FieldTripAdmin(ScopedAdminMixin, UploadLimitsMixin, BoundedSearchMixin, admin.ModelAdmin):
    upload_limits = {"report": "DAOTAO_MAX_REPORT_BYTES"}
    list_display = ["cohort", "locality", "place", "start_date", "end_date"]
    list_select_related = ["cohort", "locality"]
    list_filter = [("locality", admin.RelatedOnlyFieldListFilter)]
    date_hierarchy = "start_date"
    autocomplete_fields = ["cohort", "locality", "topics"]
    search_fields = ["cohort__code", "place", "locality__name"]
