"""Sign-in lock-out: django-axes records every attempt; this module decides who waits.

Two limits, each with a wait that doubles with every further failure:

- an account from one address: after ``DAOTAO_SIGN_IN_ATTEMPTS`` failures of a username
  from an address, that username waits ``DAOTAO_LOCKOUT_MINUTES`` there, then twice as
  long after each further failure, at most ``DAOTAO_LOCKOUT_MAX_MINUTES``. Failures are
  forgotten ``DAOTAO_SIGN_IN_MEMORY_HOURS`` after the last one, and at a successful
  sign-in. Colleagues behind the same office address keep signing in: only the username
  that failed waits, and only from that address.
- an address, whatever the usernames: ``DAOTAO_ADDRESS_SIGN_IN_ATTEMPTS`` failures within
  an hour make the whole address wait the same way, which limits guessing across many
  usernames (a success does not clear it, or one valid account would reopen the address).

A sign-in refused because of a wait is not a failure: the password was not checked, so it
neither counts nor lengthens the wait. The counts come from axes' own records (attempts per
username and address; the failure log for the address), so they are shared by every app
server and shown in the admin, where deleting them lifts a wait.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.db.models import Count, Max, Sum
from django.shortcuts import render
from django.utils import timezone

# The address's failures are counted over the last hour.
ADDRESS_WINDOW = dt.timedelta(hours=1)
# 2**32 minutes is far beyond any cap; the exponent stops growing there.
_MAX_DOUBLINGS = 32


def backoff(failures: int, limit: int, first: dt.timedelta, longest: dt.timedelta) -> dt.timedelta | None:
    """The wait after the latest of ``failures`` failures: none below ``limit``; ``first`` at
    the limit, doubled with each failure after it, at most ``longest``."""
    if failures < limit:
        return None
    return min(first * 2 ** min(failures - limit, _MAX_DOUBLINGS), longest)


def _wait(failures: int, limit: int) -> dt.timedelta | None:
    return backoff(
        failures,
        limit,
        dt.timedelta(minutes=settings.DAOTAO_LOCKOUT_MINUTES),
        dt.timedelta(minutes=settings.DAOTAO_LOCKOUT_MAX_MINUTES),
    )


def _memory() -> dt.timedelta:
    return dt.timedelta(hours=settings.DAOTAO_SIGN_IN_MEMORY_HOURS)


@dataclass(frozen=True)
class Lock:
    until: dt.datetime
    by_address: bool  # the address's limit, not the account's


def _now(request) -> dt.datetime:
    return getattr(request, "axes_attempt_time", None) or timezone.now()


def account_failures(request, username) -> tuple[int, dt.datetime | None]:
    """(failures remembered, time of the last) of ``username`` from the request's address."""
    found = AccessAttempt.objects.filter(
        username=username, ip_address=request.axes_ip_address, attempt_time__gt=_now(request) - _memory()
    ).aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    return found["failures"] or 0, found["last"]


def address_failures(request) -> tuple[int, dt.datetime | None]:
    """(failures within the last hour, time of the last) from the request's address."""
    found = AccessFailureLog.objects.filter(
        ip_address=request.axes_ip_address, attempt_time__gt=_now(request) - ADDRESS_WINDOW
    ).aggregate(failures=Count("pk"), last=Max("attempt_time"))
    return found["failures"], found["last"]


def lock_of(request, username) -> Lock | None:
    """The wait the request is under, the longer of the two when both apply; None if none."""
    now, locks = _now(request), []
    for (failures, last), limit, by_address in (
        (account_failures(request, username), failure_limit(request), False),
        (address_failures(request), settings.DAOTAO_ADDRESS_SIGN_IN_ATTEMPTS, True),
    ):
        wait = _wait(failures, limit)
        if wait is not None and last is not None and last + wait > now:
            locks.append(Lock(until=last + wait, by_address=by_address))
    return max(locks, key=lambda lock: lock.until, default=None)


def forget_account_failures(username: str) -> int:
    """Forget the failed sign-ins of ``username`` from every address (its account's waits
    end), as a successful sign-in does from one: when its password was set anew through a
    link sent to the account's email (``accounts.passwords``). The addresses' own counts
    stay. Returns how many records were forgotten."""
    count, _deleted = AccessAttempt.objects.filter(username=username).delete()
    return count


def failure_limit(request, credentials=None) -> int:
    """``AXES_FAILURE_LIMIT``: the account's limit, ``DAOTAO_SIGN_IN_ATTEMPTS``."""
    return settings.DAOTAO_SIGN_IN_ATTEMPTS


def cool_off(request) -> dt.timedelta:
    """``AXES_COOLOFF_TIME``: the wait the request's username and address are under now
    (the first wait when none), for any part of axes that asks."""
    lock = lock_of(request, get_client_username(request)) if request is not None else None
    if lock is None:
        return dt.timedelta(minutes=settings.DAOTAO_LOCKOUT_MINUTES)
    return max(lock.until - _now(request), dt.timedelta(0))


class SignInHandler(AxesDatabaseHandler):
    """axes' database handler with the policy above (``AXES_HANDLER``)."""

    def get_failures(self, request, credentials=None) -> int:
        """The remembered failures of the username from this address: axes locks the
        account out when a failure brings them to the limit, and every later one too."""
        return account_failures(request, get_client_username(request, credentials))[0]

    def is_locked(self, request, credentials=None) -> bool:
        return lock_of(request, get_client_username(request, credentials)) is not None

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        # axes decides on the account; the failure just logged may also bring the address
        # to its limit.
        if request is None or request.axes_locked_out:
            return
        if lock_of(request, get_client_username(request, credentials)) is not None:
            request.axes_locked_out = True
            request.axes_credentials = credentials

    def clean_expired_user_attempts(self, request=None, credentials=None) -> int:
        """Forget the attempts whose last failure is older than the memory, whatever the
        current wait of this request (axes would use it for everybody's records)."""
        count, _deleted = AccessAttempt.objects.filter(attempt_time__lte=_now(request) - _memory()).delete()
        return count


def locked_out(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: the page of a refused sign-in (429), saying how long to
    wait and whether the account or the whole address waits; ``Retry-After`` in seconds."""
    lock = lock_of(request, get_client_username(request, credentials))
    seconds = max(math.ceil((lock.until - _now(request)).total_seconds()), 1) if lock else 60
    context = {"minutes": math.ceil(seconds / 60), "by_address": bool(lock and lock.by_address)}
    response = render(request, "registration/locked_out.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response
