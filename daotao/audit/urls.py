from django.urls import path

from daotao.audit import views

app_name = "audit"
urlpatterns = [
    path("imports/<int:import_id>/file/", views.import_file, name="import_file"),
]
