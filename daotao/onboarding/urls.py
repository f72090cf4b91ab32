"""The set-up pages: the first administrator's checklist, the identity, and the workbooks
of what a school already holds (units, people, past records)."""

from django.urls import include, path

from daotao.onboarding import urls_history, urls_people, urls_units, views

app_name = "onboarding"

urlpatterns = [
    path("", views.checklist, name="checklist"),
    path("identity/", views.identity, name="identity"),
    path("units/", include(urls_units.urlpatterns)),
    path("people/", include(urls_people.urlpatterns)),
    path("history/", include(urls_history.urlpatterns)),
]
