from django.urls import path

from daotao.planning import views

app_name = "planning"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_create, name="create"),
    path("<int:year>/", views.plan_detail, name="detail"),
    # The quota table as a document: one name each, so that every file is asked in the access matrix.
    path("<int:year>/quota.pdf", views.quota_document, {"fmt": "pdf"}, name="quota_pdf"),
    path("<int:year>/quota.docx", views.quota_document, {"fmt": "docx"}, name="quota_docx"),
    path("<int:year>/quota.xlsx", views.quota_document, {"fmt": "xlsx"}, name="quota_xlsx"),
    path("<int:year>/edit/", views.plan_edit, name="edit"),
    path("<int:year>/approve/", views.plan_approve, name="approve"),
    path("<int:year>/import/", views.plan_import, name="import"),
]
