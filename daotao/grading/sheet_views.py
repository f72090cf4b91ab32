"""The grade sheet of a cohort's module (each cell saved by HTMX), the cohort's overview
of results, a cell's history, the xlsx export and import, and a student's own results."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from daotao.accounts.access import (
    is_staff,
    is_student,
    is_training_office,
    office_required,
    require,
    teaching_staff_required,
)
from daotao.audit.imports import ImportKind, imported
from daotao.audit.models import history
from daotao.cohorts.models import Enrollment
from daotao.grading import sheet_io
from daotao.grading.access import result_modules, sheet_modules
from daotao.grading.models import Grade, GraduationEntry
from daotao.grading.results import cohort_results
from daotao.grading.services import grade_record, may_edit_sheet
from daotao.grading.sheet import Cell, Column, cohort_for, columns_of, module_sheet
from daotao.lib.vietnamese import format_int
from daotao.programs.models import Assessment, Module
from daotao.web import jobs
from daotao.web.files import xlsx_response
from daotao.web.templatetags.vn import vn_decimal


def _number(text) -> int:
    """A posted id; 0 (matches nothing) for anything that is not one."""
    text = str(text or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else 0


def _module(user, cohort, module_id) -> Module:
    """A module whose sheet the user may open (``access.sheet_modules``), else 404."""
    return get_object_or_404(sheet_modules(user, cohort).prefetch_related("assessments"), pk=module_id)


@teaching_staff_required
def cohort_overview(request, cohort_id):
    cohort, enrollments = cohort_for(request.user, cohort_id)
    results = cohort_results(cohort, enrollments)
    shown = result_modules(request.user, cohort)
    if shown is not None:
        results = results.only(shown)
    context = {
        "cohort": cohort,
        "results": results,
        "recorded": _final_results_recorded(results, enrollments),
        "whole": enrollments is None,
        "sheets": set(sheet_modules(request.user, cohort).values_list("pk", flat=True)),
        # The graduation report is for staff (``graduation_views.report``): no link for lecturers.
        "report": is_staff(request.user),
    }
    return render(request, "grading/cohort_overview.html", context)


def _final_results_recorded(results, enrollments) -> list[GraduationEntry]:
    """The graduates of a class that has no grade at all (a past class whose final results
    were imported, ``daotao.onboarding``): their decision's average and classification,
    shown instead of empty module columns. One query, only for such a class."""
    if results.partial or not results.students or any(mark is not None for result in results for mark in result.scores):
        return []
    graduates = GraduationEntry.objects.filter(enrollment__in=[result.enrollment for result in results])
    return list(graduates.select_related("decision", "enrollment__student").order_by("enrollment__student__sort_key"))


@teaching_staff_required
def sheet(request, cohort_id, module_id):
    cohort, enrollments = cohort_for(request.user, cohort_id)
    module, columns, rows, _results = module_sheet(cohort, _module(request.user, cohort, module_id), enrollments)
    context = {
        "cohort": cohort,
        "module": module,
        "columns": columns,
        "rows": rows,
        "whole": enrollments is None,
        "editable": may_edit_sheet(request.user, cohort, module),
        "office": is_training_office(request.user),
    }
    return render(request, "grading/sheet.html", context)


@require_POST
@teaching_staff_required
def cell(request, cohort_id, module_id):
    """Save one cell; answer the cell again (with the refusal, keeping what was typed) and
    the row's module result out of band."""
    cohort, visible = cohort_for(request.user, cohort_id)
    module = _module(request.user, cohort, module_id)
    enrollment = get_object_or_404(
        Enrollment.objects.on_roll().select_related("student", "cohort__program"),
        pk=_number(request.POST.get("enrollment")),
        cohort=cohort,
    )
    if visible is not None and enrollment not in visible:
        raise Http404
    assessment = get_object_or_404(Assessment, pk=_number(request.POST.get("assessment")), module=module)
    attempt = _number(request.POST.get("attempt", "1"))
    if attempt not in (1, 2) or (attempt == 2 and not assessment.is_exam):
        return HttpResponse(_("Unknown attempt."), status=400)
    value = request.POST.get("value", "")[:20]
    column = Column(assessment, attempt)
    shown = Cell(column, enrollment.pk)
    try:
        shown.grade = grade_record(
            user=request.user, enrollment=enrollment, assessment=assessment, attempt=attempt, value=value
        )
    except PermissionDenied as error:
        return HttpResponse(str(error) or _("You may not change this grade."), status=403)
    except ValidationError as error:
        shown.value, shown.error = value, " ".join(error.messages)
        shown.grade = Grade.objects.filter(enrollment=enrollment, assessment=assessment, attempt=attempt).first()
    outcome = cohort_results(cohort, [enrollment])[enrollment.pk].modules[module.pk]
    context = {
        "cell": shown,
        "editable": True,
        "office": is_training_office(request.user),
        "outcome": outcome,
        "enrollment": enrollment,
        "oob": True,
        "cohort": cohort,
        "module": module,
    }
    return render(request, "grading/partials/cell.html", context)


@office_required
def cell_history(request, grade_id):
    grade = get_object_or_404(
        Grade.objects.select_related("enrollment__student", "enrollment__cohort", "assessment__module"), pk=grade_id
    )
    entries = [(entry, _shown_change(entry.changes)) for entry in history(grade)]
    return render(request, "grading/cell_history.html", {"grade": grade, "entries": entries})


def _shown_change(changes: dict) -> tuple[str, str]:
    """An audit entry's (before, after) as the cell showed them: "7,5", "v" or empty."""

    def shown(index):
        if changes.get("absent", [False, False])[index]:
            return "v"
        score = changes.get("score", [None, None])[index]
        return vn_decimal(score, 1) if score is not None else ""

    return shown(0), shown(1)


@teaching_staff_required
def sheet_export(request, cohort_id, module_id):
    cohort, enrollments = cohort_for(request.user, cohort_id)
    module, columns, rows, _results = module_sheet(cohort, _module(request.user, cohort, module_id), enrollments)
    return xlsx_response(sheet_io.export(cohort, module, columns, rows), f"bang-diem-{cohort.pk}-{module.code}.xlsx")


@require_POST
@teaching_staff_required
def sheet_import(request, cohort_id, module_id):
    cohort, _enrollments = cohort_for(request.user, cohort_id)
    module = _module(request.user, cohort, module_id)
    if not may_edit_sheet(request.user, cohort, module):
        raise PermissionDenied
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose the xlsx file of the grade sheet."))
        return redirect("grading:sheet", cohort_id=cohort.pk, module_id=module.pk)
    user, back = request.user, reverse("grading:sheet", args=[cohort.pk, module.pk])

    def work(path, progress) -> jobs.Done:
        target = f"{cohort.code} – {module.code}"
        with imported(ImportKind.GRADES, user, path, name=upload.name, target=target) as audit:
            changed = sheet_io.import_sheet(user, cohort, module, path)
            audit.done(updated=changed)
        return jobs.Done([_("Grade sheet imported: %(count)s cells changed.") % {"count": format_int(changed)}])

    title = _("Import the grade sheet of %(module)s, %(cohort)s") % {"module": module.code, "cohort": cohort.code}
    job = jobs.start(request, work, upload, title=title, back=back, back_label=_("Back to the grade sheet"))
    return redirect("job", job=job)


@require(is_student)
def my_results(request):
    """A student's own grades, attendance and essay, class by class."""
    enrollments = list(
        Enrollment.objects.visible_to(request.user)
        .on_roll()
        .select_related("cohort__program__grading_rules", "student")
        .order_by("-cohort__opening_date")
    )
    prefetch_related_objects(enrollments, "essay")  # each one's graduation essay, if any (essays.Essay)
    grades = {
        (grade.enrollment_id, grade.assessment_id, grade.attempt): grade
        for grade in Grade.objects.filter(enrollment__in=enrollments)
    }
    classes = []
    for enrollment in enrollments:
        results = cohort_results(enrollment.cohort, [enrollment])
        result = results[enrollment.pk]
        modules = []
        for module in results.modules:
            cells = [
                Cell(column, enrollment.pk, grades.get((enrollment.pk, column.assessment.pk, column.attempt)))
                for column in columns_of(module)
            ]
            modules.append({"module": module, "outcome": result.modules[module.pk], "cells": cells})
        classes.append(
            {
                "enrollment": enrollment,
                "result": result,
                "modules": modules,
                "essay": getattr(enrollment, "essay", None),
            }
        )
    return render(request, "grading/my_results.html", {"classes": classes})
