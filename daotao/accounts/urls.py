from django.urls import path

from daotao.accounts import views

urlpatterns = [
    path("profile/", views.profile, name="profile"),
]
