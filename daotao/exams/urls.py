from django.urls import path

from daotao.exams import views

app_name = "exams"
urlpatterns = [
    path("cohorts/<int:cohort_id>/", views.cohort_exams, name="cohort"),
    path("<int:exam_id>/", views.exam_detail, name="detail"),
    path("<int:exam_id>/marking/", views.marking, name="marking"),
    path("<int:exam_id>/candidates.pdf", views.candidates_pdf, name="candidates_pdf"),
    path("<int:exam_id>/slips.pdf", views.slips_pdf, name="slips_pdf"),
]
