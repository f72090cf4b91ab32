"""A cadre's training record: the page and its workbook."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render

from daotao.accounts.access import has_scope, require
from daotao.people.models import Student
from daotao.records import export
from daotao.records.record import record_file_stem, training_record
from daotao.web.files import xlsx_response


def _record(request, student_id: int):
    """The record of a student the user may see (``Student.visible_to``), else 404."""
    students = Student.objects.visible_to(request.user).select_related("locality", "agency")
    return training_record(get_object_or_404(students, pk=student_id), request.user)


@require(has_scope)
def student_record(request, student_id: int):
    """A cadre's whole history at the school, as the user may see it (``records.record``).

    The record is the person's, identified by their national ID (the API reads it by that
    number), but its address carries the record's id, never the national ID: an address
    ends up in server logs, browser history and Referer headers, and most viewers (the
    board, lecturers, a host locality's coordinator) see national IDs masked
    (docs/security.md, "Personal data")."""
    record = _record(request, student_id)
    return render(request, "records/student.html", {"record": record, "student": record.student})


@require(has_scope)
def student_record_xlsx(request, student_id: int):
    """The same record as a workbook, one sheet per section, personal data as on the page."""
    record = _record(request, student_id)
    return xlsx_response(export.workbook(record), f"{record_file_stem(record.student)}.xlsx")
