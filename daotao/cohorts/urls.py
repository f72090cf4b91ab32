from django.urls import path

from daotao.cohorts import views

app_name = "cohorts"
urlpatterns = [
    path("", views.cohort_list, name="list"),
    path("import/", views.cohort_import, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    # A class code may hold a slash (e.g. TC-K25/2020).
    path("<path:code>/", views.cohort_detail, name="detail"),
]
