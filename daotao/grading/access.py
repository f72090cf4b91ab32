"""Which of a class's modules' grade sheets and results a user may open (the class itself:
``daotao.cohorts.access``)."""

from __future__ import annotations

from daotao.accounts.scope import scope_of
from daotao.programs.models import Module


def sheet_modules(user, cohort):
    """The modules of the class's program whose grade sheets the user may open (read; the
    cells are inputs for those who may also record, ``services.may_edit_sheet``): every one
    for those who see the class, only those assigned to them for a lecturer."""
    modules = Module.objects.filter(program=cohort.program_id)
    lecturer_id = scope_of(user).lecturer_id
    if lecturer_id is not None:
        modules = modules.filter(assignments__cohort=cohort, assignments__lecturer_id=lecturer_id)
    return modules


def result_modules(user, cohort) -> set[int] | None:
    """The modules whose results the user sees in the class's results (its overview and the
    API): ``None`` for all of them, which is everyone who may open the class but a lecturer
    who only teaches in it. She sees the results of the modules assigned to her, as with
    their grade sheets, and not the average or classification, which sum up every module;
    the class's homeroom lecturer follows the whole class and sees them all."""
    return result_modules_of(user, [cohort])[cohort.pk]


def result_modules_of(user, cohorts) -> dict[int, set[int] | None]:
    """``result_modules`` of several classes at once: no query, or one for a lecturer."""
    lecturer_id = scope_of(user).lecturer_id
    if lecturer_id is None:
        return {cohort.pk: None for cohort in cohorts}
    taught: dict[int, set[int]] = {cohort.pk: set() for cohort in cohorts}
    whole = {cohort.pk for cohort in cohorts if cohort.homeroom_lecturer_id == lecturer_id}
    if len(whole) < len(taught):
        pairs = Module.objects.filter(
            assignments__cohort__in=[pk for pk in taught if pk not in whole], assignments__lecturer_id=lecturer_id
        ).values_list("assignments__cohort_id", "pk")
        for cohort_id, module_id in pairs:
            taught[cohort_id].add(module_id)
    return {pk: None if pk in whole else modules for pk, modules in taught.items()}
