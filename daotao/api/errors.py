"""Every failure answers JSON in the ``Error`` shape, in the user's language (Vietnamese by
default), naming the parameter at fault: 400 for input the engine cannot make sense of (or a
NUL character anywhere in the query, refused by ``RefuseNulMiddleware`` before any view),
401/403 for who is asking, 404 for what they may not see, 405 for a method an address does
not take, 422 for malformed parameters."""

from __future__ import annotations

import functools
import re

from django.http import Http404, HttpResponseNotAllowed
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError, ValidationErrorContext

from daotao.api.auth import TokenRejected
from daotao.api.schemas import DATE_PATTERN
from daotao.reports.engine import ReportInputError
from daotao.web.errors import json_error

_QUOTED = re.compile(r"'([^']*)'")


def _problem(error: dict) -> str:
    """A pydantic error as a sentence; the parameter is named by the caller."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "missing":
        return _("This parameter is required.")
    if kind.startswith("int_"):
        return _("Must be a whole number.")
    if kind == "greater_than_equal":
        return _("Must be at least %(limit)s.") % {"limit": ctx.get("ge")}
    if kind == "less_than_equal":
        return _("Must be at most %(limit)s.") % {"limit": ctx.get("le")}
    if kind in ("literal_error", "enum"):
        choices = ", ".join(_QUOTED.findall(str(ctx.get("expected", ""))))
        return _("Must be one of: %(choices)s.") % {"choices": choices}
    if kind == "string_too_short":
        return _("Must not be empty.")
    if kind == "string_too_long":
        return _("Must be at most %(limit)s characters long.") % {"limit": ctx.get("max_length")}
    if kind == "too_long":
        return _("At most %(limit)s values may be given.") % {"limit": ctx.get("max_length")}
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == DATE_PATTERN:
        return _("Must be a date written dd/mm/yyyy or yyyy-mm-dd.")
    if kind == "string_pattern_mismatch":
        return _("Contains characters that are not allowed.")
    return _("Is not a valid value.")


def validation_error(contexts: list[ValidationErrorContext]) -> ValidationError:
    """Ninja's ValidationError, with each location given by the parameter's public name.

    Ninja maps ``("params", "from_")`` of a query schema to ``("from",)`` but leaves deeper
    locations (``("params", "program", 0)``, an item of a list) unmapped; this maps the
    longest known prefix."""
    errors = []
    for context in contexts:
        model = context.model
        names = model.__ninja_flatten_map_reverse__
        for error in context.pydantic_validation_error.errors(include_url=False, include_input=False):
            loc = tuple(error["loc"])
            for size in range(len(loc), 0, -1):
                if loc[:size] in names:
                    loc = names[loc[:size]] + loc[size:]
                    break
            errors.append({"type": error["type"], "loc": (model.__ninja_param_source__, *loc), "ctx": error.get("ctx")})
    return ValidationError(errors)


def _field(loc) -> str:
    """``("query", "from")`` -> ``from``; ``("query", "program", 0)`` -> ``program``."""
    parts = [str(part) for part in loc]
    return parts[1] if len(parts) > 1 else (parts[0] if parts else "")


def error_response(api: NinjaAPI, request, status: int, detail: str, errors: list[dict] | None = None):
    # One maker of the error shape, in and outside ninja (404s, 413s and 500s under /api/).
    return json_error(status, detail, errors)


def answer_wrong_method_as_json(api: NinjaAPI, view):
    """``view`` with its 405 in the ``Error`` shape: ninja answers a method that an address
    does not take (POST to a GET, TRACE) with the bare English "Method not allowed"."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if not isinstance(response, HttpResponseNotAllowed):
            return response
        allowed = response["Allow"]
        detail = _("The method %(method)s cannot be used at this address; it takes %(allowed)s.") % {
            "method": request.method,
            "allowed": allowed,
        }
        answer = error_response(api, request, 405, detail)
        answer["Allow"] = allowed
        return answer

    return wrapped


def _bad_input(api: NinjaAPI, request, status: int, errors: list[dict]):
    detail = " ".join(_("Parameter “%(field)s”: %(message)s") % error for error in errors)
    return error_response(api, request, status, detail, errors)


def install(api: NinjaAPI) -> None:
    """Register the handlers; anything else still raises (a bug, never an answer to input)."""

    @api.exception_handler(ValidationError)
    def malformed(request, exc: ValidationError):
        errors: dict[str, dict] = {}
        for error in exc.errors:
            field = _field(error.get("loc", ()))
            # One message per parameter: the first is the one to fix first.
            errors.setdefault(field, {"field": field, "message": _problem(error)})
        return _bad_input(api, request, 422, list(errors.values()))

    @api.exception_handler(ReportInputError)
    def meaningless(request, exc: ReportInputError):
        return _bad_input(api, request, 400, [{"field": exc.field, "message": exc.message}])

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc: AuthenticationError):
        if isinstance(exc, TokenRejected):
            detail = exc.message
        else:
            detail = _("Sign in, or send an API token in the header “Authorization: Bearer <key>”.")
        response = error_response(api, request, 401, detail)
        response["WWW-Authenticate"] = 'Bearer realm="DaoTao"'
        return response

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        return error_response(api, request, exc.status_code, exc.message)

    @api.exception_handler(Http404)
    def not_found(request, exc: Http404):
        return error_response(api, request, 404, _("Not found."))
