"""Admissions pages. ``views`` holds the application pages and placement,
``import_views`` the xlsx import of nominations, ``quota_views`` the quota progress."""

from django.urls import path

from daotao.admissions import import_views, quota_views, views

app_name = "admissions"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/", views.application_new, name="new"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/edit/", views.application_edit, name="edit"),
    path("<int:pk>/documents/", views.application_documents, name="documents"),
    path("<int:pk>/documents/<int:document_pk>/file", views.document_file, name="document-file"),
    path("<int:pk>/decision/", views.application_decision, name="decision"),
    path("<int:pk>/exception/", views.application_exception, name="exception"),
    path("placement/", views.placement, name="placement"),
    path("import/", import_views.import_applications, name="import"),
    path("import/template.xlsx", import_views.import_template, name="import-template"),
    path("quota/", quota_views.quota_progress, name="quota"),
    path("quota/<int:year>.xlsx", quota_views.quota_progress_xlsx, name="quota-xlsx"),
]
