"""Recording grades: one cell (the grade sheet, the API) or a whole sheet (the xlsx import),
each checked by the grading rules, scoped to the lecturers assigned, and audited."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from daotao.accounts.access import is_training_office
from daotao.audit.models import record, snapshot
from daotao.cohorts.models import Enrollment
from daotao.grading import rules as grading_rules
from daotao.grading.models import Grade
from daotao.teaching.access import may_record

GRADE_FIELDS = ["score", "absent"]


def _check_attempt(enrollment, assessment, attempt: int, rules) -> None:
    if attempt == 1:
        return
    if not assessment.is_exam:
        raise ValidationError(_("Only the final exam can be retaken."))
    if attempt > 1 + rules.max_retakes:
        raise ValidationError(
            _("The rules of this program allow %(count)s retake(s) of an exam.") % {"count": rules.max_retakes}
        )
    from daotao.grading.results import cohort_results

    outcome = cohort_results(enrollment.cohort, [enrollment])[enrollment.pk].modules[assessment.module_id]
    if not (outcome.may_retake or outcome.retaken or outcome.attempts_used >= attempt):
        raise ValidationError(_("A retake is only for a student who failed or missed the exam."))


def parse_value(value, assessment, rules) -> tuple[Decimal | None, bool]:
    """(score, absent) from what was typed; ValidationError with the reason otherwise."""
    if isinstance(value, Decimal):
        value = str(value)
    if grading_rules.is_absent_word(value):
        if not assessment.is_exam:
            raise ValidationError(_("“Absent” can be marked only for the final exam."))
        return None, True
    try:
        return grading_rules.parse_score(value, rules), False
    except grading_rules.ScoreError as error:
        raise ValidationError(str(error)) from None


def may_edit_sheet(user, cohort, module) -> bool:
    """May change the grades of this module in this cohort (the sheet's cells are inputs)."""
    if cohort.is_closed and not is_training_office(user):
        return False
    return may_record(user, cohort.pk, module.pk)


def check_may_record(user, enrollment, assessment) -> None:
    cohort = enrollment.cohort
    if not may_record(user, cohort.pk, assessment.module_id):
        raise PermissionDenied(_("You may enter grades only for the modules and classes assigned to you."))
    if assessment.module.program_id != cohort.program_id:
        raise ValidationError(_("This assessment is not part of the class's program."))
    if cohort.is_closed and not is_training_office(user):
        raise PermissionDenied(_("The class is closed: only the training office may change its grades."))


def check_not_anonymised(user, cohort_id: int, assessment, attempt: int) -> None:
    """An exam sitting marked anonymously (đánh phách, the exams app's session with
    ``anonymised``) gets its grades only from decoding, by the training office: a lecturer
    may not type them by name, before decoding or after. Read through the relation, so that
    grading does not depend on the exams app above it."""
    if not assessment.is_exam or is_training_office(user):
        return
    if assessment.exam_sessions.filter(cohort_id=cohort_id, attempt=attempt, anonymised=True).exists():
        raise PermissionDenied(
            _(
                "This exam is marked anonymously by code: its grades come from the decoding by the training "
                "office, not from the grade sheet."
            )
        )


def grade_record(*, user, enrollment, assessment, attempt: int = 1, value) -> Grade | None:
    """Record what was typed in one cell: a score from 0 to 10 ("7,5"), "v" for absent from
    the exam, or nothing to clear it. Audited when the value changes. Returns the grade (its
    score None once cleared: the row stays, so the cell keeps its history), or None when the
    cell was empty and stays empty."""
    check_may_record(user, enrollment, assessment)
    check_not_anonymised(user, enrollment.cohort_id, assessment, attempt)
    rules = grading_rules.rules_for(enrollment.cohort.program)
    score, absent = parse_value(value, assessment, rules)
    if score is not None or absent:
        _check_attempt(enrollment, assessment, attempt, rules)
    return _save(user, enrollment, assessment, attempt, score, absent)


def _save(user, enrollment, assessment, attempt, score, absent) -> Grade | None:
    with transaction.atomic():
        # The cell's row may not exist yet, and a missing row cannot be locked: lock the
        # student's enrollment, so that two first saves of a cell at once run one after the
        # other (the second changes what the first made) instead of both inserting.
        list(Enrollment.objects.select_for_update().filter(pk=enrollment.pk).values_list("pk", flat=True))
        grade = (
            Grade.objects.select_for_update()
            .filter(enrollment=enrollment, assessment=assessment, attempt=attempt)
            .first()
        )
        if grade is None:
            if score is None and not absent:
                return None
            grade = Grade(enrollment=enrollment, assessment=assessment, attempt=attempt)
            before = {}
        else:
            before = snapshot(grade, GRADE_FIELDS)
        grade.score, grade.absent = score, absent
        if before == snapshot(grade, GRADE_FIELDS):
            return grade
        grade.recorded_by = user if getattr(user, "pk", None) else None
        grade.full_clean()
        grade.save()
        record(user, grade, "grade", before, snapshot(grade, GRADE_FIELDS))
        return grade


def grades_bulk_record(*, user, cohort, module, rows) -> int:
    """Record a whole sheet at once, all or nothing: ``rows`` are (enrollment, assessment,
    attempt, typed value). Every cell is checked first; returns the number of cells changed."""
    rules = grading_rules.rules_for(cohort.program)
    checked = []
    allowed = set()
    for enrollment, assessment, attempt, value in rows:
        if enrollment.cohort_id != cohort.pk or assessment.module_id != module.pk:
            raise ValidationError(_("This grade is not part of the sheet of %(module)s.") % {"module": module.code})
        if (assessment.pk, attempt) not in allowed:
            check_may_record(user, enrollment, assessment)
            check_not_anonymised(user, cohort.pk, assessment, attempt)
            allowed.add((assessment.pk, attempt))
        score, absent = parse_value(value, assessment, rules)
        checked.append((enrollment, assessment, attempt, score, absent))
    changed = 0
    with transaction.atomic():
        existing = {
            (g.enrollment_id, g.assessment_id, g.attempt): (g.score, g.absent)
            for g in Grade.objects.filter(enrollment__cohort=cohort, assessment__module=module)
        }
        for enrollment, assessment, attempt, score, absent in checked:
            if existing.get((enrollment.pk, assessment.pk, attempt), (None, False)) == (score, absent):
                continue
            if score is not None or absent:
                try:
                    _check_attempt(enrollment, assessment, attempt, rules)
                except ValidationError as error:
                    raise ValidationError(
                        _("%(student)s, %(assessment)s (retake): %(reason)s")
                        % {
                            "student": enrollment.student.full_name,
                            "assessment": assessment.name,
                            "reason": " ".join(error.messages),
                        }
                    ) from None
            _save(user, enrollment, assessment, attempt, score, absent)
            changed += 1
    return changed
