"""The graduation decision: who graduates (training) or completes (fostering) a class,
with the classification the rules give; every entry and correction is audited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from daotao.accounts.access import is_training_office
from daotao.audit.models import record, snapshot
from daotao.cohorts.models import Enrollment, EnrollmentStatus
from daotao.grading.models import Classification, GraduationDecision, GraduationEntry
from daotao.grading.results import cohort_results

ENTRY_FIELDS = ["average", "classification", "downgraded"]


def graduation_preview(cohort):
    """(results of those who would graduate now, results of those who would not), in class
    order; those already in a decision are left out."""
    done = set(GraduationEntry.objects.filter(enrollment__cohort=cohort).values_list("enrollment_id", flat=True))
    results = [result for result in cohort_results(cohort).values() if result.enrollment.pk not in done]
    return [r for r in results if r.complete], [r for r in results if not r.complete]


def graduation_decide(*, user, cohort, number, date, signed_by="") -> GraduationDecision:
    """Record the decision and one entry per student who completed the course; a later,
    supplementary decision covers those who finish after a retake."""
    if not is_training_office(user):
        raise PermissionDenied(_("Only the training office records graduation decisions."))
    if not str(number).strip():
        raise ValidationError({"number": _("Enter the decision number.")})
    with transaction.atomic():
        eligible, _others = graduation_preview(cohort)
        if not eligible:
            raise ValidationError(_("No student of this class can graduate now."))
        decision = GraduationDecision.objects.create(
            cohort=cohort,
            number=str(number).strip(),
            date=date,
            signed_by=signed_by,
            created_by=user if getattr(user, "pk", None) else None,
        )
        for result in eligible:
            entry = GraduationEntry.objects.create(
                decision=decision,
                enrollment=result.enrollment,
                average=result.average,
                classification=result.classification or "",
                downgraded=result.downgraded,
            )
            record(user, entry, "graduation", {}, snapshot(entry, ENTRY_FIELDS), note=decision.number)
        Enrollment.objects.filter(pk__in=[r.enrollment.pk for r in eligible]).update(status=EnrollmentStatus.COMPLETED)
    return decision


def graduation_entry_correct(*, user, entry, classification, reason) -> GraduationEntry:
    """Correct a graduate's classification (e.g. after an appeal), with the reason."""
    if not is_training_office(user):
        raise PermissionDenied(_("Only the training office corrects a classification."))
    if not str(reason).strip():
        raise ValidationError({"reason": _("Give the reason for the correction.")})
    if classification not in Classification.values:
        raise ValidationError({"classification": _("Choose a classification.")})
    before = snapshot(entry, ENTRY_FIELDS)
    entry.classification = classification
    entry.save(update_fields=["classification"])
    record(user, entry, "classification_corrected", before, snapshot(entry, ENTRY_FIELDS), note=reason)
    return entry
