from django.urls import include, path

app_name = "surveys"

urlpatterns = [
    path("results/", include("daotao.surveys.urls_results")),
    path("outcomes/", include("daotao.surveys.urls_outcomes")),
]
