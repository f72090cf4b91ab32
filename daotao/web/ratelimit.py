"""Counting requests per client in the shared cache, and the answer once a client asks too
often: the one home of DaoTao's request limits (the public credential check, the links to
set a new password).

A limit is a fixed window that starts at a client's first request: ``add`` writes the
counter with the window as its lifetime if it is not there, ``incr`` adds one to it and
keeps that lifetime. Both are atomic on the caches DaoTao runs on (Redis; the database
cache of ``daotao.lib.cache``, whose ``incr`` locks the row), so concurrent requests from
every server process are each counted once.

The client is the address ``TrustedProxyMiddleware`` left in ``REMOTE_ADDR`` (the visitor
behind a trusted reverse proxy); an IPv6 address counts by its /64, which one household or
machine usually holds whole. Only a hash of the address is kept, as the portal's counters
keep none.

django-ratelimit was considered: it needs a cache with an atomic ``incr`` and says the
database cache has none (Django's reads, then writes with the default timeout), which is
DaoTao's default cache; and by default its decorator answers 403 where a limit is 429.
"""

from __future__ import annotations

import hashlib
import ipaddress

from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import gettext as _

from daotao.lib.vietnamese import format_int
from daotao.web.errors import error_page, is_api, json_error

IPV6_PREFIX = 64


def client_address(request) -> str:
    """Who is counted: the visitor's address (an IPv6 one by its /64 network)."""
    address = request.META.get("REMOTE_ADDR", "")
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped is not None:  # ::ffff:203.0.113.5 is that IPv4 client
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/{IPV6_PREFIX}", strict=False))


def counted(key: str, limit: int, window: int) -> bool:
    """Count one more request under ``key`` for ``window`` seconds from the first; False
    once more than ``limit`` have been counted in the window."""
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


def client_allowed(request, scope: str, limit: int, window: int) -> bool:
    """Count this request of the client under ``scope``; False past ``limit`` in ``window``
    seconds."""
    digest = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    return counted(f"ratelimit:{scope}:{digest}", limit, window)


def too_many_requests(request, window: int) -> HttpResponse:
    """429 with ``Retry-After``: a page saying how long to wait before trying again, or
    under /api/ the API's JSON error saying the same."""
    if is_api(request):
        detail = _(
            "Too many requests came from your address in a short time. Wait %(seconds)s seconds, then try again."
        )
        response = json_error(429, detail % {"seconds": format_int(window)})
    else:
        response = error_page(request, "web/too_many_requests.html", 429, {"seconds": window})
    response["Retry-After"] = str(window)
    return response
