from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template import loader

from daotao.accounts.access import staff_required
from daotao.accounts.scope import scope_of
from daotao.cohorts.models import Cohort, CohortStatus, Enrollment
from daotao.people.models import Student
from daotao.web.uploads import request_too_large


def home(request):
    """Where signing in leads: lecturers to their schedule, students to their results,
    staff to the overview."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    scope = scope_of(request.user)
    if scope.lecturer_id is not None:
        return redirect("teaching:my")
    if scope.student_id is not None:
        return redirect("grading:my")
    return overview(request)


@staff_required
def overview(request):
    """The staff overview: what the user's scope holds right now."""
    user = request.user
    scope = scope_of(user)
    context = {
        "scope_unit": user.unit if not scope.everything else None,
        "open_cohorts": Cohort.objects.visible_to(user).filter(status=CohortStatus.OPEN).count(),
        "cohorts": Cohort.objects.visible_to(user).counted().count(),
        "students": Student.objects.visible_to(user).count(),
        "enrollments": Enrollment.objects.visible_to(user).counted().count(),
        "recent": Cohort.objects.visible_to(user).counted().select_related("program", "host_locality")[:10],
    }
    return render(request, "web/home.html", context)


def bad_request(request, exception):
    """A request Django refuses as malformed (400), with a page in the visitor's language;
    form fields other than files over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` get the too-large
    page (413)."""
    if isinstance(exception, RequestDataTooBig):
        return request_too_large(None, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    return HttpResponseBadRequest(loader.render_to_string("400.html", {"school": settings.DAOTAO_SCHOOL}))


def server_error(request):
    """The page for an unexpected error. When the database cannot be reached (restarting,
    network, disk), people are told so and to try again shortly (503), not shown a bare
    error; nothing on this page needs the database."""
    import logging
    import sys

    from django.db import DatabaseError, InterfaceError, OperationalError
    from django.http import HttpResponse, HttpResponseServerError
    from django.template import loader

    error = sys.exc_info()[1]
    unavailable = isinstance(error, OperationalError | InterfaceError) or (
        isinstance(error, DatabaseError) and "connection" in str(error).lower()
    )
    template = loader.get_template("web/unavailable.html" if unavailable else "500.html")
    body = template.render({"school": settings.DAOTAO_SCHOOL})
    if unavailable:
        logging.getLogger("daotao").error("Database unavailable: %s", error)
        response = HttpResponse(body, status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponseServerError(body)
