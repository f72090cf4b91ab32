"""Students' names that lead to their training record (``records:student``).

``{% student_link student %}`` renders the name as a link for a viewer who may open the
record, as plain (escaped) text otherwise; ``{% student_link row.student_id row.full_name %}``
does the same from an id and a name. The decision takes no query: the lists that use it
show only students the viewer sees (each model's ``visible_to``), and the record opens for
whoever sees the student (``Student.visible_to``). So the name is a link for school staff,
coordinators and agencies (``scope.staff``), and for a student only their own name (never a
classmate's). A lecturer gets plain text: their lists (essays they supervise or grade)
may hold students of classes they do not teach, whose record would answer 404.

``{% training_record_of person as student_id %}`` is the id of the student record matching
a person who is not a Student (an application: by national ID, or the student it was
placed as) among the students the viewer sees, or None; one query.
"""

from __future__ import annotations

from django import template
from django.db.models import Q
from django.urls import reverse
from django.utils.html import conditional_escape, format_html

from daotao.accounts.scope import scope_of
from daotao.people.models import Student

register = template.Library()


def _viewer(context):
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")


def may_open_record(user, student_id: int) -> bool:
    """Whether a name in a list the user sees links to the record (see the module's docstring)."""
    scope = scope_of(user)
    if scope.staff:
        return True
    return scope.student_id is not None and scope.student_id == student_id


@register.simple_tag(takes_context=True)
def student_link(context, student, name=None):
    """``student``'s name, linked to their training record where the viewer may open it;
    ``student`` is a Student, or a student's id given with ``name``."""
    if student in (None, ""):
        return conditional_escape(name or "")
    student_id = student if isinstance(student, int) else student.pk
    text = getattr(student, "full_name", "") if name is None else name
    if student_id is not None and may_open_record(_viewer(context), student_id):
        return format_html('<a href="{}">{}</a>', reverse("records:student", args=[student_id]), text)
    return conditional_escape(text)


@register.simple_tag(takes_context=True)
def training_record_of(context, person):
    """The id of the training record of ``person`` (an Application), or None."""
    national_id = getattr(person, "national_id", "")
    placed = getattr(person, "student_id", None)
    if not national_id and placed is None:
        return None
    match = Q(national_id=national_id) if national_id else Q(pk__in=[])
    if placed is not None:
        match |= Q(pk=placed)
    students = Student.objects.visible_to(_viewer(context)).filter(match)
    return students.order_by("pk").values_list("pk", flat=True).first()
