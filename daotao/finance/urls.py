from django.urls import path

from daotao.finance import views

app_name = "finance"
urlpatterns = [
    path("", views.year_report, name="year"),
    path("cohorts/<int:cohort_id>/", views.cohort_finance, name="cohort"),
    path("cohorts/<int:cohort_id>/xlsx/", views.cohort_xlsx, name="cohort_xlsx"),
    path("cohorts/<int:cohort_id>/budget/", views.budget_edit, name="budget_edit"),
    path("cohorts/<int:cohort_id>/budget/settle/", views.budget_settle, name="budget_settle"),
    path("cohorts/<int:cohort_id>/fee/", views.fee_edit, name="fee_edit"),
    path("cohorts/<int:cohort_id>/payments/new/", views.payment_add, name="payment_add"),
    path("payments/<int:payment_id>/void/", views.payment_void, name="payment_void"),
    path("payments/<int:payment_id>/receipt.pdf", views.receipt, name="receipt"),
]
