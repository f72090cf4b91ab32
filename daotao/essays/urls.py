from django.urls import path

from daotao.essays import views

app_name = "essays"
urlpatterns = [
    path("my/", views.my_essay, name="my"),
    path("assigned/", views.assigned_essays, name="assigned"),
    path("issues/", views.issue_bank, name="issues"),
    path("issues/<int:issue_id>/approve/", views.issue_status, {"action": "approve"}, name="issue_approve"),
    path("issues/<int:issue_id>/retire/", views.issue_status, {"action": "retire"}, name="issue_retire"),
    path("cohorts/<int:cohort_id>/", views.cohort_essays, name="cohort"),
    path("<int:essay_id>/", views.essay_detail, name="detail"),
    path("<int:essay_id>/file/", views.essay_file, name="file"),
]
