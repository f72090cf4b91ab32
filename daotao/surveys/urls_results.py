"""Results of survey rounds (namespace surveys:)."""

from django.urls import path

from daotao.surveys import results_views

urlpatterns = [
    path("", results_views.results_list, name="results_list"),
    path("compare/", results_views.results_compare, name="results_compare"),
    path("<int:round_id>/", results_views.results_round, name="results_round"),
    path("<int:round_id>.xlsx", results_views.results_round, {"fmt": "xlsx"}, name="results_round_xlsx"),
    path("<int:round_id>.pdf", results_views.results_round, {"fmt": "pdf"}, name="results_round_pdf"),
]
