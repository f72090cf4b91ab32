"""A user's own password: changing it when signed in, and a new one by a link sent by email.

Django's views, forms and password rules (``django.contrib.auth``, ``AUTH_PASSWORD_VALIDATORS``)
with four of DaoTao's own:

- the current password on the change form is checked as a sign-in is (``authenticate``), so
  that a wrong one is a failed sign-in of the account from this address: someone guessing
  it in a session left open waits as at the sign-in page (django-axes, ``accounts.lockout``);
- the link in the email starts from ``DAOTAO_SITE_URL``, as the survey invitations' do,
  never from the Host header a request came with;
- a new password set through the link forgets the account's failed sign-ins, so that a
  user who was made to wait can sign in with it at once;
- every rule's message is Vietnamese (``MinimumLengthValidator``).

Whether an address has an account is never told: the page after asking for a link is the
same, and a message goes only to an active account with that address (Django's rule).
"""

from __future__ import annotations

import hashlib
import logging
import math
import unicodedata

from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import ngettext

from daotao.accounts.lockout import forget_account_failures
from daotao.accounts.models import User
from daotao.school import identity
from daotao.web import ratelimit

logger = logging.getLogger(__name__)
# The window in which password reset requests are counted (``reset_allowed``).
RESET_WINDOW_SECONDS = 3600


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule (``AUTH_PASSWORD_VALIDATORS``), with its message in DaoTao's catalogue:
    Django 5.2 reworded it and its Vietnamese catalogue has no translation of the new words,
    so a short password was refused in English."""

    def get_error_message(self):
        return ngettext(
            "This password is too short: it must contain at least %(min_length)d character.",
            "This password is too short: it must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form; the current password is checked by signing in with it (see above)."""

    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        signed_in = authenticate(self.request, username=self.user.get_username(), password=old_password)
        if signed_in is None or signed_in.pk != self.user.pk:
            raise ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "registration/password_change.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        # The right current password is a sign-in: the wrong ones typed before it are
        # forgotten, as a successful sign-in forgets them (else a later typo locks the account).
        forget_account_failures(self.request.user.get_username())
        return super().form_valid(form)


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_changed.html"


def link_lifetime_hours() -> int:
    """How long a link sent by email works (``PASSWORD_RESET_TIMEOUT``), in whole hours."""
    return max(math.ceil(settings.PASSWORD_RESET_TIMEOUT / 3600), 1)


def _counted(key: str, limit: int) -> bool:
    """Count one more request under ``key`` for the hour (the shared cache, so that every
    server process counts together); False once ``limit`` is passed."""
    return ratelimit.counted(key, limit, RESET_WINDOW_SECONDS)


def reset_allowed(request, email: str) -> bool:
    """Whether a link may be sent now: at most ``DAOTAO_RESET_EMAILS_PER_ADDRESS`` for one
    address and ``DAOTAO_RESET_REQUESTS_PER_CLIENT`` asked from one client in an hour. Beyond,
    nobody's mailbox is flooded and nobody sprays addresses; the page stays the same, so
    that it tells nothing of the address either. Only a hash of the address is kept."""
    address = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    client = request.META.get("REMOTE_ADDR", "")
    by_client = _counted(f"password-reset:client:{client}", settings.DAOTAO_RESET_REQUESTS_PER_CLIENT)
    by_address = _counted(f"password-reset:address:{address}", settings.DAOTAO_RESET_EMAILS_PER_ADDRESS)
    if not (by_client and by_address):
        logger.warning("Password reset link not sent: too many asked (%s)", "client" if not by_client else "address")
        return False
    return True


def _folded(text: str) -> str:
    """Addresses compared as Django compares them: Unicode-normalised, without case."""
    return unicodedata.normalize("NFKC", text).casefold()


class PasswordResetForm(auth_forms.PasswordResetForm):
    def get_users(self, email):
        """Django's active accounts with this address, including those with no password yet:
        an account made by the people workbook has none until its holder sets one, and a
        holder whose first link expired asks for another here (DaoTao has no other sign-in
        that an unusable password would stand for)."""
        field = User.get_email_field_name()
        users = User._default_manager.filter(**{f"{field}__iexact": email, "is_active": True})
        return (u for u in users if _folded(email) == _folded(getattr(u, field)))


class PasswordResetView(auth_views.PasswordResetView):
    """Asks for the address and sends the link; Django's page tells nothing of whether the
    address has an account. Sending is Django's too: a mail server that refuses is logged
    (``django.contrib.auth``), and the page is the same. Too many asked for one address or
    from one client in an hour (``reset_allowed``): the same page, and no email."""

    form_class = PasswordResetForm

    def form_valid(self, form):
        if not reset_allowed(self.request, form.cleaned_data["email"]):
            return HttpResponseRedirect(self.get_success_url())
        self.extra_email_context = {
            "site_url": settings.DAOTAO_SITE_URL,
            "school": identity.current(),
            "hours": link_lifetime_hours(),
        }
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link's page: a new password, once; the link is spent when the password changes."""

    def get_context_data(self, **kwargs):
        # A link that does not work shows no form: its page reads nothing posted to it
        # (Django's builds the form from the post, then drops it).
        if not self.validlink:
            kwargs.setdefault("form", None)
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        forget_account_failures(self.user.get_username())
        return response
