"""What changes an application: checking it, the training office's decision, placing the
admitted in a class, exceptions to rules. Each is one transaction; decisions, placements
and exceptions are audited (who, when, before, after).

The pages, the API and the tests all go through these functions; they raise
``AdmissionError`` with a Vietnamese message when a step is not allowed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from daotao.admissions import checks
from daotao.admissions.models import (
    Application,
    ApplicationDocument,
    Decision,
    EligibilityRule,
    RuleException,
    Status,
)
from daotao.audit.models import record, snapshot
from daotao.cohorts.models import Cohort, Enrollment, EnrollmentStatus
from daotao.people.models import Student

DECISION_FIELDS = ["decision", "decision_number", "decision_date", "decision_reason", "decided_by", "student"]


class AdmissionError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


def set_documents(application: Application, received: dict[int, dt.date | None], files: dict | None = None) -> None:
    """Mark which documents of the checklist were received (document type id -> date), with
    optional uploaded files (document type id -> file); then re-check."""
    files = files or {}
    with transaction.atomic():
        # A document not yet in the dossier has no row to lock: lock the application, so
        # that two saves of the checklist at once run one after the other.
        list(Application.objects.select_for_update().filter(pk=application.pk).values_list("pk", flat=True))
        existing = {d.document_type_id: d for d in application.documents.all()}
        for type_id in {*received, *files, *existing}:
            document = existing.get(type_id) or ApplicationDocument(application=application, document_type_id=type_id)
            document.received = type_id in received
            document.received_on = received.get(type_id) if document.received else None
            if type_id in files:
                document.file = files[type_id]
            if document.pk or document.received or document.file:
                document.save()
        checks.refresh([application])


def _student_for(application: Application) -> Student:
    """The student with the candidate's national ID, created from the application if new;
    what the record lacks is filled in from the application."""
    student = Student.objects.filter(national_id=application.national_id).first()
    if student is None:
        student = Student(national_id=application.national_id, full_name=application.full_name)
    for name in ("date_of_birth", "gender", "ethnicity", "phone", "email", "position", "workplace"):
        if not getattr(student, name):
            setattr(student, name, getattr(application, name))
    student.locality = student.locality or application.locality
    student.agency = student.agency or application.agency
    student.save()
    return student


def decide(
    application: Application, user, decision: str, number: str = "", date: dt.date | None = None, reason: str = ""
) -> Application:
    """Admit or reject (or return to pending); admission needs an eligible, complete
    application and creates or links the Student."""
    with transaction.atomic():
        application = Application.objects.select_for_update().select_related("plan", "program").get(pk=application.pk)
        before = snapshot(application, DECISION_FIELDS)
        if application.enrollment_id and decision != Decision.ADMITTED:
            raise AdmissionError(_("The candidate is already placed in a class: remove them from it first."))
        if decision == Decision.ADMITTED:
            application.decision = Decision.PENDING  # judge it on its checks alone
            checks.refresh([application])
            if application.status != Status.ELIGIBLE:
                raise AdmissionError(_cannot_admit(application))
            if not number.strip() or date is None:
                field = "decision_number" if not number.strip() else "decision_date"
                raise AdmissionError(_("An admission needs the decision number and date."), field)
            application.student = _student_for(application)
        elif decision == Decision.REJECTED:
            if not reason.strip():
                raise AdmissionError(_("Say why the candidate is rejected."), "decision_reason")
            application.student = None
        elif decision == Decision.PENDING:
            application.student = None
        else:
            raise AdmissionError(_("Unknown decision."), "decision")
        application.decision = decision
        application.decision_number = number.strip() if decision != Decision.PENDING else ""
        application.decision_date = date if decision != Decision.PENDING else None
        application.decision_reason = reason.strip()
        application.decided_by = user if decision != Decision.PENDING else None
        application.save()
        checks.refresh([application])
        record(user, application, "admission.decision", before, snapshot(application, DECISION_FIELDS))
    return application


def _cannot_admit(application: Application) -> str:
    if application.status == Status.INCOMPLETE and application.missing_documents:
        return _("The dossier is incomplete; nothing can be decided until it is complete.")
    if application.status == Status.INCOMPLETE:
        return _("Some data the rules need is missing; complete the application first.")
    return _("The candidate does not meet every standard of the program; record an exception first if one was decided.")


def place(applications: Iterable[Application], cohort: Cohort, user) -> list[Enrollment]:
    """Enroll admitted candidates of the cohort's program in it."""
    with transaction.atomic():
        pks = [a.pk for a in applications]
        chosen = list(Application.objects.select_for_update().filter(pk__in=pks).select_related("program"))
        if not chosen:
            raise AdmissionError(_("Choose at least one admitted candidate."))
        if cohort.is_closed:
            raise AdmissionError(_("The class %(code)s is closed or cancelled.") % {"code": cohort.code}, "cohort")
        enrollments = []
        for application in chosen:
            if application.decision != Decision.ADMITTED or application.student_id is None:
                raise AdmissionError(_("%(name)s has not been admitted.") % {"name": application.full_name})
            if application.enrollment_id:
                raise AdmissionError(_("%(name)s is already placed in a class.") % {"name": application.full_name})
            if application.program_id != cohort.program_id:
                raise AdmissionError(
                    _("%(name)s was admitted to %(program)s; the class %(code)s teaches another program.")
                    % {"name": application.full_name, "program": application.program.code, "code": cohort.code},
                    "cohort",
                )
            enrollment, created = Enrollment.objects.get_or_create(
                student_id=application.student_id, cohort=cohort, defaults={"status": EnrollmentStatus.STUDYING}
            )
            if not created and enrollment.status == EnrollmentStatus.CANCELLED:
                enrollment.status = EnrollmentStatus.STUDYING
                enrollment.save(update_fields=["status"])
            if Application.objects.filter(enrollment=enrollment).exists():
                raise AdmissionError(
                    _("%(name)s is already in the class %(code)s.")
                    % {"name": application.full_name, "code": cohort.code}
                )
            application.enrollment = enrollment
            application.save(update_fields=["enrollment", "updated_at"])
            record(user, application, "admission.place", {"enrollment": None}, {"enrollment": enrollment.pk},
                         note=cohort.code)  # fmt: skip
            enrollments.append(enrollment)
        return enrollments


def open_cohort(applications: Iterable[Application], cohort: Cohort, user) -> Cohort:
    """Open a new class (not yet saved) from admitted candidates and place them in it."""
    applications = list(applications)
    with transaction.atomic():
        try:
            cohort.full_clean()
        except ValidationError as error:
            field, messages = next(iter(error.message_dict.items()))
            raise AdmissionError(" ".join(messages), None if field == NON_FIELD_ERRORS else field) from error
        cohort.save()
        place(applications, cohort, user)
    return cohort


def record_exception(
    application: Application,
    rule: EligibilityRule,
    user,
    decided_by: str,
    decided_on: dt.date,
    decision_number: str = "",
    note: str = "",
) -> RuleException:
    """A standard waived for this candidate by the competent level; audited, then re-checked."""
    if rule.program_id != application.program_id:
        raise AdmissionError(_("The rule belongs to another program."), "rule")
    if not decided_by.strip():
        raise AdmissionError(_("Say which level decided the exception."), "decided_by")
    if decided_on is None:
        raise AdmissionError(_("Give the date of the decision on the exception."), "decided_on")
    fields = ["decided_by", "decided_on", "decision_number", "note"]
    with transaction.atomic():
        old = RuleException.objects.filter(application=application, rule=rule).first()
        before = snapshot(old, fields) if old else {}
        exception, _created = RuleException.objects.update_or_create(
            application=application,
            rule=rule,
            defaults={
                "decided_by": decided_by.strip(),
                "decided_on": decided_on,
                "decision_number": decision_number.strip(),
                "note": note.strip(),
                "recorded_by": user,
            },
        )
        record(user, application, "admission.exception", before, snapshot(exception, fields), note=str(rule))
        checks.refresh([application])
    return exception
