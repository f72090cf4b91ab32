"""The class's organisation: homeroom lecturer, class officers, the steering committee
with members from the school and the host locality, and field trips. Only the training
office changes these; each service is one transaction and raises ``ValidationError``
with a Vietnamese message."""

from __future__ import annotations

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from daotao.audit.models import record, snapshot
from daotao.cohorts.models import EnrollmentStatus
from daotao.lib.vietnamese import format_date
from daotao.org.models import LOCALITY_KINDS
from daotao.teaching.access import require_office
from daotao.teaching.models import (
    ClassOfficer,
    CommitteeRole,
    CommitteeSide,
    FieldTrip,
    OfficerRole,
    SteeringCommitteeMember,
)
from daotao.web.uploads import upload_size_problem

# A class has one monitor and one party cell secretary; naming another replaces them.
SINGLE_OFFICER_ROLES = (OfficerRole.MONITOR, OfficerRole.PARTY_CELL_SECRETARY)
REPORT_EXTENSIONS = (".pdf", ".doc", ".docx", ".odt")


def class_officers(enrollments) -> list[ClassOfficer]:
    """The officers among ``enrollments`` (a class's, or those a user sees of it), by role
    (monitor first) then in class order; one query."""
    officers = ClassOfficer.objects.filter(enrollment__in=enrollments).select_related("enrollment__student")
    return sorted(officers, key=lambda o: (OfficerRole.values.index(o.role), o.enrollment.student.sort_key, o.pk))


@transaction.atomic
def homeroom_set(*, user, cohort, lecturer) -> None:
    """Name (or, with None, clear) the class's homeroom lecturer; audited."""
    require_office(user)
    if lecturer is not None and not lecturer.is_active:
        raise ValidationError({"lecturer": _("%(lecturer)s is no longer teaching.") % {"lecturer": lecturer}})
    before = snapshot(cohort, ["homeroom_lecturer"])
    cohort.homeroom_lecturer = lecturer
    cohort.save(update_fields=["homeroom_lecturer"])
    record(user, cohort, "homeroom", before, snapshot(cohort, ["homeroom_lecturer"]))


@transaction.atomic
def officer_set(*, user, enrollment, role) -> ClassOfficer:
    """Give a student of the class an officer role; the monitor and the party cell
    secretary are one each, so naming a new one replaces the former."""
    require_office(user)
    if role not in OfficerRole.values:
        raise ValidationError({"role": _("“%(role)s” is not a class officer role.") % {"role": role}})
    if enrollment.status == EnrollmentStatus.CANCELLED:
        raise ValidationError({"enrollment": _("This student's enrollment was cancelled.")})
    if role in SINGLE_OFFICER_ROLES:
        ClassOfficer.objects.filter(enrollment__cohort_id=enrollment.cohort_id, role=role).exclude(
            enrollment=enrollment
        ).delete()
    officer, _created = ClassOfficer.objects.get_or_create(enrollment=enrollment, role=role)
    return officer


@transaction.atomic
def officer_remove(*, user, officer) -> None:
    require_office(user)
    officer.delete()


@transaction.atomic
def committee_member_add(
    *, user, cohort, full_name="", position="", side, role=CommitteeRole.MEMBER, lecturer=None
) -> SteeringCommitteeMember:
    """A member of the class's steering committee; a lecturer member sits for the school,
    and the committee has one head."""
    require_office(user)
    full_name = full_name or (lecturer.full_name if lecturer else "")
    if lecturer is not None and side != CommitteeSide.SCHOOL:
        raise ValidationError({"side": _("A lecturer sits on the committee for the school.")})
    if role == CommitteeRole.HEAD:
        head = cohort.committee.filter(role=CommitteeRole.HEAD).first()
        if head:
            raise ValidationError(
                {"role": _("The steering committee already has a head: %(name)s.") % {"name": head.full_name}}
            )
    member = SteeringCommitteeMember(
        cohort=cohort, full_name=full_name, position=position, side=side, role=role, lecturer=lecturer
    )
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def committee_member_remove(*, user, member) -> None:
    require_office(user)
    member.delete()


def _report_errors(report) -> list[str]:
    if report is None:
        return []
    name = PurePath(report.name or "").name
    if not name.lower().endswith(REPORT_EXTENSIONS):
        return [_("The report must be a PDF, Word or OpenDocument file.")]
    problem = upload_size_problem(report, "DAOTAO_MAX_REPORT_BYTES")
    return [problem] if problem else []


@transaction.atomic
def field_trip_record(
    *, user, cohort, locality, start_date, end_date, place="", topics=(), report=None, notes="", trip=None
) -> FieldTrip:
    """Record (or, with ``trip``, change) a field trip of the class: the locality visited,
    the place, the dates within the class's dates, the topics from the local-issue bank and
    the report file (kept when ``report`` is None)."""
    require_office(user)
    errors: dict[str, list[str]] = {}
    if locality.kind not in LOCALITY_KINDS:
        errors["locality"] = [_("%(unit)s is not a locality.") % {"unit": locality.name}]
    if start_date and end_date and end_date < start_date:
        errors["end_date"] = [_("The end date cannot be before the start date.")]
    elif not (cohort.covers(start_date) and cohort.covers(end_date)):
        errors["start_date"] = [
            _("The field trip must fall within the class's dates (%(start)s – %(end)s).")
            % {
                "start": format_date(cohort.opening_date),
                "end": format_date(cohort.closing_date) if cohort.closing_date else "…",
            }
        ]
    if report_errors := _report_errors(report):
        errors["report"] = report_errors
    if errors:
        raise ValidationError(errors)
    trip = trip or FieldTrip(cohort=cohort)
    if trip.cohort_id != cohort.pk:
        raise ValidationError(_("A field trip cannot be moved to another class."))
    trip.locality, trip.place, trip.notes = locality, place, notes
    trip.start_date, trip.end_date = start_date, end_date
    if report is not None:
        trip.report = report
    trip.full_clean(exclude=["report"], validate_constraints=False)
    trip.save()
    trip.topics.set(topics)
    return trip
