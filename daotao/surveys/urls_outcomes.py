"""Career outcomes of graduates (namespace surveys:)."""

from django.urls import path

from daotao.surveys import outcome_views

urlpatterns = [
    path("", outcome_views.event_list, name="outcome_list"),
    path("add/", outcome_views.event_add, name="outcome_add"),
    path("student/<int:student_id>/", outcome_views.student_events, name="outcome_student"),
    path("<int:event_id>/delete/", outcome_views.event_delete, name="outcome_delete"),
    path("import/", outcome_views.event_import, name="outcome_import"),
    path("import/template.xlsx", outcome_views.import_template, name="outcome_import_template"),
    path("report/", outcome_views.report, name="outcome_report"),
    path("report.xlsx", outcome_views.report_xlsx, name="outcome_report_xlsx"),
]
