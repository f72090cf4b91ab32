"""Essay pages: the topic bank, a class's essays with near-duplicate flags, one essay (topic
decision, assignment, graders' marks, reconciliation), a lecturer's essays to supervise and
grade, and a student's own essay (register a topic, submit the text)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from daotao.accounts.access import (
    has_scope,
    is_lecturer,
    is_student,
    is_training_office,
    office_required,
    require,
    teaching_staff_required,
)
from daotao.accounts.scope import scope_of
from daotao.cohorts.access import cohort_for_user, localities_for
from daotao.cohorts.models import Enrollment
from daotao.essays import services
from daotao.essays.forms import (
    AssignForm,
    DecideForm,
    GradeForm,
    IssueFilterForm,
    ProposeForm,
    ReconcileForm,
    SubmitForm,
    TopicForm,
)
from daotao.essays.models import Essay, EssayStatus, LocalIssue
from daotao.org.models import LOCALITY_KINDS, Unit
from daotao.people.search import folded_words_q
from daotao.programs.models import ModuleKind
from daotao.web.files import private_file
from daotao.web.forms import add_service_errors

ISSUES_PER_PAGE = 50
ESSAY_RELATED = (
    "enrollment__student",
    "enrollment__cohort",
    "supervisor",
    "first_grader",
    "second_grader",
    "local_issue",
)


# --- the topic bank -----------------------------------------------------------------------


def _filtered_issues(request, filters):
    issues = LocalIssue.objects.visible_to(request.user).select_related("locality")
    if filters.is_valid():
        data = filters.cleaned_data
        issues = issues.filter(folded_words_q(data["q"], "search_key"))
        if data["locality"] is not None:
            issues = issues.filter(locality__path__startswith=data["locality"].path)
        if data["year"] is not None:
            issues = issues.filter(year=data["year"])
        if data["status"]:
            issues = issues.filter(status=data["status"])
    return issues.order_by("-year", "title", "pk")


@require(has_scope, may_post=services.may_propose)
def issue_bank(request):
    """The bank of local issues: search and filter; coordinators and the office propose,
    the office approves and retires."""
    may_propose = services.may_propose(request.user)
    form = ProposeForm(request.POST or None, localities=localities_for(request.user)) if may_propose else None
    if request.method == "POST":
        if form.is_valid():
            try:
                services.local_issue_propose(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The topic was proposed; the training office will review it."))
                return redirect("essays:issues")
    filters = IssueFilterForm(request.GET, localities=Unit.objects.filter(kind__in=LOCALITY_KINDS).order_by("sort_key"))
    page = Paginator(_filtered_issues(request, filters), ISSUES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "form": form,
        "office": is_training_office(request.user),
    }
    return render(request, "essays/issue_bank.html", context)


@office_required
@require_POST
def issue_status(request, issue_id, action):
    issue = get_object_or_404(LocalIssue.objects.all(), pk=issue_id)
    if action == "approve":
        services.local_issue_approve(user=request.user, issue=issue)
        messages.success(request, _("The topic is offered in the bank."))
    else:
        services.local_issue_retire(user=request.user, issue=issue)
        messages.success(request, _("The topic is no longer offered."))
    return redirect("essays:issues")


# --- lists of essays ----------------------------------------------------------------------


def _with_similar(user, essays):
    """Attach to each essay ``similar_essays``: (other essay, match, visible) for its
    near-duplicates, in two queries for the whole list. Essays the user may not open are
    named by topic and class only."""
    ids = {item["essay"] for essay in essays for item in essay.similar}
    others, visible = {}, set()
    if ids:
        others = {
            e.pk: e
            for e in Essay.objects.filter(pk__in=ids).select_related("enrollment__student", "enrollment__cohort")
        }
        visible = set(Essay.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
    for essay in essays:
        essay.similar_essays = [
            (others[item["essay"]], item, item["essay"] in visible) for item in essay.similar if item["essay"] in others
        ]
    return essays


def _with_marks(user, essays):
    """Attach the marks the user may see (a grader sees the other's once both are in)."""
    lecturer_id = scope_of(user).lecturer_id
    for essay in essays:
        essay.shown_first, essay.shown_second = essay.marks_seen_by(lecturer_id)
    return essays


@teaching_staff_required
def cohort_essays(request, cohort_id):
    cohort = cohort_for_user(request.user, whole=True, pk=cohort_id).cohort
    essays = list(
        Essay.objects.visible_to(request.user)
        .filter(enrollment__cohort=cohort)
        .select_related(*ESSAY_RELATED)
        .order_by("enrollment__student__sort_key", "pk")
    )
    context = {
        "cohort": cohort,
        "essays": _with_marks(request.user, _with_similar(request.user, essays)),
        "has_essay": services.has_graduation_essay(cohort.program),
        "office": is_training_office(request.user),
    }
    return render(request, "essays/cohort_essays.html", context)


@require(is_lecturer)
def assigned_essays(request):
    """A lecturer's essays to supervise and grade, those waiting for their mark first."""
    lecturer_id = scope_of(request.user).lecturer_id
    mine = Q(supervisor_id=lecturer_id) | Q(first_grader_id=lecturer_id) | Q(second_grader_id=lecturer_id)
    essays = list(
        Essay.objects.filter(mine)
        .select_related(*ESSAY_RELATED)
        .order_by("-enrollment__cohort__opening_date", "enrollment__cohort__code", "enrollment__student__sort_key")
    )
    for essay in essays:
        own = "first_score" if essay.first_grader_id == lecturer_id else "second_score"
        grader = lecturer_id in (essay.first_grader_id, essay.second_grader_id)
        essay.mark_due = grader and essay.status in services.MARKING_STATUSES and getattr(essay, own) is None
    essays.sort(key=lambda essay: not essay.mark_due)
    _with_marks(request.user, _with_similar(request.user, essays))
    return render(request, "essays/assigned.html", {"essays": essays, "lecturer_id": lecturer_id})


# --- one essay ----------------------------------------------------------------------------


def _forms(request, essay):
    """The forms the user may use on this essay, by action; the posted one bound."""
    office = is_training_office(request.user)
    lecturer_id = scope_of(request.user).lecturer_id
    action = request.POST.get("action") if request.method == "POST" else None

    def make(name, form_class, **kwargs):
        return form_class(request.POST if action == name else None, prefix=name, **kwargs)

    forms = {}
    supervisor = lecturer_id is not None and lecturer_id == essay.supervisor_id
    if essay.status == EssayStatus.REGISTERED and (office or supervisor):
        forms["decide"] = make("decide", DecideForm)
    if office:
        initial = {name: getattr(essay, f"{name}_id") for name in services.ASSIGNMENT_FIELDS}
        forms["assign"] = make("assign", AssignForm, initial=initial)
    graders = [g for g in (essay.first_grader, essay.second_grader) if g and (office or g.pk == lecturer_id)]
    if graders and essay.status in services.MARKING_STATUSES:
        initial = {}
        if len(graders) == 1:
            initial["score"] = essay.first_score if graders[0].pk == essay.first_grader_id else essay.second_score
        forms["grade"] = make("grade", GradeForm, graders=graders, initial=initial)
    if office and essay.status == EssayStatus.NEEDS_RECONCILIATION:
        forms["reconcile"] = make("reconcile", ReconcileForm)
    return action, forms


def _act(user, essay, action, data) -> str:
    """Run the action's service; returns the message to show."""
    if action == "decide":
        approve = data["decision"] == "approve"
        services.essay_topic_decide(user=user, essay=essay, approve=approve, reason=data["reason"])
        return _("The topic was approved.") if approve else _("The topic was rejected.")
    if action == "assign":
        services.essay_assign(user=user, essay=essay, **data)
        return _("The supervisor and graders were assigned.")
    if action == "grade":
        services.essay_grade(user=user, essay=essay, grader=data["grader"], score=data["score"])
        return _("The mark was saved.")
    services.essay_reconcile(user=user, essay=essay, score=data["score"])
    return _("The reconciled score was saved.")


@login_required
def essay_detail(request, essay_id):
    essay = get_object_or_404(Essay.objects.visible_to(request.user).select_related(*ESSAY_RELATED), pk=essay_id)
    if scope_of(request.user).student_id is not None:
        return redirect("essays:my")
    action, forms = _forms(request, essay)
    if request.method == "POST":
        form = forms.get(action)
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                done = _act(request.user, essay, action, form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, done)
                return redirect("essays:detail", essay_id=essay.pk)
    _with_marks(request.user, _with_similar(request.user, [essay]))
    return render(request, "essays/essay_detail.html", {"essay": essay, "forms": forms})


@login_required
def essay_file(request, essay_id):
    """The essay's file, to those who may see the essay; never a public media address."""
    essay = get_object_or_404(Essay.objects.visible_to(request.user), pk=essay_id)
    return private_file(essay.file)


# --- the student's own essay --------------------------------------------------------------


@require(is_student)
def my_essay(request):
    enrollment = (
        Enrollment.objects.visible_to(request.user)
        .filter(cohort__program__modules__kind=ModuleKind.GRADUATION)
        .exclude(status__in=services.CLOSED_ENROLLMENT_STATUSES)
        .select_related("cohort__program", "student")
        .order_by("-cohort__opening_date", "-pk")
        .first()
    )
    essay = None
    if enrollment is not None:
        essay = Essay.objects.select_related("supervisor", "local_issue").filter(enrollment=enrollment).first()
    action = request.POST.get("action") if request.method == "POST" else None
    topic_form = TopicForm(request.POST if action == "register" else None)
    submit_form = SubmitForm(
        request.POST if action == "submit" else None,
        request.FILES if action == "submit" else None,
        initial={"text": getattr(essay, "text", "")},
    )
    if action is not None:
        if enrollment is None or action not in ("register", "submit") or (action == "submit" and essay is None):
            raise PermissionDenied
        form = topic_form if action == "register" else submit_form
        if form.is_valid():
            try:
                if action == "register":
                    services.essay_register(user=request.user, enrollment=enrollment, **form.cleaned_data)
                    done = _("Your topic was registered.")
                else:
                    services.essay_submit(user=request.user, essay=essay, **form.cleaned_data)
                    done = _("Your essay was submitted.")
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, done)
                return redirect("essays:my")
    context = {"enrollment": enrollment, "essay": essay, "topic_form": topic_form, "submit_form": submit_form}
    return render(request, "essays/my_essay.html", context)
