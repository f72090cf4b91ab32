"""``cohorts_import``: the one entry point of the import, for the page, the command and the tests.

It reads and checks every row first and writes only when the whole file is right (all or
nothing), in one transaction. Importing the same file again changes nothing.
"""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from daotao.cohorts.importing.columns import SHEETS
from daotao.cohorts.importing.plan import Plan
from daotao.cohorts.importing.reading import read_workbook
from daotao.cohorts.importing.results import ImportResult
from daotao.web.import_results import ImportProblem, ImportRejected

logger = logging.getLogger(__name__)


def cohorts_import(source, *, dry_run: bool = False) -> ImportResult:
    """Import a workbook (path, bytes or file object): all rows, or nothing.

    Raises ImportRejected listing every problem when any row is wrong; returns what was
    (or, with ``dry_run``, would be) created, updated and left unchanged.
    """
    sheets = read_workbook(source)
    try:
        with transaction.atomic():
            plan = Plan(sheets)
            if plan.problems:
                raise ImportRejected(plan.problems, SHEETS)
            if not dry_run:
                plan.write()
    except IntegrityError:
        logger.warning("import collided with a concurrent change", exc_info=True)
        raise ImportRejected(
            [ImportProblem(_("The records changed while the file was being imported; nothing was written. Try again."))]
        ) from None
    plan.result.dry_run = dry_run
    return plan.result
