"""A stored classification code as the pages show it, in the bands of its program:
``{% load grading_bands %}{% band_label entry.classification cohort.program %}`` (a
program's ``grading_rules`` is read once per program object: select it with the program
where a page lists many classes); without a program, the default bands."""

from django import template

from daotao.grading.rules import DEFAULT_RULES, Rules, classification_label, rules_for

register = template.Library()


@register.simple_tag
def band_label(code, rules_or_program=None) -> str:
    if not code:
        return ""
    if rules_or_program is None or rules_or_program == "":
        rules = DEFAULT_RULES
    elif isinstance(rules_or_program, Rules):
        rules = rules_or_program
    else:
        rules = rules_for(rules_or_program)
    return classification_label(code, rules)
