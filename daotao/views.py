"""The shell's own pages: where signing in leads, and the staff overview. They sit above
every app (they read classes and students) as ``daotao.urls`` does; the pages every app
shares otherwise (a job's progress, the favicon) are ``daotao.web.views``."""

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render

from daotao.accounts.access import staff_required
from daotao.accounts.scope import scope_of
from daotao.cohorts.access import cohorts_reached, students_seen_in, with_students_seen
from daotao.cohorts.models import CohortStatus
from daotao.people.models import Student


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
    """The staff overview: what the user's scope holds right now, counted as the class list
    and the student list count it (``cohorts.access``: a coordinator's or agency's students
    in classes held elsewhere too, with only those students)."""
    user = request.user
    cohorts = cohorts_reached(user).counted()
    context = {
        "scope_unit": user.unit if not scope_of(user).everything else None,
        "open_cohorts": cohorts.filter(status=CohortStatus.OPEN).count(),
        "cohorts": cohorts.count(),
        "students": Student.objects.visible_to(user).count(),
        "enrollments": students_seen_in(user, cohorts),
        "recent": list(with_students_seen(user, cohorts.select_related("program", "host_locality"))[:10]),
    }
    context["partial"] = any(not cohort.whole for cohort in context["recent"])
    return render(request, "web/home.html", context)
