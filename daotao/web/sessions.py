"""Django's database sessions, refusing cookies that cannot be session keys.

Django's keys are 32 lowercase letters and digits; any other cookie value (a NUL byte,
say, which PostgreSQL rejects in text) is treated as no session instead of reaching the
database and failing the request."""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    def _validate_session_key(self, key):
        return bool(key) and 8 <= len(key) <= 40 and key.isascii() and key.isalnum()
