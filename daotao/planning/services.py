"""Changes to an annual plan: its fields, its approval and its quota lines. Each is one
transaction; any change to a plan that is approved before or after it (approval itself
included) is audited on the plan: who, when, and the plan's fields and quota lines before
and after (one ``quota …`` entry per line, ``{"classes": n, "students": n}``).

The plan page, the quota import and the admin all go through ``audited``.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

from django.db import transaction
from django.utils.translation import gettext as _

from daotao.audit.models import record, snapshot
from daotao.planning.models import AnnualPlan, PlanStatus, Quota

PLAN_FIELDS = ["year", "title", "status", "decision_number", "decision_date", "notes"]


class PlanError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


def line_key(program_code: str, locality_code: str, funding: str) -> str:
    return f"quota {program_code} / {locality_code} / {funding}"


def plan_state(plan_pk: int | None) -> dict:
    """The plan's fields and quota lines as stored (two queries); empty for no plan."""
    stored = AnnualPlan.objects.filter(pk=plan_pk).first() if plan_pk else None
    if stored is None:
        return {}
    state = snapshot(stored, PLAN_FIELDS)
    lines = Quota.objects.filter(plan_id=plan_pk).values_list(
        "program__code", "locality__code", "funding", "classes", "students"
    )
    for program, locality, funding, classes, students in lines:
        state[line_key(program, locality, funding)] = {"classes": classes, "students": students}
    return state


def record_change(user, plan: AnnualPlan, action: str, before: dict, note: str = "") -> None:
    """Audit the plan's change from ``before`` to its stored state now, if anything changed
    and the plan was approved before or is approved after."""
    after = plan_state(plan.pk)
    if after != before and PlanStatus.APPROVED in (before.get("status"), after.get("status")):
        record(user, plan, action, before, after, note=note)


@contextmanager
def audited(plan: AnnualPlan, user, action: str, note: str = ""):
    """Audit what the block changes in ``plan`` and its quota lines, in one transaction."""
    with transaction.atomic():
        before = plan_state(plan.pk)
        yield
        record_change(user, plan, action, before, note)


def plan_update(plan: AnnualPlan, user, **fields) -> AnnualPlan:
    """Change the plan's own fields (title, notes, decision)."""
    with audited(plan, user, "plan.change"):
        for name, value in fields.items():
            setattr(plan, name, value)
        plan.full_clean()
        plan.save()
    return plan


def plan_approve(plan: AnnualPlan, user, number: str, date: dt.date | None) -> AnnualPlan:
    """Approve the plan by decision (number and date)."""
    if not (number or "").strip():
        raise PlanError(_("An approval needs the decision number."), "decision_number")
    if date is None:
        raise PlanError(_("An approval needs the decision date."), "decision_date")
    if date.year > plan.year:
        raise PlanError(
            _("The decision approving the %(year)s plan cannot be dated after that year.") % {"year": plan.year},
            "decision_date",
        )
    return plan_update(plan, user, status=PlanStatus.APPROVED, decision_number=number.strip(), decision_date=date)
