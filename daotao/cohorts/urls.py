"""The class list and the import. A class's own page, ``cohorts:detail`` (the class hub), is
added by ``daotao/urls.py`` from ``daotao.dashboards``: it reads every app above this one."""

from django.urls import path

from daotao.cohorts import views

app_name = "cohorts"
urlpatterns = [
    path("", views.cohort_list, name="list"),
    path("import/", views.cohort_import, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
]
