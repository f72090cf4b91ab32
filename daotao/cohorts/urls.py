from django.urls import path

from daotao.cohorts import views

app_name = "cohorts"
urlpatterns = [
    path("", views.cohort_list, name="list"),
    path("import/", views.cohort_import, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("<str:code>/", views.cohort_detail, name="detail"),
]
