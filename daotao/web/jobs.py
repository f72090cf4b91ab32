"""Background jobs, for the workbook imports: the one home for saving an upload, running
the work in a thread, keeping its progress and outcome, and sweeping what a dead worker
left behind.

- ``start(request, work, upload, title=..., back=...)`` saves the upload in the directory
  ``DAOTAO_UPLOAD_TEMP_DIR`` (readable by the server's user only), records the job and
  runs ``work(path, progress)`` in a thread, or at once in the request with the setting
  ``DAOTAO_IMPORT_INLINE`` (the tests). It returns the job's id: the page ``job`` follows it
  (polled with HTMX) until it shows the outcome.
- ``work`` calls the import's service: it returns ``Done`` (the lines to show, links to go
  on), raises ImportRejected (``web.import_results``: the problems are listed, at most
  ``LISTED``), or fails (logged; the page says so). ``progress(done, total)`` reports how
  far it is.
- The job's state lives in the cache under a random id scoped to the user, so that any app
  server answers the page that polls it; another user's job is not found. It carries a
  heartbeat, refreshed by each progress report and every ``HEARTBEAT`` seconds while the
  thread lives: a job whose worker was killed stops beating and reads as failed once its
  heartbeat is older than ``DAOTAO_IMPORT_STALE_SECONDS``.
- The uploaded file is deleted when the work ends, whatever happens. A killed worker's file
  is swept when the next job starts, and by ``manage.py sweep_uploads`` (cron): every file
  in the directory older than the stale limit goes (a live job's heartbeat touches its file).
  Django keeps large uploads there while a request reads them (``FILE_UPLOAD_TEMP_DIR``), so
  those are swept too.
- At most ``DAOTAO_IMPORT_WORKERS`` jobs run at once in a server process; others wait.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.utils import translation
from django.utils.translation import gettext as _

from daotao.web.import_results import ImportRejected

logger = logging.getLogger(__name__)

KEEP_SECONDS = 6 * 3600  # how long a finished job's outcome can be looked at
HEARTBEAT = 10  # seconds between two heartbeats of a live job
WAITING, RUNNING, DONE, REJECTED, FAILED = "waiting", "running", "done", "rejected", "failed"
ACTIVE = (WAITING, RUNNING)

Progress = Callable[[int, int], None]

_slots_lock = threading.Lock()
_slots: dict[int, threading.BoundedSemaphore] = {}  # by DAOTAO_IMPORT_WORKERS


@dataclass
class Done:
    """What a finished job shows: lines (the first is the headline) and links to go on."""

    lines: list[str]
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, address)


def directory() -> Path:
    """The one directory of temporary uploads, made (for this user only) if missing."""
    path = Path(settings.DAOTAO_UPLOAD_TEMP_DIR)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def sweep(older_than: float | None = None) -> int:
    """Delete the files of the upload directory not touched for ``older_than`` seconds (the
    stale limit by default): what killed workers left. Returns how many went."""
    limit = settings.DAOTAO_IMPORT_STALE_SECONDS if older_than is None else older_than
    now, removed = time.time(), 0
    for path in directory().iterdir():
        try:
            if path.is_file() and now - path.stat().st_mtime > limit:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # gone meanwhile (its job ended, or another sweep)
            continue
    return removed


def cache_key(user, job: str) -> str:
    """Where the job's state is kept: under its user, so that nobody else finds it."""
    return f"job:{user.pk}:{job}"


def state(user, job: str) -> dict | None:
    """The job's progress or outcome, or None if it is not one of this user's jobs. A job
    whose heartbeat stopped (its worker died) is failed from then on."""
    key = cache_key(user, job)
    found = cache.get(key)
    if found and found["state"] in ACTIVE:
        if time.time() - found.get("heartbeat", 0) > settings.DAOTAO_IMPORT_STALE_SECONDS:
            found = {**found, "state": FAILED, "stale": True}
            cache.set(key, found, KEEP_SECONDS)
    return found


def start(request, work: Callable[[Path, Progress], Done], upload, *, title, back: str, back_label=None,
          dry_run: bool = False) -> str:  # fmt: skip
    """Save ``upload``, start ``work`` on it and return the job's id (see the module)."""
    sweep()
    job = secrets.token_urlsafe(12)
    path = directory() / f"job-{job}.xlsx"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as saved:
            for chunk in upload.chunks():
                saved.write(chunk)
    except BaseException:  # a full disk, a broken upload: no half file left behind
        path.unlink(missing_ok=True)
        raise
    runner = _Runner(
        cache_key(request.user, job),
        path,
        work,
        {
            "title": str(title),
            "back": back,
            "back_label": str(back_label or _("Import another file")),
            "dry_run": dry_run,
        },
    )
    runner.save(state=WAITING, done=0, total=0)
    if settings.DAOTAO_IMPORT_INLINE:
        runner.run()
    else:
        threading.Thread(target=runner.run, kwargs={"threaded": True}, daemon=True).start()
    return job


def _job_slots() -> threading.BoundedSemaphore:
    count = max(1, settings.DAOTAO_IMPORT_WORKERS)
    with _slots_lock:
        if count not in _slots:
            _slots[count] = threading.BoundedSemaphore(count)
        return _slots[count]


class _Runner:
    """One job: its state (written to the cache under a lock, by the work's progress and by
    the heartbeat) and the run of its work."""

    def __init__(self, key: str, path: Path, work, state: dict):
        self.key, self.path, self.work = key, path, work
        self.state = state
        self.language = translation.get_language()
        self.lock = threading.Lock()
        self.stopped = threading.Event()

    def save(self, **changes) -> None:
        with self.lock:
            self.state.update(changes, heartbeat=time.time())
            cache.set(self.key, dict(self.state), KEEP_SECONDS)

    def progress(self, done: int, total: int) -> None:
        self.save(state=RUNNING, done=done, total=total)

    def beat(self) -> None:
        """While the job lives: its heartbeat, and its file's time (so it is not swept)."""
        try:
            while not self.stopped.wait(HEARTBEAT):
                try:
                    os.utime(self.path)
                    self.save()
                except Exception:  # the database cache may be busy a while; beat again later
                    logger.info("job heartbeat missed", exc_info=True)
        finally:
            connections.close_all()  # this thread's own connection

    def run(self, *, threaded: bool = False) -> None:
        heart = threading.Thread(target=self.beat, daemon=True) if threaded else None
        if heart:
            heart.start()
        try:
            with translation.override(self.language):
                outcome = self._outcome(threaded)
        finally:
            self.stopped.set()
            if heart:
                heart.join()
            self.path.unlink(missing_ok=True)
        try:
            with self.lock:
                self.state.update(outcome, heartbeat=time.time())
                cache.set(self.key, dict(self.state), KEEP_SECONDS)
        finally:
            if threaded:
                connections.close_all()  # the thread's own connection, opened by the work

    def _outcome(self, threaded: bool) -> dict:
        slots = _job_slots() if threaded else None
        if slots:
            slots.acquire()
        try:
            self.save(state=RUNNING)
            try:
                done = self.work(self.path, self.progress)
            except ImportRejected as rejected:
                return {
                    "state": REJECTED,
                    "summary": rejected.summary(),
                    "problems": [
                        {"sheet": p.sheet, "row": p.row, "column": p.column, "message": str(p.message)}
                        for p in rejected.problems
                    ],
                    "more": rejected.lines()[-1] if rejected.unlisted else "",
                }
            return {"state": DONE, "lines": [str(line) for line in done.lines],
                    "links": [(str(label), url) for label, url in done.links]}  # fmt: skip
        except Exception:
            logger.exception("background job failed: %s", self.state.get("title"))
            return {"state": FAILED}
        finally:
            if slots:
                slots.release()
