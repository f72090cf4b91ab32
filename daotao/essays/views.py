"""Essay pages: the topic bank, a class's essays with near-duplicate flags, a student's
own essay (register a topic, submit the text)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daotao.accounts.access import is_training_office
from daotao.accounts.scope import scope_of
from daotao.cohorts.models import Enrollment
from daotao.essays import services
from daotao.essays.models import Essay, LocalIssue, LocalIssueStatus
from daotao.grading.access import teaching_staff_required, visible_cohort
from daotao.lib.vietnamese import search_words
from daotao.org.models import LOCALITY_KINDS, Unit
from daotao.programs.models import ModuleKind


class TopicForm(forms.Form):
    local_issue = forms.ModelChoiceField(
        label=gettext_lazy("Topic from the bank"), queryset=LocalIssue.objects.none(), required=False
    )
    title = forms.CharField(label=gettext_lazy("Or your own topic"), max_length=255, required=False)


class SubmitForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Essay text"), widget=forms.Textarea(attrs={"rows": 10}))


class ProposeForm(forms.Form):
    locality = forms.ModelChoiceField(label=gettext_lazy("Locality"), queryset=Unit.objects.none())
    title = forms.CharField(label=gettext_lazy("Title"), max_length=255)
    description = forms.CharField(
        label=gettext_lazy("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


@teaching_staff_required
def cohort_essays(request, cohort_id):
    cohort = visible_cohort(request.user, cohort_id)
    essays = list(
        Essay.objects.visible_to(request.user)
        .filter(enrollment__cohort=cohort)
        .select_related("enrollment__student", "supervisor", "first_grader", "second_grader", "local_issue")
        .order_by("enrollment__student__sort_key")
    )
    similar_ids = {item["essay"] for essay in essays for item in essay.similar}
    others = {
        e.pk: e
        for e in Essay.objects.filter(pk__in=similar_ids).select_related("enrollment__cohort", "enrollment__student")
    }
    for essay in essays:
        essay.similar_essays = [(others.get(item["essay"]), item) for item in essay.similar if item["essay"] in others]
    return render(request, "essays/cohort_essays.html", {"cohort": cohort, "essays": essays})


@login_required
def my_essay(request):
    scope = scope_of(request.user)
    if scope.student_id is None:
        raise PermissionDenied
    enrollment = (
        Enrollment.objects.visible_to(request.user)
        .filter(cohort__program__modules__kind=ModuleKind.GRADUATION)
        .select_related("cohort__program", "student")
        .order_by("-cohort__opening_date")
        .first()
    )
    essay = getattr(enrollment, "essay", None) if enrollment else None
    topic_form = TopicForm(request.POST if "register" in request.POST else None)
    topic_form.fields["local_issue"].queryset = LocalIssue.objects.filter(status=LocalIssueStatus.APPROVED)
    submit_form = SubmitForm(
        request.POST if "submit" in request.POST else None, initial={"text": getattr(essay, "text", "")}
    )
    if request.method == "POST" and enrollment is not None:
        try:
            if "register" in request.POST and topic_form.is_valid():
                services.essay_register(user=request.user, enrollment=enrollment, **topic_form.cleaned_data)
                messages.success(request, _("Your topic was registered."))
                return redirect("essays:my")
            if "submit" in request.POST and essay and submit_form.is_valid():
                services.essay_submit(user=request.user, essay=essay, text=submit_form.cleaned_data["text"])
                messages.success(request, _("Your essay was submitted."))
                return redirect("essays:my")
        except ValidationError as error:
            form = topic_form if "register" in request.POST else submit_form
            for message in error.messages:
                form.add_error(None, message)
    context = {"enrollment": enrollment, "essay": essay, "topic_form": topic_form, "submit_form": submit_form}
    return render(request, "essays/my_essay.html", context)


@login_required
def issue_bank(request):
    """The bank of local issues: search, propose (coordinators, office), approve (office)."""
    scope = scope_of(request.user)
    if scope.nothing:
        raise PermissionDenied
    office = is_training_office(request.user)
    may_propose = office or scope.unit_path is not None
    form = ProposeForm(request.POST if "propose" in request.POST else None)
    localities = Unit.objects.filter(kind__in=LOCALITY_KINDS)
    if not office and scope.unit_path is not None:
        localities = localities.filter(path__startswith=scope.unit_path)
    form.fields["locality"].queryset = localities
    if request.method == "POST":
        if "approve" in request.POST or "retire" in request.POST:
            if not office:
                raise PermissionDenied
            issue = get_object_or_404(LocalIssue, pk=request.POST.get("issue") or 0)
            action = services.local_issue_approve if "approve" in request.POST else services.local_issue_retire
            action(user=request.user, issue=issue)
            return redirect("essays:issues")
        if may_propose and form.is_valid():
            try:
                services.local_issue_propose(user=request.user, year=timezone.localdate().year, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, " ".join(getattr(error, "messages", [str(error)])))
            else:
                messages.success(request, _("The topic was proposed; the training office will review it."))
                return redirect("essays:issues")
    issues = LocalIssue.objects.visible_to(request.user).select_related("locality")
    query = request.GET.get("q", "")[:100]
    for word in search_words(query):
        issues = issues.filter(search_key__contains=word)
    status = request.GET.get("status")
    if status in LocalIssueStatus.values:
        issues = issues.filter(status=status)
    context = {
        "issues": issues[:200],
        "query": query,
        "form": form if may_propose else None,
        "office": office,
        "statuses": LocalIssueStatus.choices,
    }
    return render(request, "essays/issue_bank.html", context)
