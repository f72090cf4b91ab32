"""Typed readers of environment variables for settings (no secrets in the repository)."""

from __future__ import annotations

import os

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{name} must be a boolean (1/0, true/false), not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name} must be an integer, not {raw!r}") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


# Dedupe keys of the portal counters live for a day; the database cache must not cull them
# at Django's default of 300 entries, or returning visitors would be counted again.
DATABASE_CACHE_OPTIONS = {"MAX_ENTRIES": 2_000_000, "CULL_FREQUENCY": 10}


def cache_from_url(url: str) -> dict:
    """One ``CACHES`` entry from a URL.

    ``db://table`` (the default: Django's database cache with one-statement writes,
    ``daotao.lib.cache``; its table comes with the migrations),
    ``redis://host:port/db`` or ``rediss://`` (Django's built-in Redis backend, for several
    app servers), ``locmem://`` (one process only).
    """
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise ValueError(f"CACHE_URL must look like scheme://..., not {url!r}")
    scheme = scheme.lower()
    if scheme == "db":
        return {
            "BACKEND": "daotao.lib.cache.DatabaseCache",
            "LOCATION": rest or "daotao_cache",
            "OPTIONS": dict(DATABASE_CACHE_OPTIONS),
        }
    if scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": rest}
    raise ValueError(f"CACHE_URL scheme must be db, redis, rediss or locmem, not {scheme!r}")
