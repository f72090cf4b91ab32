from django.urls import path

from daotao.alerts import views

app_name = "alerts"
urlpatterns = [
    path("", views.at_risk, name="list"),
]
