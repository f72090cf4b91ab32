"""``import_applications``: the one entry point of the nomination import, for the page, the
command, the benchmark and the tests.

Every row is read and checked first, outside the write transaction (so that progress can be
reported meanwhile, even to a database cache on SQLite); writing then happens only when the
whole file is right, in one transaction of bulk statements, after making sure that no
application the file updates changed in between. Importing the same file again changes
nothing.
"""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from daotao.accounts.access import is_recorder
from daotao.accounts.scope import SYSTEM
from daotao.admissions import checks
from daotao.admissions.importing.columns import NOMINATIONS, SHEETS
from daotao.admissions.importing.plan import UPDATE_FIELDS, ImportResult, Plan, Progress
from daotao.admissions.importing.writing import insert_applications, insert_documents
from daotao.admissions.models import Application, ApplicationDocument
from daotao.cohorts.importing.reading import read_workbook
from daotao.lib.batches import BATCH, chunks
from daotao.planning.models import AnnualPlan
from daotao.web.import_results import ImportProblem, ImportRejected

logger = logging.getLogger(__name__)


def _rejected(message: str) -> ImportRejected:
    return ImportRejected([ImportProblem(message)], SHEETS)


def import_applications(
    source, *, year: int, user, dry_run: bool = False, progress: Progress | None = None
) -> ImportResult:
    """Import the nominations of a workbook (path, bytes or file object) into ``year``'s plan:
    all rows, or nothing.

    Raises ImportRejected listing every problem (sheet, row, column, reason) when the file or
    any row is wrong; returns what was (or, with ``dry_run``, would be) created, updated and
    left unchanged. ``progress(done, total)`` is called every few hundred rows.
    """
    if user is not SYSTEM and not is_recorder(user):
        raise _rejected(_("Your account may not nominate candidates."))
    plan = AnnualPlan.objects.filter(year=year).first()
    if plan is None:
        raise _rejected(
            _("There is no annual plan for %(year)s: the training office must create it first.") % {"year": year}
        )
    sheet = read_workbook(source, SHEETS)[NOMINATIONS.name]
    checked = Plan(sheet, plan, user, progress)
    if checked.problems:
        raise ImportRejected(checked.problems, SHEETS)
    checked.result.dry_run = dry_run
    if not dry_run:
        try:
            with transaction.atomic():
                _write(checked, progress)
        except IntegrityError:
            logger.warning("nomination import collided with a concurrent change", exc_info=True)
            raise _rejected(
                _("The records changed while the file was being imported; nothing was written. Try again.")
            ) from None
    return checked.result


def _write(checked: Plan, progress: Progress | None) -> None:
    """The writes of a checked file, in bulk; ImportRejected if an application to update
    changed since it was read."""
    stamps = {a.pk: a.updated_at for a in checked.changed}
    for chunk in chunks(sorted(stamps)):
        for pk, stamp in Application.objects.filter(pk__in=chunk).values_list("pk", "updated_at"):
            if stamps.pop(pk) != stamp:
                stamps[pk] = None
    if stamps:  # changed or deleted since the file was checked
        raise IntegrityError("applications changed during the import")
    checked.stamp()
    _check_new(checked)
    insert_applications(checked.new)
    Application.objects.bulk_update(checked.changed, UPDATE_FIELDS, batch_size=BATCH)
    today = timezone.localdate()
    new, changed = checked.documents_to_write()
    insert_documents(new, today)
    for chunk in chunks(changed):
        ApplicationDocument.objects.filter(pk__in=chunk).update(received=True, received_on=today)
    total, written = len(checked.sheet.rows), len(checked.new) + len(checked.changed)
    done = len(checked.new)
    for chunk in chunks(checked.changed, BATCH * 2):
        checks.refresh(chunk)
        done += len(chunk)
        if progress:
            progress(total + total * done // written, 2 * total)
    if progress:
        progress(2 * total, 2 * total)


def _check_new(checked: Plan) -> None:
    """The checks of the new applications, stored before they are inserted: one INSERT each
    instead of an INSERT and an UPDATE (``checks.refresh``)."""
    if not checked.new:
        return
    context = checks.Context.load(checked.new)
    documents = {id(application): set(types) for application, types in checked.received.values()}
    for application in checked.new:
        # Unsaved applications have no primary key: the documents they will have received
        # are looked up under None, set for each in turn.
        context.received[None] = documents.get(id(application), set())
        checks.apply(application, context)
