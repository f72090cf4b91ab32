"""Who may open the grading pages of a cohort."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from daotao.accounts.scope import scope_of
from daotao.cohorts.models import Cohort


def teaching_staff_required(view):
    """Signed-in staff with a scope, or a lecturer; students and others get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        scope = scope_of(request.user)
        if not (scope.staff or scope.lecturer_id is not None):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def visible_cohort(user, cohort_id: int) -> Cohort:
    """The cohort if the user may see it, else 404."""
    return get_object_or_404(
        Cohort.objects.visible_to(user).select_related("program__grading_rules", "host_locality"), pk=cohort_id
    )
