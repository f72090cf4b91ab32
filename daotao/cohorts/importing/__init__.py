"""Import of classes and their students from one .xlsx workbook (docs/import-format.md).

The sheet ``Lop`` holds one row per class, the sheet ``HocVien`` one row per student of a
class with the student's personal data. ``cohorts_import`` reads and checks every row
first and writes only when the whole file is right (all or nothing): cohorts by class code,
students by national ID, enrollments by (student, cohort), in one transaction of bulk
statements. Importing the same file again changes nothing.

The modules, in the order an import runs through them:

- ``columns``: the workbook format, the sheets, their columns and accepted choice labels;
- ``reading``: opening the file and reading both sheets, refusing a file that is not right;
- ``rows``: one row's cells read into values and validated by the models;
- ``plan``: every row checked against the file and the database, and the writes decided;
- ``service``: ``cohorts_import``, the one entry point, under ``transaction.atomic``;
- ``results``: what an import reports, its counts (its problems: ``daotao.web.import_results``);
- ``template``: the empty workbook offered for download.
"""

from daotao.cohorts.importing.columns import COHORTS, SHEETS, STUDENTS
from daotao.cohorts.importing.plan import Plan
from daotao.cohorts.importing.reading import read_workbook
from daotao.cohorts.importing.results import ImportResult
from daotao.cohorts.importing.service import cohorts_import
from daotao.cohorts.importing.template import template_workbook
from daotao.web.import_results import ImportProblem, ImportRejected, Tally

__all__ = [
    "COHORTS",
    "SHEETS",
    "STUDENTS",
    "ImportProblem",
    "ImportRejected",
    "ImportResult",
    "Plan",
    "Tally",
    "cohorts_import",
    "read_workbook",
    "template_workbook",
]
