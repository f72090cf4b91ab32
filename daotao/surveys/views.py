"""Answering a survey through its single-use link (no sign-in: the link is the key)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from daotao.surveys import services
from daotao.surveys.forms import AnswerForm
from daotao.surveys.models import Invitation
from daotao.web.forms import add_service_errors


@never_cache
@csrf_protect
def answer(request, token: str):
    try:
        invitation = services.invitation_check(Invitation.from_token(token))
    except services.LinkRefused as refused:
        return render(request, "surveys/link_refused.html", {"message": refused.message}, status=refused.status)
    survey_round = invitation.round
    questions = services.questions_of(survey_round)
    form = AnswerForm(questions, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.response_submit(invitation=invitation, values=form.values())
        except services.LinkRefused as refused:
            return render(request, "surveys/link_refused.html", {"message": refused.message}, status=refused.status)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("surveys:thanks")
    context = {"form": form, "round": survey_round, "invitation": invitation}
    return render(request, "surveys/answer.html", context, status=400 if form.errors else 200)


def thanks(request):
    return render(request, "surveys/thanks.html")
