"""Two-way management pages: the classes whose results go back to the user's localities or
agencies with the log of what was sent; a class's recipients, where the training office
sends the packs; and one pack online, as xlsx or as PDF.

Who sees what: the training office everything and sends; the board reads everything; a
locality coordinator or a sending agency reads the packs of their unit and the units
below it (404 for others); lecturers and students have no such pages (403)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from daotao.accounts.access import check_post, is_school_wide, is_training_office, require, staff_required
from daotao.accounts.scope import scope_of
from daotao.cohorts.access import units_for
from daotao.cohorts.models import Cohort
from daotao.twoway import packs, services
from daotao.twoway.models import ResultPackDispatch
from daotao.twoway.packs import cohorts_with_packs
from daotao.web.files import xlsx_response

PAGE_SIZE = 50
LOG_SIZE = 100


@staff_required
def pack_list(request):
    """The classes with packs for the user's units (newest first) and the log of packs sent
    to them."""
    scope = scope_of(request.user)
    to_scope = Q() if scope.everything else Q(result_dispatches__unit__path__startswith=scope.own_unit_path)
    cohorts = (
        cohorts_with_packs(request.user)
        .select_related("program")
        .annotate(sent=Count("result_dispatches", filter=to_scope, distinct=True))
        .order_by("-opening_date", "code")
    )
    query = request.GET.get("q", "").strip()[:32]
    if query:
        cohorts = cohorts.filter(Q(code__icontains=query) | Q(name__icontains=query))
    page = Paginator(cohorts, PAGE_SIZE).get_page(request.GET.get("page"))
    log = (
        ResultPackDispatch.objects.visible_to(request.user)
        .select_related("cohort", "unit", "sent_by")
        .order_by("-sent_at", "-id")[:LOG_SIZE]
    )
    own_unit = None if scope.everything else request.user.unit
    context = {"page": page, "query": query, "log": log, "own_unit": own_unit, "everything": scope.everything}
    return render(request, "twoway/list.html", context)


@require(is_school_wide)
@require_http_methods(["GET", "POST"])
def cohort_packs(request, cohort_id):
    """A class's recipients with their address and number of students, and its log; the
    training office sends one unit's pack or every pack that has an address."""
    cohort = get_object_or_404(Cohort.objects.select_related("program__grading_rules"), pk=cohort_id)
    check_post(request, is_training_office)
    office = is_training_office(request.user)
    recipients = packs.recipients_with_counts(cohort)
    if request.method == "POST":
        by_id = {str(unit.pk): (unit, email) for unit, email, _count in recipients}
        chosen = request.POST.get("unit", "")
        if chosen == "all":
            targets = [(unit, email) for unit, email, _count in recipients]
        elif chosen in by_id:
            targets = [by_id[chosen]]
        else:
            messages.error(request, _("Choose a unit of this class to send its results pack to."))
            return redirect("twoway:cohort", cohort_id=cohort.pk)
        _send(request, cohort, targets)
        return redirect("twoway:cohort", cohort_id=cohort.pk)
    log = cohort.result_dispatches.select_related("unit", "sent_by").order_by("-sent_at", "-id")
    context = {
        "cohort": cohort,
        "office": office,
        "recipients": recipients,
        "sendable": sum(1 for _unit, email, _count in recipients if email),
        "log": log,
    }
    return render(request, "twoway/cohort.html", context)


def _send(request, cohort, targets) -> None:
    sent = 0
    for unit, email in targets:
        if not email:
            messages.warning(
                request,
                _("%(unit)s and the units above it have no email address: the results pack cannot be sent.")
                % {"unit": unit.name},
            )
            continue
        try:
            services.pack_send(cohort=cohort, unit=unit, user=request.user, email=email)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            sent += 1
            messages.success(
                request, _("Results pack sent to %(unit)s (%(email)s).") % {"unit": unit.name, "email": email}
            )
    if len(targets) > 1:
        messages.info(request, _("%(sent)s of %(total)s results packs sent.") % {"sent": sent, "total": len(targets)})


@staff_required
def pack_detail(request, cohort_id, unit_id, fmt="html"):
    """One class's pack for one unit: the table, or (``fmt``) its xlsx or PDF."""
    cohort = get_object_or_404(cohorts_with_packs(request.user).select_related("program__grading_rules"), pk=cohort_id)
    unit = get_object_or_404(units_for(request.user), pk=unit_id)
    pack = packs.pack_for(cohort, unit, reader=request.user)
    if fmt == "xlsx":
        return xlsx_response(packs.pack_xlsx(pack), f"{pack.file_stem}.xlsx")
    if fmt == "pdf":
        response = HttpResponse(packs.pack_pdf(pack), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{pack.file_stem}.pdf"'
        return response
    log = (
        ResultPackDispatch.objects.visible_to(request.user)
        .filter(cohort=cohort, unit=unit)
        .select_related("sent_by")
        .order_by("-sent_at", "-id")
    )
    context = {
        "cohort": cohort,
        "unit": unit,
        "pack": pack,
        "log": log,
        "everything": scope_of(request.user).everything,
    }
    return render(request, "twoway/pack.html", context)
