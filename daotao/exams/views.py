"""The exam sessions of a class (the class's "Exams" tab), a session's page, where the
training office sets rooms, seats candidates, prints, seals and decodes, and the graders'
page of marking by code.

Who sees what: the office and the board every session; a lecturer only the sessions of the
modules assigned to them (404 for the others), and of those never a candidate's name:
their pages show rooms, counts and codes. The link between codes and candidates is shown
only once the session is decoded, and only to the office and the board."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from daotao.accounts.access import any_of, check_post, is_lecturer, is_school_wide, is_training_office, require
from daotao.cohorts.access import cohort_for_user
from daotao.exams import documents, services
from daotao.exams.barring import exam_roll
from daotao.exams.forms import ExamCreateForm, ExamForm, RoomForm
from daotao.exams.models import Candidate, ExamRoom, ExamSession, Script, ScriptLink
from daotao.grading import rules as grading_rules
from daotao.web.forms import add_service_errors

# The office and the board, and lecturers for their own modules; only the office posts,
# checked once the class or session is found (a record out of scope is 404 first).
exams_required = require(any_of(is_school_wide, is_lecturer))
printing_required = require(is_school_wide)


def _sessions(user, cohort):
    return (
        ExamSession.objects.visible_to(user)
        .filter(cohort=cohort)
        .select_related("assessment__module")
        .annotate(candidate_count=Count("candidates", distinct=True), room_count=Count("rooms", distinct=True))
        .order_by("date", "pk")
    )


@exams_required
def cohort_exams(request, cohort_id):
    """The class's exam sessions; the office adds one here."""
    cohort = cohort_for_user(request.user, whole=True, pk=cohort_id).cohort
    check_post(request, is_training_office)
    office = is_training_office(request.user)
    form = ExamCreateForm(request.POST or None, cohort=cohort) if office else None
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                exam = services.exam_create(
                    user=request.user,
                    cohort=cohort,
                    assessment=data["assessment"],
                    attempt=data["attempt"],
                    date=data["date"],
                    session=data["session"],
                    anonymised=data["anonymised"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The exam session was added."))
                return redirect("exams:detail", exam.pk)
    context = {
        "cohort": cohort,
        "whole": True,
        "sessions": list(_sessions(request.user, cohort)),
        "form": form,
        # The graders: the office, and a lecturer, who sees only her own modules' sessions.
        "graders": office or is_lecturer(request.user),
    }
    return render(request, "exams/cohort.html", context, status=400 if form is not None and form.errors else 200)


def _exam_for(user, exam_id) -> ExamSession:
    """The session if the user may see it, else 404."""
    return get_object_or_404(
        ExamSession.objects.visible_to(user).select_related(
            "cohort__program__grading_rules", "cohort__host_locality", "assessment__module"
        ),
        pk=exam_id,
    )


def _office_forms(request, exam, bound: str | None = None) -> dict:
    builders = {
        "change": lambda *args: ExamForm(
            *args, initial={"date": exam.date, "session": exam.session, "anonymised": exam.anonymised}
        ),
        "room": lambda *args: RoomForm(*args),
    }
    return {name: build(request.POST) if name == bound else build() for name, build in builders.items()}


def _detail(request, exam, forms=None, status=200):
    user = request.user
    names = is_school_wide(user)  # the office and the board; a lecturer sees no candidate
    rooms = list(ExamRoom.objects.filter(exam=exam).select_related("room__centre").annotate(seated=Count("candidates")))
    context = {
        "exam": exam,
        "cohort": exam.cohort,
        "whole": True,
        "rooms": rooms,
        "seated": sum(room.seated for room in rooms),
        "capacity": sum(room.room.capacity for room in rooms),
        "office": is_training_office(user),
        "names": names,
        "may_mark": exam.anonymised and services.may_mark(user, exam),
        "scripts": exam.scripts.count(),
        "marked": exam.scripts.filter(score__isnull=False).count(),
    }
    if names:
        context["candidates"] = list(
            Candidate.objects.filter(exam=exam)
            .select_related("exam_room__room", "enrollment__student")
            .order_by("exam_room__pk", "seat")
        )
        context["barred"] = exam_roll(exam).barred
        if exam.is_decoded:
            context["decoded"] = list(
                ScriptLink.objects.filter(script__exam=exam)
                .select_related("script", "candidate__exam_room__room", "candidate__enrollment__student")
                .order_by("candidate__exam_room__pk", "candidate__seat")
            )
    if context["office"] and exam.is_draft:
        context["forms"] = forms or _office_forms(request, exam)
    return render(request, "exams/detail.html", context, status=status)


ACTIONS = ("change", "room_add", "room_remove", "seat", "seal", "decode")


@exams_required
def exam_detail(request, exam_id):
    """The session; the office's forms post here with ``action``."""
    exam = _exam_for(request.user, exam_id)
    check_post(request, is_training_office)
    if request.method != "POST":
        return _detail(request, exam)
    action = request.POST.get("action")
    if action not in ACTIONS:
        return HttpResponseBadRequest(_("Unknown action."))
    user = request.user
    forms = None
    try:
        if action == "change":
            forms = _office_forms(request, exam, "change")
            form = forms["change"]
            if not form.is_valid():
                return _detail(request, exam, forms, status=400)
            data = form.cleaned_data
            services.exam_change(
                user=user, exam=exam, date=data["date"], session=data["session"], anonymised=data["anonymised"]
            )
            done = _("The session was changed.")
        elif action == "room_add":
            forms = _office_forms(request, exam, "room")
            form = forms["room"]
            if not form.is_valid():
                return _detail(request, exam, forms, status=400)
            services.exam_room_add(user=user, exam=exam, room=form.cleaned_data["room"])
            done = _("The room was added.")
        elif action == "room_remove":
            exam_room = ExamRoom.objects.filter(exam=exam, pk=_int(request.POST.get("exam_room"))).first()
            if exam_room is None:
                raise ValidationError(_("This room is not one of the session's."))
            services.exam_room_remove(user=user, exam=exam, exam_room=exam_room)
            done = _("The room was taken out; seat the candidates again.")
        elif action == "seat":
            placed = services.exam_seat(user=user, exam=exam)
            done = _("%(count)s candidates were seated.") % {"count": len(placed)}
        elif action == "seal":
            absent = [_int(value) for value in request.POST.getlist("absent")]
            if None in absent:
                raise ValidationError(_("Only the session's candidates can be marked absent."))
            scripts = services.exam_seal(user=user, exam=exam, absent_ids=absent)
            done = _("The scripts were sealed: %(count)s codes.") % {"count": len(scripts)}
        else:
            written = services.exam_decode(user=user, exam=exam)
            done = _("The session was decoded: %(count)s grades written.") % {"count": written}
    except ValidationError as error:
        if forms is not None and exam.is_draft:  # the forms are on the page: the errors with them
            add_service_errors(forms["change" if action == "change" else "room"], error)
            return _detail(request, _exam_for(user, exam_id), forms, status=400)
        for message in error.messages:
            messages.error(request, message)
        return redirect("exams:detail", exam.pk)
    messages.success(request, done)
    return redirect("exams:detail", exam.pk)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@exams_required
def marking(request, exam_id):
    """Marking by code: the session's scripts by code only, each with its mark. One form
    for every script; all the marks typed are checked first, and nothing is saved while one
    is refused."""
    exam = _exam_for(request.user, exam_id)
    if not services.may_mark(request.user, exam):
        raise PermissionDenied  # the board reads the session, it does not mark
    if not exam.anonymised:
        return redirect("exams:detail", exam.pk)
    if request.method == "POST":
        services.check_may_mark(request.user, exam)  # a closed class: the office only
    scripts = list(Script.objects.filter(exam=exam).order_by("code"))
    errors, typed = {}, {}
    if request.method == "POST":
        rules = grading_rules.rules_for(exam.cohort.program)
        changes = []
        for script in scripts:
            name = f"mark-{script.code}"
            if name not in request.POST:
                continue
            typed[script.code] = value = request.POST[name]
            try:
                score = grading_rules.parse_score(value, rules)
            except grading_rules.ScoreError as error:
                errors[script.code] = str(error)
                continue
            if score != script.score:
                changes.append((script.code, value))
        if not errors:
            try:
                with transaction.atomic():
                    for code, value in changes:
                        services.mark_record(user=request.user, exam=exam, code=code, value=value)
            except ValidationError as error:
                errors[""] = " ".join(error.messages)
            else:
                messages.success(request, _("%(count)s mark(s) saved.") % {"count": len(changes)})
                return redirect("exams:marking", exam.pk)
    rows = [(script, typed.get(script.code), errors.get(script.code)) for script in scripts]
    context = {
        "exam": exam,
        "cohort": exam.cohort,
        "whole": True,
        "rows": rows,
        "error": errors.get(""),
        "has_errors": bool(errors),
        "editable": exam.is_sealed and not (exam.cohort.is_closed and not is_training_office(request.user)),
        "marked": sum(1 for script in scripts if script.score is not None),
        "ten": Decimal(10),
    }
    return render(request, "exams/marking.html", context, status=400 if errors else 200)


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@printing_required
def candidates_pdf(request, exam_id):
    exam = _exam_for(request.user, exam_id)
    return _pdf(documents.candidates_pdf(exam, request.user), f"danh-sach-thi-sinh-{exam.cohort.code}-{exam.pk}.pdf")


@printing_required
def slips_pdf(request, exam_id):
    exam = _exam_for(request.user, exam_id)
    return _pdf(documents.slips_pdf(exam, request.user), f"the-du-thi-{exam.cohort.code}-{exam.pk}.pdf")
