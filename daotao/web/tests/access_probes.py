"""What a request did, for the access matrix: the tables it wrote (``Writes``), whether its
view read the posted body (``BodyReads``), the forms it showed again with their errors, the
rows of every model; a savepoint to undo it (``rolled_back``); and the URL patterns there are,
with DEBUG on and off (``patterns``, ``urls_under``)."""

from __future__ import annotations

import functools
import importlib.util
import re
from contextlib import contextmanager
from unittest import mock

from django import forms
from django.apps import apps
from django.contrib.messages import get_messages
from django.core.handlers.wsgi import WSGIRequest
from django.db import connection, transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver

import daotao.urls


def patterns(resolver=None, prefix="", namespace=""):
    """(route, full name, pattern) of every URL pattern, included ones too."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from patterns(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), f"{namespace}{pattern.name}" if pattern.name else None, pattern


@functools.cache
def urls_under(debug: bool):
    """DaoTao's URLconf as ``daotao/urls.py`` builds it with DEBUG on or off: the test
    process built its own once, with whatever DEBUG was then."""
    with override_settings(DEBUG=debug):
        spec = importlib.util.spec_from_file_location(f"daotao_urls_debug_{debug}", daotao.urls.__file__)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return module


@contextmanager
def rolled_back():
    """A savepoint undone at the end, whatever happened inside."""

    class Undo(Exception):
        pass

    try:
        with transaction.atomic():
            yield
            raise Undo
    except Undo:
        pass


WRITE = re.compile(r'^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.I)
# Written by signing in and by the database cache (job states, page caches): no records.
NOT_RECORDS = {"django_session", "axes_accesslog", "axes_accessattempt", "axes_accessfailurelog", "daotao_cache"}


class Writes:
    """The models whose tables are written (INSERT, UPDATE, DELETE) while active."""

    def __init__(self):
        self.models: set[str] = set()
        self.labels = {m._meta.db_table: m._meta.label for m in apps.get_models(include_auto_created=True)}

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        written = WRITE.match(sql)
        # An update or delete that changed no row (a cascade with nothing to delete) wrote
        # nothing; an insert's count is not known before its RETURNING rows are read.
        changed = sql.lstrip()[:6].upper() == "INSERT" or context["cursor"].rowcount != 0
        if written and written.group(1) not in NOT_RECORDS and changed:
            self.models.add(self.labels.get(written.group(1), written.group(1)))
        return result

    def __enter__(self):
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)


class BodyReads:
    """The URL names whose view read the posted body (``request.POST``, ``request.FILES``)
    while active; middleware that reads it before the URL is resolved does not count."""

    def __init__(self):
        self.names: set[str] = set()

    def _watched(self, prop):
        def get(request):
            if request.resolver_match is not None:
                self.names.add(request.resolver_match.view_name)
            return prop.fget(request)

        return property(get, prop.fset)

    def __enter__(self):
        self._patches = [
            mock.patch.object(WSGIRequest, name, self._watched(getattr(WSGIRequest, name)))
            for name in ("POST", "FILES")
        ]
        for patch in self._patches:
            patch.start()
        return self

    def __exit__(self, *exc):
        for patch in self._patches:
            patch.stop()


def form_errors(response) -> list:
    """The errors of the posted forms the page shows again."""
    errors = []
    for context in response.context or []:
        for value in context.flatten().values():
            for form in value.values() if isinstance(value, dict) else [value]:
                if isinstance(form, forms.BaseForm) and form.is_bound and form.errors:
                    errors.append(form.errors.as_data())
    return errors


def why(response) -> str:
    """What to show when an answer is not the one expected."""
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    if response.context is not None and (errors := form_errors(response)):
        return f"form errors: {errors} {messages}"
    return f"{response.status_code} {response.headers.get('Location', '')} {messages} {response.content[:300]!r}"


def row_counts() -> dict[str, int]:
    """Rows of every model but the sessions and sign-in records that signing the personas in
    creates."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.label not in ("sessions.Session", "axes.AccessLog")
    }
