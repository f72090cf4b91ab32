"""The people workbook's pages (``/setup/people/``)."""

from django.urls import path

from daotao.onboarding import people_views

urlpatterns = [
    path("", people_views.people_import_page, name="people-import"),
    path("template.xlsx", people_views.people_template, name="people-template"),
]
