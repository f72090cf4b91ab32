"""Staff pages for classes: the list and the import (one class's page is the hub,
``daotao.dashboards.cohort_hub``)."""

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from daotao.accounts.access import is_training_office, office_required, staff_required
from daotao.audit.imports import ImportKind, imported
from daotao.cohorts.access import cohorts_reached, students_seen_in, with_students_seen
from daotao.cohorts.importing import cohorts_import, template_workbook
from daotao.cohorts.models import CohortStatus, Funding, Mode
from daotao.org.models import Unit
from daotao.programs.models import Program
from daotao.web import jobs
from daotao.web.files import xlsx_response

PAGE_SIZE = 50
EVERYTHING = [("", _("All"))]


class CohortFilterForm(forms.Form):
    """The list's filters; choices come from the records the user may see."""

    year = forms.TypedChoiceField(label=_("Year of opening"), required=False, coerce=int, empty_value=None)
    program = forms.ChoiceField(label=_("Program"), required=False)
    mode = forms.ChoiceField(label=_("Mode"), required=False, choices=EVERYTHING + Mode.choices)
    funding = forms.ChoiceField(label=_("Funding"), required=False, choices=EVERYTHING + Funding.choices)
    locality = forms.ChoiceField(label=_("Host locality"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=EVERYTHING + CohortStatus.choices)

    def __init__(self, data, *, years, programs, localities):
        super().__init__(data)
        self.fields["year"].choices = EVERYTHING + [(year, year) for year in years]
        self.fields["program"].choices = EVERYTHING + [(code, f"{code} – {name}") for code, name in programs]
        self.fields["locality"].choices = EVERYTHING + [(code, name) for code, name, _path in localities]
        self.paths = {code: path for code, _name, path in localities}

    def filter(self, cohorts):
        """The cohorts matching every filter that is valid (others are ignored, not an error)."""
        self.is_valid()
        chosen = {name: value for name, value in self.cleaned_data.items() if value not in ("", None)}
        if "year" in chosen:
            cohorts = cohorts.filter(opening_date__year=chosen["year"])
        if "program" in chosen:
            cohorts = cohorts.filter(program__code=chosen["program"])
        for name in ("mode", "funding", "status"):
            if name in chosen:
                cohorts = cohorts.filter(**{name: chosen[name]})
        if "locality" in chosen:  # the locality and every unit below it
            cohorts = cohorts.filter(host_locality__path__startswith=self.paths[chosen["locality"]])
        return cohorts


@staff_required
def cohort_list(request):
    """Classes the user may open, newest first, with the counted students they may see: for
    a coordinator or agency also the classes held elsewhere where their students study
    (with only those counted)."""
    visible = cohorts_reached(request.user)
    form = CohortFilterForm(
        request.GET,
        years=[day.year for day in visible.dates("opening_date", "year", order="DESC")],
        programs=Program.objects.order_by("code").values_list("code", "name"),
        localities=list(
            Unit.objects.filter(pk__in=visible.values("host_locality"))
            .order_by("sort_key")
            .values_list("code", "name", "path")
        ),
    )
    cohorts = form.filter(visible)
    # Counted as the reports count: a cancelled class shows no students, nor adds any.
    students = students_seen_in(request.user, cohorts)
    # The overview and the reports leave cancelled classes out: the list says how many of
    # its classes those are, so that its figure and theirs can be told apart.
    cancelled = cohorts.filter(status=CohortStatus.CANCELLED).count()
    cohorts = with_students_seen(request.user, cohorts.select_related("program", "host_locality")).order_by(
        "-opening_date", "code"
    )
    page = Paginator(cohorts, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "students": students,
        "cancelled": cancelled,
        "partial": any(not cohort.whole for cohort in page),
        "can_import": is_training_office(request.user),
    }
    return render(request, "cohorts/cohort_list.html", context)


class ImportForm(forms.Form):
    workbook = forms.FileField(label=_("Workbook (.xlsx)"))
    dry_run = forms.BooleanField(label=_("Only check the file; write nothing"), required=False)


@office_required
def cohort_import(request):
    """Upload a workbook of classes and students; all rows are imported or none, in a
    background job whose page shows the counts or every problem."""
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if form.is_bound and form.is_valid():
        user, upload, dry_run = request.user, form.cleaned_data["workbook"], form.cleaned_data["dry_run"]

        def work(path, progress) -> jobs.Done:
            with imported(ImportKind.COHORTS, user, path, name=upload.name, dry_run=dry_run) as audit:
                result = audit.done(cohorts_import(path, dry_run=dry_run))
            return jobs.Done(result.lines(), [] if dry_run else [(_("See the classes"), reverse("cohorts:list"))])

        job = jobs.start(
            request, work, upload, title=_("Import classes"), back=reverse("cohorts:import"), dry_run=dry_run
        )
        return redirect("job", job=job)
    return render(request, "cohorts/cohort_import.html", {"form": form})


@staff_required
def import_template(request):
    """The empty import workbook, with an example row per sheet and a sheet of guidance."""
    return xlsx_response(template_workbook(), "mau-nhap-lop-hoc-vien.xlsx")
