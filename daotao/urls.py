from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from daotao.api.api import api
from daotao.cohorts import urls as cohorts_urls
from daotao.dashboards import cohort_hub
from daotao.dashboards import views as dashboards
from daotao.grading import verification_views
from daotao.school import views as school_views
from daotao.web import views as web_views
from daotao.web.files import public_media_urlpatterns

# An unexpected error, or the database out of reach, gets a page in Vietnamese (503 for the latter);
# so does a request refused as malformed or too large.
handler400 = "daotao.web.errors.bad_request"
handler403 = "daotao.web.errors.permission_denied"
handler404 = "daotao.web.errors.page_not_found"
handler500 = "daotao.web.errors.server_error"

admin.site.site_header = _("DaoTao administration")
admin.site.site_title = "DaoTao"
admin.site.index_title = _("Records of the school")

urlpatterns = [
    path("staff/dashboard/", include("daotao.dashboards.urls")),
    path("staff/", dashboards.home, name="home"),
    path("jobs/<str:job>/", web_views.job, name="job"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("daotao.accounts.urls")),
    path("reports/", include("daotao.reports.urls")),
    # A class's hub reads every app above cohorts: it joins the class list's addresses here.
    # A class code may hold a slash (e.g. TC-K25/2020), so the hub comes last.
    path(
        "cohorts/",
        include(([*cohorts_urls.urlpatterns, path("<path:code>/", cohort_hub.cohort_hub, name="detail")], "cohorts")),
    ),
    path("admissions/", include("daotao.admissions.urls")),
    path("planning/", include("daotao.planning.urls")),
    path("teaching/", include("daotao.teaching.urls")),
    path("grading/", include("daotao.grading.urls")),
    path("essays/", include("daotao.essays.urls")),
    path("workload/", include("daotao.workload.urls")),
    path("finance/", include("daotao.finance.urls")),
    path("exams/", include("daotao.exams.urls")),
    path("absence-warnings/", include("daotao.alerts.urls")),
    path("surveys/", include("daotao.surveys.urls")),
    path("results-back/", include("daotao.twoway.urls")),
    path("students/", include("daotao.records.urls")),
    path("students/", include("daotao.people.urls")),
    path("setup/", include("daotao.onboarding.urls")),
    path("audit/", include("daotao.audit.urls")),
    # The Academy's national dashboard (404 unless DAOTAO_ROLE=academy).
    path("academy/", include("daotao.academy.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("logo/<str:digest>/", school_views.logo, name="school-logo"),
    path("favicon.ico", web_views.favicon, name="favicon"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    # Anyone checks a printed credential by its code (the address in its QR code).
    path("xac-minh/", verification_views.verify_form, name="credential-verify-form"),
    path("xac-minh/<str:code>/", verification_views.verify, name="credential-verify"),
    # The public portal last: its addresses never shadow the staff pages, admin or API.
    path("", include("daotao.portal.urls")),
]
# The portal's uploaded images in development (DEBUG); the reverse proxy serves them otherwise.
# Private uploads are never served by address, in development either (daotao/web/files.py).
urlpatterns += public_media_urlpatterns()
