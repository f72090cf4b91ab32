from django.urls import path

from daotao.essays import views

app_name = "essays"
urlpatterns = [
    path("my/", views.my_essay, name="my"),
    path("issues/", views.issue_bank, name="issues"),
    path("cohorts/<int:cohort_id>/", views.cohort_essays, name="cohort"),
]
