from django.urls import path

from daotao.people import views

app_name = "people"
urlpatterns = [
    path("", views.student_list, name="students"),
]
