from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from daotao.web.errors import is_api, json_error, request_too_large

NUL = "\x00"


def chosen_language(request) -> str:
    """The language chosen with Django's ``set_language`` view, else the default (Vietnamese)."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return chosen if chosen in {code for code, _name in settings.LANGUAGES} else settings.LANGUAGE_CODE


class LanguageMiddleware:
    """Vietnamese unless the user chose another language (the language cookie set by
    Django's ``set_language`` view). Unlike Django's LocaleMiddleware it ignores the
    browser's Accept-Language, so an English-language browser still gets Vietnamese."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def _nul_parameter(request) -> str | None:
    """Where the request carries a NUL character: ``""`` for its address, else the name of
    the query or form parameter; None when it carries none."""
    if NUL in request.path:
        return ""
    for parameters in (request.GET, request.POST):
        for name, values in parameters.lists():
            if NUL in name or any(NUL in value for value in values):
                return name.replace(NUL, "")
    return None


class RefuseNulMiddleware:
    """PostgreSQL cannot hold a NUL character in text, so a lookup with one fails the
    request there (and only there). A request with NUL in its address or in any query or
    form parameter is refused with 400 before a view sees it: a short sentence, or under
    /api/ the API's JSON error shape."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        parameter = _nul_parameter(request)
        if parameter is None:
            return self.get_response(request)
        with translation.override(chosen_language(request)):
            message = _("The request contains a NUL character, which is not allowed.")
            if not is_api(request):
                return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
            errors = [{"field": parameter, "message": message}] if parameter else []
            detail = " ".join(_("Parameter “%(field)s”: %(message)s") % error for error in errors) or message
            return json_error(400, detail, errors)


class RequestSizeMiddleware:
    """A request whose declared body is over ``DAOTAO_MAX_REQUEST_BYTES`` is refused with 413
    and a page saying so, before Django reads a byte of it: Django streams uploaded files to
    disk without a limit of its own, and each form checks only its own files' sizes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DAOTAO_MAX_REQUEST_BYTES
        try:
            size = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            size = 0
        if size <= limit:
            return self.get_response(request)
        with translation.override(chosen_language(request)):
            return request_too_large(request, size, limit)


class TrustedProxyMiddleware:
    """Behind a reverse proxy every request comes from the proxy's address. When it comes
    from one of ``DAOTAO_TRUSTED_PROXIES``, the visitor's address is the last one the proxy
    added to X-Forwarded-For; it replaces REMOTE_ADDR, which the portal's visitor counting
    and the sign-in lock-out read. From anywhere else the header is ignored: anyone can
    write it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.trusted = frozenset(settings.DAOTAO_TRUSTED_PROXIES)

    def __call__(self, request):
        if self.trusted and request.META.get("REMOTE_ADDR") in self.trusted:
            forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
            client = next((address for address in reversed(forwarded) if address and address not in self.trusted), None)
            if client:
                request.META["REMOTE_ADDR"] = client
        return self.get_response(request)


# The public portal's pages: the same for every anonymous visitor, so caches may keep them.
PUBLIC_NAMESPACES = frozenset({"portal"})


class PrivateCacheMiddleware:
    """Pages, exports and API answers carry personal data (names, grades, national IDs), so
    no browser or proxy cache may keep them: every response gets ``Cache-Control: private,
    no-store``, except the public portal's pages to an anonymous visitor (cacheable like any
    public page) and a response whose view set its own Cache-Control. A signed-in user's
    portal page is private too (it carries their name), and so is an API answer, whose
    caller signs in with a token rather than a session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control") or self._public(request):
            return response
        patch_cache_control(response, private=True, no_store=True)
        return response

    @staticmethod
    def _public(request) -> bool:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
        match = getattr(request, "resolver_match", None)
        return match is not None and match.namespace in PUBLIC_NAMESPACES
