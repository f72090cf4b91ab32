from django.urls import path

from daotao.grading import sheet_views

urlpatterns = [
    path("my/", sheet_views.my_results, name="my"),
    path("cohorts/<int:cohort_id>/", sheet_views.cohort_overview, name="cohort"),
    path("cohorts/<int:cohort_id>/modules/<int:module_id>/", sheet_views.sheet, name="sheet"),
    path("cohorts/<int:cohort_id>/modules/<int:module_id>/cell/", sheet_views.cell, name="cell"),
    path("cohorts/<int:cohort_id>/modules/<int:module_id>/grades.xlsx", sheet_views.sheet_export, name="sheet_export"),
    path("cohorts/<int:cohort_id>/modules/<int:module_id>/import/", sheet_views.sheet_import, name="sheet_import"),
    path("grades/<int:grade_id>/history/", sheet_views.cell_history, name="cell_history"),
]
