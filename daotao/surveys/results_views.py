"""Results of survey rounds: the list of rounds a user may see, one round's results (page,
xlsx, PDF) and the comparison of the rounds of one questionnaire.

Who sees what (``SurveyRound.objects.visible_to``): school staff every round; a lecturer the
rounds about themselves; a locality coordinator or agency the rounds of the classes they
see; students and others get 403, a round outside one's scope 404. Free texts are shown to
the training office and the school board only."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from daotao.accounts.access import is_school_wide, teaching_staff_required
from daotao.cohorts.models import Cohort
from daotao.org.models import Lecturer
from daotao.surveys import documents, results
from daotao.surveys.models import Phase, Questionnaire, SurveyRound
from daotao.web.files import xlsx_response
from daotao.web.forms import YearField

PAGE_SIZE = 50
GROUPING_CHOICES = [
    ("cohort", gettext_lazy("Class")),
    ("lecturer", gettext_lazy("Lecturer")),
    ("year", gettext_lazy("Year")),
]


class RoundFilterForm(forms.Form):
    year = YearField(label=gettext_lazy("Year"), required=False)
    phase = forms.ChoiceField(label=gettext_lazy("Phase"), required=False, choices=[("", "—"), *Phase.choices])
    cohort = forms.ModelChoiceField(label=gettext_lazy("Class"), required=False, queryset=Cohort.objects.none())
    lecturer = forms.ModelChoiceField(label=gettext_lazy("Lecturer"), required=False, queryset=Lecturer.objects.none())

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = Cohort.objects.filter(pk__in=rounds.values("cohort_id")).order_by("code")
        self.fields["lecturer"].queryset = Lecturer.objects.filter(pk__in=rounds.values("lecturer_id"))

    def apply(self, rounds):
        data = self.cleaned_data
        if data["year"]:
            rounds = rounds.filter(closes_on__year=data["year"])
        if data["phase"]:
            rounds = rounds.filter(phase=data["phase"])
        if data["cohort"]:
            rounds = rounds.filter(cohort=data["cohort"])
        if data["lecturer"]:
            rounds = rounds.filter(lecturer=data["lecturer"])
        return rounds


class ComparisonForm(forms.Form):
    questionnaire = forms.ModelChoiceField(label=gettext_lazy("Questionnaire"), queryset=Questionnaire.objects.none())
    by = forms.ChoiceField(label=gettext_lazy("Compare by"), choices=GROUPING_CHOICES, initial="cohort")

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].queryset = Questionnaire.objects.filter(
            pk__in=rounds.values("version__questionnaire_id")
        )


def _visible(user):
    return SurveyRound.objects.visible_to(user)


@teaching_staff_required
def results_list(request):
    """The rounds the user may see, newest first, with their response counts."""
    visible = _visible(request.user)
    form = RoundFilterForm(request.GET or None, rounds=visible)
    rounds = visible
    if form.is_bound and form.is_valid():
        rounds = form.apply(rounds)
    elif form.is_bound:
        rounds = rounds.none()
    rounds = rounds.select_related("cohort", "module", "lecturer").annotate(
        invited=Count("invitations", distinct=True),
        answered=Count("invitations", filter=Q(invitations__answered=True), distinct=True),
    )
    page = Paginator(rounds.order_by("-closes_on", "title", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    for survey_round in page:
        survey_round.rate = results.share(survey_round.answered, survey_round.invited)
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "surveys/results/list.html", {"form": form, "page": page}, status=status)


@teaching_staff_required
def results_round(request, round_id, fmt="html"):
    """One round's results; ``fmt`` xlsx or pdf downloads them."""
    survey_round = get_object_or_404(
        _visible(request.user).select_related(
            "cohort__program", "cohort__host_locality", "module", "lecturer", "version__questionnaire"
        ),
        pk=round_id,
    )
    built = results.round_results(survey_round, show_text=is_school_wide(request.user))
    if fmt == "xlsx":
        return xlsx_response(results.workbook(built), f"ket-qua-khao-sat-{survey_round.pk}.xlsx")
    context = {
        "survey_round": survey_round,
        "results": built,
        "today": timezone.localdate(),
    }
    if fmt == "pdf":
        response = HttpResponse(
            documents.round_pdf(survey_round, built, request=request), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'attachment; filename="ket-qua-khao-sat-{survey_round.pk}.pdf"'
        return response
    return render(request, "surveys/results/round.html", context)


@teaching_staff_required
def results_compare(request):
    """The rounds of one questionnaire compared by class, lecturer or year."""
    visible = _visible(request.user)
    form = ComparisonForm(request.GET or None, rounds=visible)
    context = {"form": form}
    status = 200
    if form.is_bound:
        if form.is_valid():
            rounds = visible.filter(version__questionnaire=form.cleaned_data["questionnaire"])
            context["comparison"] = results.comparison(rounds, by=form.cleaned_data["by"])
        else:
            status = 400
    return render(request, "surveys/results/compare.html", context, status=status)
