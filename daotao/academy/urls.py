"""The Academy's national dashboard (namespace ``academy:``), under /academy/."""

from django.urls import path

from daotao.academy import views

app_name = "academy"

urlpatterns = [
    path("", views.national, name="national"),
    path("<str:period>/<slug:chart>.xlsx", views.national_xlsx, name="national_xlsx"),
]
