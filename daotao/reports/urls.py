from django.urls import path

from daotao.reports import views

app_name = "reports"
urlpatterns = [
    path("annual/", views.annual, name="annual"),
    path("annual/<int:year>.<str:fmt>", views.annual_download, name="annual_download"),
]
