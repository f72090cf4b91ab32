"""Import of nominations (applications) from one .xlsx workbook (docs/import-format.md).

The sheet ``HoSo`` holds one row per candidate. Reading the file, finding the headers and
reading cells are the class import's (``daotao.cohorts.importing``); this package adds the
nomination format (``columns``), the checks of each row against the file, the database and
the user's scope and the writes (``plan``), the entry point ``import_applications``
(``service``), the template workbook (``template``) and the background job of the web page
(``jobs``).
"""

from daotao.admissions.importing.columns import NOMINATIONS, SHEETS
from daotao.admissions.importing.plan import ImportResult
from daotao.admissions.importing.service import import_applications
from daotao.cohorts.importing.results import ImportProblem, ImportRejected

__all__ = ["NOMINATIONS", "SHEETS", "ImportProblem", "ImportRejected", "ImportResult", "import_applications"]
