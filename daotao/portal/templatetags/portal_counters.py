from django import template

from daotao.portal.counting import visit_figures

register = template.Library()


@register.inclusion_tag("portal/partials/visitor_box.html")
def visitor_box():
    """The visitor box shown on every public page."""
    return {"figures": visit_figures()}
