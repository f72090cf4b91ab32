"""/students/<id>/: a cadre's training record (by the record's id, never the national ID:
``views.student_record``)."""

from django.urls import path

from daotao.records import views

app_name = "records"
urlpatterns = [
    path("<int:student_id>/", views.student_record, name="student"),
    path("<int:student_id>.xlsx", views.student_record_xlsx, name="student_xlsx"),
]
