from django.urls import path

from daotao.planning import views

app_name = "planning"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_create, name="create"),
    path("<int:year>/", views.plan_detail, name="detail"),
    path("<int:year>/edit/", views.plan_edit, name="edit"),
    path("<int:year>/approve/", views.plan_approve, name="approve"),
    path("<int:year>/import/", views.plan_import, name="import"),
]
