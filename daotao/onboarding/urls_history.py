"""The past-records workbook's pages (``/setup/history/``)."""

from django.urls import path

from daotao.onboarding import history_views

urlpatterns = [
    path("", history_views.history_import_page, name="history-import"),
    path("template.xlsx", history_views.history_template, name="history-template"),
]
