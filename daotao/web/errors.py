"""Answers for requests that fail before or outside a view: a page in the visitor's
language on the site, the API's JSON error shape (``{"detail", "errors"}``) under /api/.

Django's own pages for these (404, 403, a failed CSRF check) are English, and the CSRF
page carries an inline style that the Content-Security-Policy blocks."""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

from daotao.lib.vietnamese import format_file_size
from daotao.school import identity

API_PREFIX = "/api/"


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def json_error(status: int, detail: str, errors: list[dict] | None = None) -> JsonResponse:
    """The API's error answer (``daotao.api.schemas.Error``), for code outside django-ninja."""
    return JsonResponse(
        {"detail": detail, "errors": errors or []},
        status=status,
        content_type="application/json; charset=utf-8",
        json_dumps_params={"ensure_ascii": False},
    )


def error_page(request, template: str, status: int, context: dict | None = None) -> HttpResponse:
    """``template`` (extending web/error_base.html) rendered without the database: the
    school's identity is the process's last snapshot (the unnamed school before any page)."""
    context = {"school": identity.current(database_down=True), **(context or {})}
    return HttpResponse(loader.render_to_string(template, context, request=None), status=status)


def page_not_found(request, exception):
    if is_api(request):
        return json_error(404, _("Not found."))
    return error_page(request, "404.html", 404)


def permission_denied(request, exception):
    if is_api(request):
        return json_error(403, _("You may not do this."))
    return error_page(request, "403.html", 403)


def csrf_failure(request, reason=""):
    """A form sent without its CSRF token, or with an old one (the page was open across a
    sign-in or for a long time): nothing was saved; reload the page and send it again."""
    if is_api(request):
        return json_error(403, _("The request was refused: its security token is missing or out of date."))
    return error_page(request, "403_csrf.html", 403)


def bad_request(request, exception):
    """A request Django refuses as malformed (400), with a page in the visitor's language;
    form fields other than files over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` get the too-large
    page (413)."""
    if isinstance(exception, RequestDataTooBig):
        return request_too_large(request, None, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    if is_api(request):
        return json_error(400, _("The request could not be read."))
    return error_page(request, "400.html", 400)


def server_error(request):
    """The answer to an unexpected error. When the database cannot be reached (restarting,
    network, disk), people are told so and to try again shortly (503), not shown a bare
    error; nothing here needs the database. Under /api/ the API's JSON error."""
    error = sys.exc_info()[1]
    unavailable = isinstance(error, OperationalError | InterfaceError) or (
        isinstance(error, DatabaseError) and "connection" in str(error).lower()
    )
    if unavailable:
        logging.getLogger("daotao").error("Database unavailable: %s", error)
        if is_api(request):
            response = json_error(
                503, _("DaoTao cannot reach its database at the moment; please try again in a minute.")
            )
        else:
            response = error_page(request, "web/unavailable.html", 503)
        response["Retry-After"] = "30"
        return response
    if is_api(request):
        return json_error(
            500,
            _(
                "Something went wrong on our side and your request was not completed. The error has been "
                "recorded; please try again, and tell the school's IT staff if it happens again."
            ),
        )
    return error_page(request, "500.html", 500)


def request_too_large(request, size: int | None, limit: int) -> HttpResponse:
    """The answer (in the active language) to a request whose body is over ``limit`` bytes,
    413: nothing of it was stored; the visitor goes back and sends smaller files. Under
    /api/ the API's JSON error."""
    context = {
        "school": identity.current(database_down=True),
        "size": format_file_size(size) if size else None,
        "limit": format_file_size(limit),
    }
    if is_api(request):
        if size:
            detail = _(
                "The files and form you sent come to %(size)s, more than the %(limit)s one request may carry. "
                "Nothing was saved."
            )
        else:
            detail = _("The form you sent is more than the %(limit)s one request may carry. Nothing was saved.")
        return json_error(413, detail % context)
    return error_page(request, "web/request_too_large.html", 413, context)
