"""The graduation decision: who graduates (training) or completes (fostering) a class,
with the classification the rules give; every entry and correction is audited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from daotao.accounts.access import is_training_office
from daotao.audit.models import record, snapshot
from daotao.cohorts.models import Cohort, Enrollment, EnrollmentStatus
from daotao.grading.models import GraduationDecision, GraduationEntry
from daotao.grading.results import cohort_results
from daotao.grading.rules import classification_label, rules_for
from daotao.programs.models import ProgramKind
from daotao.school import identity
from daotao.school.models import DocumentKind

ENTRY_FIELDS = ["average", "classification", "downgraded"]
DECISION_FIELDS = ["number", "date", "signed_by", "signer_lines"]


def graduation_preview(cohort):
    """(results of those who would graduate now, results of those who would not), in class
    order; those already in a decision are left out."""
    done = set(GraduationEntry.objects.filter(enrollment__cohort=cohort).values_list("enrollment_id", flat=True))
    results = [result for result in cohort_results(cohort).values() if result.enrollment.pk not in done]
    return [r for r in results if r.complete], [r for r in results if not r.complete]


def graduation_decide(*, user, cohort, number, date, signed_by="") -> GraduationDecision:
    """Record the decision and one entry per student who completed the course (training:
    average and classification; fostering: none), set those students' enrollment to
    completed and audit each entry. Those already graduated are skipped, so a later,
    supplementary decision covers those who finish after a retake."""
    if not is_training_office(user):
        raise PermissionDenied(_("Only the training office records graduation decisions."))
    # Who signs, as the school's identity says today (its graduation documents' signer, or
    # the name typed), kept with the decision: a decision printed again years later still
    # carries the title and name it was signed with.
    signer = identity.current().signer(DocumentKind.GRADUATION)
    decision = GraduationDecision(
        cohort=cohort,
        number=str(number or "").strip(),
        date=date,
        signed_by=str(signed_by or "").strip() or signer.name,
        signer_lines="\n".join(signer.lines),
        created_by=user if getattr(user, "pk", None) else None,
    )
    if not decision.number:
        raise ValidationError({"number": _("Enter the decision number.")})
    decision.full_clean()
    training = cohort.program.kind == ProgramKind.TRAINING
    with transaction.atomic():
        # Two clerks deciding for the same class at once: the second waits, then finds
        # the first one's graduates already decided.
        list(Cohort.objects.select_for_update().filter(pk=cohort.pk).values_list("pk", flat=True))
        eligible, _others = graduation_preview(cohort)
        if not eligible:
            raise ValidationError(_("No student of this class can graduate now."))
        decision.save()
        record(user, decision, "graduation_decision", {}, snapshot(decision, DECISION_FIELDS))
        for result in eligible:
            result.enrollment.cohort = cohort  # for the audit entry's text, without a query
            entry = GraduationEntry(
                decision=decision,
                enrollment=result.enrollment,
                average=result.average if training else None,
                classification=(result.classification or "") if training else "",
                downgraded=result.downgraded if training else False,
            )
            entry.save()
            record(user, entry, "graduation", {}, snapshot(entry, ENTRY_FIELDS), note=decision.number)
        Enrollment.objects.filter(pk__in=[r.enrollment.pk for r in eligible]).update(status=EnrollmentStatus.COMPLETED)
    return decision


def graduation_entry_correct(*, user, entry, classification, reason) -> GraduationEntry:
    """Correct a graduate's classification (e.g. after an appeal) to one of the bands of
    the program's rules, with the reason; the audit trail keeps the old and the new value."""
    if not is_training_office(user):
        raise PermissionDenied(_("Only the training office corrects a classification."))
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the correction.")})
    with transaction.atomic():
        locked = (
            GraduationEntry.objects.select_for_update().select_related("enrollment__cohort__program").get(pk=entry.pk)
        )
        program = locked.enrollment.cohort.program
        if program.kind != ProgramKind.TRAINING:
            raise ValidationError(_("A fostering course is not classified."))
        rules = rules_for(program)
        if classification not in {band.code for band in rules.bands}:
            raise ValidationError({"classification": _("Choose a classification.")})
        if locked.classification == classification:
            raise ValidationError({"classification": _("The classification is already %(classification)s.") % {
                "classification": classification_label(classification, rules)
            }})  # fmt: skip
        before = snapshot(locked, ENTRY_FIELDS)
        locked.classification = classification
        locked.full_clean()
        locked.save(update_fields=["classification"])
        record(user, locked, "classification_corrected", before, snapshot(locked, ENTRY_FIELDS), note=reason)
    entry.classification = classification
    return entry
