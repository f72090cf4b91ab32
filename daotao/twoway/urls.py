from django.urls import path

from daotao.twoway import views

app_name = "twoway"

urlpatterns = [
    path("", views.pack_list, name="list"),
    path("classes/<int:cohort_id>/", views.cohort_packs, name="cohort"),
    path("classes/<int:cohort_id>/units/<int:unit_id>/", views.pack_detail, name="pack"),
    path("classes/<int:cohort_id>/units/<int:unit_id>.xlsx", views.pack_detail, {"fmt": "xlsx"}, name="pack_xlsx"),
    path("classes/<int:cohort_id>/units/<int:unit_id>.pdf", views.pack_detail, {"fmt": "pdf"}, name="pack_pdf"),
]
