from django.urls import include, path

from daotao.surveys import coverage_views, views

app_name = "surveys"

urlpatterns = [
    path("s/<str:token>/", views.answer, name="answer"),
    path("thanks/", views.thanks, name="thanks"),
    path("coverage/", coverage_views.coverage, name="coverage"),
    path("results/", include("daotao.surveys.urls_results")),
    path("outcomes/", include("daotao.surveys.urls_outcomes")),
]
