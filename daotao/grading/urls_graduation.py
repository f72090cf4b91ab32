from django.urls import path

from daotao.grading import blank_form_views, graduation_views

urlpatterns = [
    path("cohorts/<int:cohort_id>/report/", graduation_views.report, name="report"),
    path("cohorts/<int:cohort_id>/report.xlsx", graduation_views.report, {"fmt": "xlsx"}, name="report_xlsx"),
    path("cohorts/<int:cohort_id>/report.pdf", graduation_views.report, {"fmt": "pdf"}, name="report_pdf"),
    path("cohorts/<int:cohort_id>/graduation/", graduation_views.decide, name="decide"),
    path("cohorts/<int:cohort_id>/decisions/", graduation_views.decisions, name="decisions"),
    path("cohorts/<int:cohort_id>/decisions/<int:decision_id>.pdf", graduation_views.decision_pdf, name="decision_pdf"),
    path("graduates/<int:entry_id>/", graduation_views.entry, name="entry"),
    path("register/", graduation_views.register_list, name="register"),
    path("register/<int:credential_id>/", graduation_views.credential_detail, name="credential"),
    path("register/<int:credential_id>/print/", graduation_views.credential_print, name="credential_print"),
    path("register/<int:credential_id>/reprint/", blank_form_views.reprint, name="credential_reprint"),
    path("blank-forms/", blank_form_views.stock, name="blank_forms"),
    path("blank-forms.xlsx", blank_form_views.stock_xlsx, name="blank_forms_xlsx"),
    path("blank-forms/batches/", blank_form_views.batches, name="blank_form_batches"),
    path("blank-forms/spoiled-or-voided/", blank_form_views.mark, name="blank_form_mark"),
]
