"""``{% personal person "national_id" %}``: one personal datum of a Student or Application
as the signed-in user may see it, in full or masked (``daotao.people.privacy``)."""

from django import template

from daotao.people import privacy

register = template.Library()


def _viewer(context):
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")


@register.simple_tag(takes_context=True)
def personal(context, person, field):
    """``field`` is national_id, date_of_birth (shown dd/mm/yyyy), phone or email. Without a
    signed-in user in the context, masked."""
    if person is None:
        return ""
    return privacy.shown(_viewer(context), person).text(field)
