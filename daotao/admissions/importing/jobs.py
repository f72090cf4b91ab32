"""The web page's import job: the upload saved to a temporary file and imported in a
background thread, its progress and outcome kept in the cache under a random id scoped to
the user, so that any app server can answer the page that polls it.

With the setting ``DAOTAO_IMPORT_INLINE`` (tests) the job runs at once, in the request.
"""

from __future__ import annotations

import logging
import os
import secrets
import tempfile
import threading

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import translation

from daotao.admissions.importing.service import import_applications
from daotao.cohorts.importing.results import ImportRejected

logger = logging.getLogger(__name__)

KEEP_SECONDS = 6 * 3600  # how long a finished job's outcome can be looked at
RUNNING, DONE, REJECTED, FAILED = "running", "done", "rejected", "failed"


def _key(user, job: str) -> str:
    return f"admissions-import:{user.pk}:{job}"


def start(user, upload, *, year: int, dry_run: bool) -> str:
    """Save ``upload``, start importing it, and return the job's id."""
    with tempfile.NamedTemporaryFile(prefix="daotao-import-", suffix=".xlsx", delete=False) as saved:
        for chunk in upload.chunks():
            saved.write(chunk)
    job = secrets.token_urlsafe(12)
    key = _key(user, job)
    cache.set(key, {"state": RUNNING, "done": 0, "total": 0, "dry_run": dry_run}, KEEP_SECONDS)
    arguments = (key, saved.name, user, year, dry_run, translation.get_language())
    if getattr(settings, "DAOTAO_IMPORT_INLINE", False):
        run(*arguments, threaded=False)
    else:
        threading.Thread(target=run, args=arguments, kwargs={"threaded": True}, daemon=True).start()
    return job


def run(key: str, path: str, user, year: int, dry_run: bool, language: str, *, threaded: bool) -> None:
    """Import the saved file, keeping its progress and outcome under ``key``."""

    def progress(done: int, total: int) -> None:
        cache.set(key, {"state": RUNNING, "done": done, "total": total, "dry_run": dry_run}, KEEP_SECONDS)

    try:
        with translation.override(language):
            try:
                result = import_applications(path, year=year, user=user, dry_run=dry_run, progress=progress)
            except ImportRejected as rejected:
                problems = [
                    {"sheet": p.sheet, "row": p.row, "column": p.column, "message": str(p.message)}
                    for p in rejected.problems
                ]
                outcome = {"state": REJECTED, "problems": problems}
            else:
                outcome = {"state": DONE, "lines": result.lines(), "created": result.created}
        outcome["dry_run"] = dry_run
    except Exception:
        logger.exception("nomination import failed")
        outcome = {"state": FAILED, "dry_run": dry_run}
    finally:
        os.unlink(path)
    try:
        cache.set(key, outcome, KEEP_SECONDS)
    finally:
        if threaded:
            connection.close()  # the thread's own connection, opened by the import


def state(user, job: str) -> dict | None:
    """The job's progress or outcome, or None if it is not one of this user's jobs."""
    return cache.get(_key(user, job))
