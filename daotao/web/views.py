from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.templatetags.static import static

from daotao.accounts.access import staff_required
from daotao.accounts.scope import scope_of
from daotao.cohorts.models import Cohort, CohortStatus, Enrollment
from daotao.people.models import Student
from daotao.web import jobs


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


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: the school's logo."""
    return redirect(static(settings.DAOTAO_SCHOOL["logo"]), permanent=True)


@login_required
def job(request, job):
    """A background import's progress, then its outcome (``daotao.web.jobs``); the page
    polls the partial with HTMX while the job runs. Another user's job is not found."""
    state = jobs.state(request.user, job)
    if state is None:
        raise Http404
    total = state.get("total") or 0
    context = {"job": job, "state": state, "percent": round(100 * state.get("done", 0) / total) if total else 0}
    if request.headers.get("HX-Request"):
        return render(request, "web/partials/job.html", context)
    return render(request, "web/job.html", context)
