from django.urls import path

from daotao.grading import graduation_views

urlpatterns = [
    path("cohorts/<int:cohort_id>/report/", graduation_views.report, name="report"),
    path("cohorts/<int:cohort_id>/report.xlsx", graduation_views.report, {"fmt": "xlsx"}, name="report_xlsx"),
    path("cohorts/<int:cohort_id>/report.pdf", graduation_views.report, {"fmt": "pdf"}, name="report_pdf"),
    path("cohorts/<int:cohort_id>/graduation/", graduation_views.decide, name="decide"),
    path("cohorts/<int:cohort_id>/decisions/", graduation_views.decisions, name="decisions"),
    path("graduates/<int:entry_id>/", graduation_views.entry, name="entry"),
    path("register/", graduation_views.register_list, name="register"),
    path("register/<int:credential_id>/", graduation_views.credential_detail, name="credential"),
    path("register/<int:credential_id>/print/", graduation_views.credential_print, name="credential_print"),
]
