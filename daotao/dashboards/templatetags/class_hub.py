"""``{% class_header cohort "timetable" %}``: the header and tabs every page of a class shows
(``dashboards.cohort_hub``), with the tab of the page marked. Pages of the apps below load it
by name; no app imports it."""

from django import template

from daotao.accounts.scope import scope_of
from daotao.cohorts.access import cohorts_reached, cohorts_seen_whole
from daotao.dashboards.cohort_hub import class_tabs

register = template.Library()


@register.inclusion_tag("dashboards/partials/class_header.html", takes_context=True)
def class_header(context, cohort, current: str):
    """The class's header for the page's user. ``whole`` comes from the page when it has it
    (the class seen with every student), or the user sees every class (the office, the
    board); otherwise it is asked (one query, two for a class seen through some students
    only). Nothing for a user who does not reach the class (a
    colleague observing a lesson, a supervisor of one essay): its tabs would lead nowhere."""
    user = context["request"].user
    whole = context.get("whole")
    if whole is None and scope_of(user).everything:
        whole = True
    if whole is None:
        whole = cohorts_seen_whole(user).filter(pk=cohort.pk).exists()
        if not whole and not cohorts_reached(user).filter(pk=cohort.pk).exists():
            return {"cohort": None}
    return {"cohort": cohort, "whole": whole, "tabs": class_tabs(user, cohort, whole, current)}
