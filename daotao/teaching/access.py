"""Who may do what with a cohort's teaching records. Visibility of rows is each model's
``visible_to``; these answer "may this user change this"."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from daotao.accounts.access import is_training_office
from daotao.accounts.scope import scope_of
from daotao.teaching.models import TeachingAssignment


def is_assigned(user, cohort_id: int, module_id: int) -> bool:
    """True when the user is a lecturer assigned to teach this module in this cohort."""
    lecturer_id = scope_of(user).lecturer_id
    return (
        lecturer_id is not None
        and TeachingAssignment.objects.filter(
            lecturer_id=lecturer_id, cohort_id=cohort_id, module_id=module_id
        ).exists()
    )


def may_record(user, cohort_id: int, module_id: int) -> bool:
    """May enter grades and attendance of this module in this cohort: the training office,
    or a lecturer assigned to it."""
    return is_training_office(user) or is_assigned(user, cohort_id, module_id)


def require_office(user) -> None:
    """Only the training office schedules lessons and edits the class's organisation."""
    if not is_training_office(user):
        raise PermissionDenied(_("Only the training office may change the timetable and the class's organisation."))
