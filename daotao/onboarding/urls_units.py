"""The units workbook's pages (``/setup/units/``)."""

from django.urls import path

from daotao.onboarding import unit_views

urlpatterns = [
    path("", unit_views.units_import_page, name="units-import"),
    path("template.xlsx", unit_views.units_template, name="units-template"),
]
