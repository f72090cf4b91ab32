from django.urls import path

from daotao.workload import views

app_name = "workload"
urlpatterns = [
    path("", views.report, name="report"),
    path("mine/", views.mine, name="mine"),
]
