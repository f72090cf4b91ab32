"""Import of nominations (applications) from one .xlsx workbook (docs/import-format.md).

The sheet ``HoSo`` holds one row per candidate. Reading the file, finding the headers and
reading cells are the class import's (``daotao.cohorts.importing``); this package adds the
nomination format (``columns``), the checks of each row against the file, the database and
the user's scope and the writes (``plan``), the entry point ``import_applications``
(``service``), the inserts of thousands of rows in a few statements (``writing``) and the
template workbook (``template``). The web page runs the import as a background job
(``daotao.web.jobs``).
"""

from daotao.admissions.importing.columns import NOMINATIONS, SHEETS
from daotao.admissions.importing.plan import ImportResult
from daotao.admissions.importing.service import import_applications
from daotao.web.import_results import ImportProblem, ImportRejected

__all__ = ["NOMINATIONS", "SHEETS", "ImportProblem", "ImportRejected", "ImportResult", "import_applications"]
