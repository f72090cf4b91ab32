"""The public check of a credential: ``/xac-minh/<code>/`` (the address in the printed QR
code) and ``/xac-minh/`` with a form to type the code (``?ma=``). Anyone may open them,
signed in or not.

A code that cannot be one and a code no credential has get the same answer (404, the same
page, the code not repeated), so the page tells nothing of how codes are made. Each look-up
counts against the client's limit (``DAOTAO_VERIFY_PER_MINUTE``), whatever the code.

The answer names a person: no cache keeps it (``Cache-Control: no-store``), search engines
are asked not to index it, and no Referer carries the code to another site."""

from __future__ import annotations

import functools

from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from daotao.accounts.scope import scope_of
from daotao.grading.verification import TYPED_MAX_LENGTH, WINDOW_SECONDS, lookup, verification_allowed
from daotao.web import ratelimit


def _private(view):
    """The headers of every answer of these pages, a refusal included."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        response["X-Robots-Tag"] = "noindex"
        response["Referrer-Policy"] = "no-referrer"
        return response

    return wrapped


def _page(request, context: dict, status: int = 200):
    context = {
        "typed_max_length": TYPED_MAX_LENGTH,
        "staff_pages": scope_of(request.user).staff,  # the portal header's link to them
        **context,
    }
    return render(request, "grading/verify.html", context, status=status)


def _answer(request, typed: str):
    if not verification_allowed(request):
        return ratelimit.too_many_requests(request, WINDOW_SECONDS)
    found = lookup(typed)
    if found is None:
        # The language switch leads back to the form, so that no part of the page repeats the code.
        return _page(request, {"asked": True, "found": None, "language_next": reverse("credential-verify-form")}, 404)
    return _page(request, {"asked": True, "found": found})


@require_safe
@_private
def verify(request, code):
    """The credential with this code, or the page saying there is none (404)."""
    return _answer(request, code)


@require_safe
@_private
def verify_form(request):
    """The form to type a code; with ``?ma=`` the answer, as ``verify`` gives it."""
    typed = request.GET.get("ma", "").strip()
    if not typed:
        return _page(request, {"asked": False, "found": None})
    return _answer(request, typed)
