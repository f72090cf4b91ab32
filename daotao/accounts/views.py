"""The user's own page: who they are, and the API tokens they hold."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from daotao.accounts.access import is_signed_in, is_staff, require
from daotao.accounts.models import ApiToken


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the new token"),
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=gettext_lazy("What the token is for, e.g. “statistics spreadsheet of the Organisation Board”."),
    )


def _render_profile(request, form=None):
    # Only staff with a scope may use the API, so only they are offered tokens; anyone
    # may see and revoke the tokens they hold.
    may_create = is_staff(request.user)
    context = {
        "tokens": ApiToken.objects.filter(user=request.user),
        "form": (form or ApiTokenForm()) if may_create else None,
    }
    return render(request, "accounts/profile.html", context)


@login_required
def profile(request):
    return _render_profile(request)


@never_cache
@require(is_signed_in, may_post=is_staff)
@require_POST
def api_token_create(request):
    """Issue a token and show its key on this one response: only its hash is kept."""
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _render_profile(request, form)
    token, key = ApiToken.issue(request.user, form.cleaned_data["name"])
    return render(request, "accounts/api_token_created.html", {"token": token, "key": key})


@login_required
@require_POST
def api_token_revoke(request, token_id):
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    token.delete()
    messages.success(request, _("The token “%(name)s” is revoked: it no longer opens the API.") % {"name": token.name})
    return redirect("profile")
