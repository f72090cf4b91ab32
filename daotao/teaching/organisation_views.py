"""The class's organisation page: who teaches which module, the homeroom lecturer, class
officers, the steering committee and field trips. Everyone in scope reads it; the
training office edits it through small forms that post here and re-display the page with
the errors. The field trip report is served only through ``field_trip_report``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from daotao.accounts.access import is_training_office, office_required, teaching_staff_required
from daotao.cohorts.access import cohort_for_user
from daotao.cohorts.models import Cohort
from daotao.teaching import services
from daotao.teaching.forms import (
    AssignmentForm,
    CommitteeMemberForm,
    FieldTripForm,
    HomeroomForm,
    OfficerForm,
)
from daotao.teaching.models import (
    ClassOfficer,
    FieldTrip,
    SteeringCommitteeMember,
    TeachingAssignment,
)
from daotao.teaching.organisation import class_officers
from daotao.web.files import private_file
from daotao.web.forms import add_service_errors


def _enrollments(cohort):
    return cohort.enrollments.on_roll().select_related("student").in_class_order()


def _forms(request, cohort, bound: str | None = None) -> dict:
    """The office's editing forms, the one named ``bound`` filled from the request."""
    builders = {
        "homeroom": lambda *args: HomeroomForm(*args, initial={"lecturer": cohort.homeroom_lecturer_id}),
        "assignment": lambda *args: AssignmentForm(*args, cohort=cohort),
        "officer": lambda *args: OfficerForm(*args, enrollments=_enrollments(cohort)),
        "committee": lambda *args: CommitteeMemberForm(*args),
        "trip": lambda *args: FieldTripForm(*args, user=request.user),
    }
    return {name: build(request.POST, request.FILES) if name == bound else build() for name, build in builders.items()}


def _page(request, cohort, bound: str | None = None, forms: dict | None = None):
    office = is_training_office(request.user)
    context = {
        "cohort": cohort,
        "whole": True,  # opened whole (cohort_for_user): the class header asks nothing more
        "office": office,
        "homeroom": cohort.homeroom_lecturer,
        "assignments": cohort.assignments.select_related("module", "lecturer").order_by(
            "module__order", "module__code", "lecturer__sort_key"
        ),
        "officers": class_officers(cohort.enrollments.all()),
        "committee": cohort.committee.all(),
        "trips": cohort.field_trips.select_related("locality").prefetch_related("topics__locality"),
        "forms": (forms or _forms(request, cohort, bound)) if office else None,
    }
    return render(request, "teaching/organisation.html", context)


@teaching_staff_required
def organisation(request, cohort_id):
    return _page(request, cohort_for_user(request.user, whole=True, pk=cohort_id).cohort)


def _edit(request, cohort_id, name: str, save, done: str):
    """Run the office's form ``name`` through ``save(cohort, cleaned_data)``; on success
    redirect with ``done``, else show the page again with the form's errors."""
    cohort = get_object_or_404(Cohort.objects.select_related("program", "homeroom_lecturer"), pk=cohort_id)
    forms = _forms(request, cohort, name)
    form = forms[name]
    if form.is_valid():
        try:
            save(cohort, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("teaching:organisation", cohort_id=cohort.pk)
    return _page(request, cohort, forms=forms)


@office_required
@require_POST
def homeroom_set(request, cohort_id):
    def save(cohort, data):
        services.homeroom_set(user=request.user, cohort=cohort, lecturer=data["lecturer"])

    return _edit(request, cohort_id, "homeroom", save, _("The homeroom lecturer was saved."))


@office_required
@require_POST
def assignment_add(request, cohort_id):
    def save(cohort, data):
        services.assignment_add(user=request.user, cohort=cohort, **data)

    return _edit(request, cohort_id, "assignment", save, _("The lecturer was assigned to the module."))


@office_required
@require_POST
def officer_add(request, cohort_id):
    def save(cohort, data):
        services.officer_set(user=request.user, **data)

    return _edit(request, cohort_id, "officer", save, _("The class officer was saved."))


@office_required
@require_POST
def committee_member_add(request, cohort_id):
    def save(cohort, data):
        services.committee_member_add(user=request.user, cohort=cohort, **data)

    return _edit(request, cohort_id, "committee", save, _("The member was added to the steering committee."))


@office_required
@require_POST
def field_trip_add(request, cohort_id):
    def save(cohort, data):
        services.field_trip_record(user=request.user, cohort=cohort, **data)

    return _edit(request, cohort_id, "trip", save, _("The field trip was recorded."))


@office_required
def field_trip_edit(request, trip_id):
    trip = get_object_or_404(FieldTrip.objects.select_related("cohort"), pk=trip_id)
    initial = {
        "locality": trip.locality_id,
        "place": trip.place,
        "start_date": trip.start_date,
        "end_date": trip.end_date,
        "topics": list(trip.topics.values_list("pk", flat=True)),
        "notes": trip.notes,
    }
    form = FieldTripForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.field_trip_record(user=request.user, cohort=trip.cohort, trip=trip, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The field trip was saved."))
            return redirect("teaching:organisation", cohort_id=trip.cohort_id)
    return render(request, "teaching/field_trip_form.html", {"trip": trip, "form": form})


def _remove(request, cohort_id, model, record_id, remove, done: str):
    cohort_field = model.objects.none().cohort_field
    item = get_object_or_404(model.objects.all(), pk=record_id, **{cohort_field: cohort_id})
    try:
        remove(item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("teaching:organisation", cohort_id=cohort_id)


@office_required
@require_POST
def assignment_remove(request, cohort_id, record_id):
    def remove(item):
        services.assignment_remove(user=request.user, assignment=item)

    return _remove(request, cohort_id, TeachingAssignment, record_id, remove, _("The assignment was withdrawn."))


@office_required
@require_POST
def officer_remove(request, cohort_id, record_id):
    def remove(item):
        services.officer_remove(user=request.user, officer=item)

    return _remove(request, cohort_id, ClassOfficer, record_id, remove, _("The class officer was removed."))


@office_required
@require_POST
def committee_member_remove(request, cohort_id, record_id):
    def remove(item):
        services.committee_member_remove(user=request.user, member=item)

    message = _("The member was removed from the steering committee.")
    return _remove(request, cohort_id, SteeringCommitteeMember, record_id, remove, message)


@teaching_staff_required
def field_trip_report(request, trip_id):
    """The report file, to those who may see the class; never a public media address."""
    trip = get_object_or_404(FieldTrip.objects.visible_to(request.user), pk=trip_id)
    return private_file(trip.report)
