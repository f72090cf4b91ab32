from django.urls import path

from daotao.teaching import views

app_name = "teaching"
urlpatterns = [
    path("my/", views.my_schedule, name="my"),
    path("report/", views.teaching_report, name="report"),
    path("cohorts/<int:cohort_id>/", views.cohort_timetable, name="cohort"),
    path("cohorts/<int:cohort_id>/organisation/", views.organisation, name="organisation"),
    path("lessons/<int:lesson_id>/attendance/", views.attendance, name="attendance"),
    path("lessons/<int:lesson_id>/log/", views.lecture_log, name="log"),
    path("field-trips/<int:trip_id>/report/", views.field_trip_report, name="field_trip_report"),
]
