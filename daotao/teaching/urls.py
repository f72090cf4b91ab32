from django.urls import path

from daotao.teaching import calendar_views, organisation_views, record_views, report_views, timetable_views, views

app_name = "teaching"
urlpatterns = [
    path("my/", views.my_schedule, name="my"),
    path("report/", report_views.teaching_report, name="report"),
    path("calendar/", calendar_views.school_calendar, name="calendar"),
    path("my/feed/", calendar_views.calendar_feed_issue, name="feed_issue"),
    path("my/feed/revoke/", calendar_views.calendar_feed_revoke, name="feed_revoke"),
    path("feed/<str:key>.ics", calendar_views.calendar_feed, name="feed"),
    path("cohorts/<int:cohort_id>/", views.cohort_timetable, name="cohort"),
    path("cohorts/<int:cohort_id>/generate/", timetable_views.timetable_generate, name="generate"),
    path("lessons/<int:lesson_id>/edit/", views.lesson_edit, name="lesson_edit"),
    path("lessons/<int:lesson_id>/cancel/", views.lesson_cancel, name="lesson_cancel"),
    path("lessons/<int:lesson_id>/attendance/", record_views.attendance, name="attendance"),
    path("lessons/<int:lesson_id>/log/", record_views.lecture_log, name="log"),
    path("lessons/<int:lesson_id>/observe/", record_views.observation, name="observe"),
    path("cohorts/<int:cohort_id>/organisation/", organisation_views.organisation, name="organisation"),
    path("cohorts/<int:cohort_id>/organisation/homeroom/", organisation_views.homeroom_set, name="homeroom_set"),
    path("cohorts/<int:cohort_id>/assignments/", organisation_views.assignment_add, name="assignment_add"),
    path(
        "cohorts/<int:cohort_id>/assignments/<int:record_id>/remove/",
        organisation_views.assignment_remove,
        name="assignment_remove",
    ),
    path("cohorts/<int:cohort_id>/officers/", organisation_views.officer_add, name="officer_add"),
    path(
        "cohorts/<int:cohort_id>/officers/<int:record_id>/remove/",
        organisation_views.officer_remove,
        name="officer_remove",
    ),
    path("cohorts/<int:cohort_id>/committee/", organisation_views.committee_member_add, name="committee_add"),
    path(
        "cohorts/<int:cohort_id>/committee/<int:record_id>/remove/",
        organisation_views.committee_member_remove,
        name="committee_remove",
    ),
    path("cohorts/<int:cohort_id>/field-trips/", organisation_views.field_trip_add, name="field_trip_add"),
    path("field-trips/<int:trip_id>/edit/", organisation_views.field_trip_edit, name="field_trip_edit"),
    path("field-trips/<int:trip_id>/report/", organisation_views.field_trip_report, name="field_trip_report"),
]
