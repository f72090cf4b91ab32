"""Admissions pages: the list of applications, the candidate form, one application with
its checks, dossier, decision and history, and the placement of admitted candidates.

Every application a page reaches comes from ``Application.objects.visible_to(user)``
(others are a 404); only the training office decides, records exceptions and places.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from daotao.accounts.access import is_recorder, is_staff, is_training_office, office_required, require, staff_required
from daotao.admissions import checks, services
from daotao.admissions.forms import (
    ApplicationFilterForm,
    ApplicationForm,
    DecisionForm,
    DocumentsForm,
    ExceptionForm,
    NewCohortForm,
    PlacementFilterForm,
    PlacementForm,
)
from daotao.admissions.models import Application, Decision, ProgramDocument, RuleException
from daotao.audit.models import history
from daotao.cohorts.models import EnrollmentStatus
from daotao.lib.vietnamese import format_date, format_int
from daotao.org.models import Unit
from daotao.people.search import national_id_search_refused
from daotao.planning.models import AnnualPlan
from daotao.programs.models import Program
from daotao.web.files import private_file

PAGE_SIZE = 50
OUTCOME_CLASSES = {checks.PASSED: "ok", checks.FAILED: "bad", checks.MISSING: "bad", checks.WAIVED: "ok"}
# The service's field names -> the decision form's.
DECISION_FIELDS = {
    "decision": "decision",
    "decision_number": "number",
    "decision_date": "date",
    "decision_reason": "reason",
}


def plan_years() -> list[int]:
    return list(AnnualPlan.objects.order_by("-year").values_list("year", flat=True))


def visible_application(request, pk) -> Application:
    return get_object_or_404(
        Application.objects.visible_to(request.user).select_related(
            "plan", "program", "locality", "agency", "position_category", "planned_position", "decided_by",
            "submitted_by", "student", "enrollment__cohort",
        ),
        pk=pk,
    )  # fmt: skip


def can_update_documents(user, application: Application) -> bool:
    """The office at any time; the nominating side while the decision is pending."""
    return is_training_office(user) or (is_recorder(user) and application.decision == Decision.PENDING)


def can_edit(user, application: Application) -> bool:
    return is_recorder(user) and application.decision == Decision.PENDING


# --- the list --------------------------------------------------------------------------------


@staff_required
def application_list(request):
    """Applications in the user's scope, in Vietnamese name order (a name searched: the best
    matches first, ``people.search.ranked``), the latest plan year first shown."""
    visible = Application.objects.visible_to(request.user)
    form = ApplicationFilterForm(
        request.GET,
        years=plan_years(),
        programs=Program.objects.order_by("code").values_list("code", "name"),
        localities=list(
            Unit.objects.filter(pk__in=visible.values("locality"))
            .order_by("sort_key")
            .values_list("code", "name", "path")
        ),
    )
    user = request.user
    applications = form.filter(visible, user).select_related("plan", "program", "locality", "agency")
    ranked = applications.ranked(form.cleaned_data.get("q") or "")
    page = Paginator(ranked, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "can_submit": is_recorder(user),
        "is_office": is_training_office(user),
        "national_id_search_refused": national_id_search_refused(form.cleaned_data.get("q") or "", user),
    }
    return render(request, "admissions/application_list.html", context)


# --- the candidate ---------------------------------------------------------------------------


@require(is_recorder)
def application_new(request):
    return _application_form(request, Application(submitted_by=request.user))


@staff_required
def application_edit(request, pk):
    application = visible_application(request, pk)
    if not is_recorder(request.user):  # the board reads only
        raise PermissionDenied
    if application.decision != Decision.PENDING:
        messages.error(request, _("The application has been decided; return it to pending before changing it."))
        return redirect("admissions:detail", application.pk)
    return _application_form(request, application)


def _application_form(request, application: Application):
    form = ApplicationForm(request.POST or None, instance=application, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                application = form.save()
                earlier = {d.document_type_id: d for d in application.documents.all()}
                today = timezone.localdate()
                received = {
                    type_id: (
                        earlier[type_id].received_on if type_id in earlier and earlier[type_id].received else None
                    )
                    or today
                    for type_id in form.received_documents()
                }
                services.set_documents(application, received)  # saves the documents and re-checks
        except IntegrityError:
            # Another user nominated the same person meanwhile: the unique constraint caught it.
            form.add_error("national_id", _("A candidate with this national ID is already nominated for this program."))
        else:
            messages.success(request, _("The application of %(name)s was saved.") % {"name": application.full_name})
            return redirect("admissions:detail", application.pk)
    return render(request, "admissions/application_form.html", {"form": form, "application": application})


# --- one application -------------------------------------------------------------------------


@staff_required
def application_detail(request, pk):
    return _render_detail(request, visible_application(request, pk))


def _render_detail(request, application: Application, **forms):
    user = request.user
    office = is_training_office(user)
    context = checks.Context.load([application])
    documents = {d.document_type_id: d for d in application.documents.all()}
    checklist = context.documents.get(application.program_id, [])
    page = {
        "application": application,
        "results": [(result, OUTCOME_CLASSES.get(result.outcome, "")) for result in context.results(application)],
        "checklist": [(item, documents.get(item.document_type_id)) for item in checklist],
        "flags": flag_texts(application.flags),
        "history": audit_rows(history(application)),
        "can_edit": can_edit(user, application),
        "is_office": office,
    }
    if can_update_documents(user, application):
        page["documents_form"] = forms.get("documents_form") or DocumentsForm(checklist=checklist, documents=documents)
    if office:
        page["decision_form"] = forms.get("decision_form") or DecisionForm(
            initial={"decision": Decision.ADMITTED, "date": timezone.localdate()}
        )
        page["exception_form"] = forms.get("exception_form") or ExceptionForm(
            application=application, initial={"decided_on": timezone.localdate()}
        )
    return render(request, "admissions/application_detail.html", page)


def flag_texts(flags: list[dict]) -> list[str]:
    texts = []
    for flag in flags:
        if flag.get("status") == EnrollmentStatus.COMPLETED:
            texts.append(_("Already holds this program (class %(code)s).") % {"code": flag.get("cohort")})
        else:
            texts.append(_("Already studying this program (class %(code)s).") % {"code": flag.get("cohort")})
    return texts


ACTIONS = {
    "admission.decision": gettext_lazy("Decision"),
    "admission.place": gettext_lazy("Placed in a class"),
    "admission.exception": gettext_lazy("Exception to a rule"),
}


def _shown(field, value) -> str:
    if value in (None, ""):
        return "—"
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return format_date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def audit_rows(entries) -> list[dict]:
    """Audit entries as the page shows them: labels and values in words where known."""
    models = {"admission.exception": RuleException}
    rows = []
    for entry in entries:
        changes = []
        meta = models.get(entry.action, Application)._meta
        for name, (before, after) in entry.changes.items():
            field = next((f for f in meta.concrete_fields if f.name == name), None)
            if field is not None and field.is_relation:
                continue  # ids mean nothing to a reader; who decided is the entry's user
            label = str(field.verbose_name) if field is not None else name
            changes.append((label, _shown(field, before), _shown(field, after)))
        rows.append({"entry": entry, "action": str(ACTIONS.get(entry.action, entry.action)), "changes": changes})
    return rows


@staff_required
@require_POST
def application_documents(request, pk):
    application = visible_application(request, pk)
    if not can_update_documents(request.user, application):
        raise PermissionDenied
    documents = {d.document_type_id: d for d in application.documents.all()}
    checklist = list(
        ProgramDocument.objects.filter(program_id=application.program_id)
        .select_related("document_type")
        .order_by("order", "id")
    )
    form = DocumentsForm(request.POST, request.FILES, checklist=checklist, documents=documents)
    if form.is_valid():
        services.set_documents(application, form.received(documents, timezone.localdate()), form.uploads())
        messages.success(request, _("The dossier was updated."))
        return redirect("admissions:detail", application.pk)
    return _render_detail(request, application, documents_form=form)


@require(is_staff, may_post=is_training_office)
@require_POST
def application_decision(request, pk):
    application = visible_application(request, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.decide(application, request.user, data["decision"], data["number"], data["date"], data["reason"])
        except services.AdmissionError as error:
            form.add_error(DECISION_FIELDS.get(error.field), error.message)
        else:
            messages.success(request, _("The decision was recorded."))
            return redirect("admissions:detail", application.pk)
    return _render_detail(request, application, decision_form=form)


@require(is_staff, may_post=is_training_office)
@require_POST
def application_exception(request, pk):
    application = visible_application(request, pk)
    form = ExceptionForm(request.POST, application=application)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_exception(
                application,
                data["rule"],
                request.user,
                decided_by=data["decided_by"],
                decided_on=data["decided_on"],
                decision_number=data["decision_number"],
                note=data["note"],
            )
        except services.AdmissionError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The exception was recorded."))
            return redirect("admissions:detail", application.pk)
    return _render_detail(request, application, exception_form=form)


# --- placement -------------------------------------------------------------------------------


@office_required
def placement(request):
    """Admitted candidates of a year and program not yet in a class: place them in an open or
    planned class of the program, or open a new class from them."""
    chooser = PlacementFilterForm(request.GET, years=plan_years())
    chosen = "program" in request.GET
    page = {"chooser": chooser, "chosen": chosen}
    if not (chosen and chooser.is_valid()):
        return render(request, "admissions/placement.html", page)
    year, program = chooser.cleaned_data["year"], chooser.cleaned_data["program"]
    candidates = (
        Application.objects.visible_to(request.user)
        .filter(plan__year=year, program=program, decision=Decision.ADMITTED, enrollment__isnull=True)
        .select_related("locality", "agency")
        .order_by("sort_key", "id")
    )
    posted = request.method == "POST"
    action = request.POST.get("action") if posted else None
    form = PlacementForm(request.POST if posted else None, candidates=candidates, program=program)
    new_form = NewCohortForm(request.POST if action == "open" else None, program=program, year=year)
    if posted and form.is_valid():
        chosen_applications = list(form.cleaned_data["applications"])
        cohort = _place(request, action, form, new_form, chosen_applications)
        if cohort is not None:
            messages.success(
                request,
                ngettext(
                    "%(count)s candidate placed in the class %(code)s.",
                    "%(count)s candidates placed in the class %(code)s.",
                    len(chosen_applications),
                )
                % {"count": format_int(len(chosen_applications)), "code": cohort.code},
            )
            query = urlencode({"year": year, "program": program.code})
            return redirect(f"{reverse('admissions:placement')}?{query}")
    page.update(
        {"year": year, "program": program, "form": form, "new_form": new_form, "candidates": form["applications"]}
    )
    return render(request, "admissions/placement.html", page)


def _place(request, action, form, new_form, applications):
    """Place the candidates as asked; the class they went to, or None with the errors on the forms."""
    try:
        if action == "place":
            cohort = form.cleaned_data["cohort"]
            if cohort is None:
                form.add_error("cohort", _("Choose the class to place the candidates in."))
                return None
            services.place(applications, cohort, request.user)
            return cohort
        if action == "open":
            if not new_form.is_valid():
                return None
            return services.open_cohort(applications, new_form.save(), request.user)
        form.add_error(None, _("Choose what to do with the candidates."))
    except services.AdmissionError as error:
        if action == "open" and error.field in new_form.fields:
            new_form.add_error(error.field, error.message)
        else:
            form.add_error(None, error.message)
    except ValidationError as error:  # the new class failed the model's checks after all
        new_form.add_error(None, error)
    return None


@staff_required
def document_file(request, pk, document_pk):
    """A dossier scan, for those who may see the application (never a public media link)."""
    application = visible_application(request, pk)
    document = get_object_or_404(application.documents.exclude(file=""), pk=document_pk)
    return private_file(document.file, as_attachment=False)
