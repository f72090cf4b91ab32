"""Grade sheets (``urls_sheet``) and graduation, the register and cohort results
(``urls_graduation``) under /grading/."""

from daotao.grading import urls_graduation, urls_sheet

app_name = "grading"
urlpatterns = urls_sheet.urlpatterns + urls_graduation.urlpatterns
