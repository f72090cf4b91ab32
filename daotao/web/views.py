from django.shortcuts import render

from daotao.accounts.access import staff_required
from daotao.accounts.scope import scope_of
from daotao.cohorts.models import Cohort, CohortStatus, Enrollment
from daotao.people.models import Student


@staff_required
def home(request):
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
