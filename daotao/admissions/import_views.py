"""The import of nominations from a workbook: the upload form and the template workbook.
The import runs as a background job (``daotao.web.jobs``), whose page follows it."""

from __future__ import annotations

from django import forms
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from daotao.accounts.access import is_recorder, require, staff_required
from daotao.admissions.importing import import_applications as applications_import
from daotao.admissions.importing.template import template_workbook
from daotao.audit.imports import ImportKind, imported
from daotao.planning.models import AnnualPlan
from daotao.web import jobs
from daotao.web.files import xlsx_response


class NominationImportForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Plan year"), coerce=int)
    workbook = forms.FileField(label=_("Workbook (.xlsx)"))
    dry_run = forms.BooleanField(label=_("Only check the file; write nothing"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = list(AnnualPlan.objects.order_by("-year").values_list("year", flat=True))
        self.fields["year"].choices = [(year, year) for year in years]
        self.fields["year"].initial = years[0] if years else None


@require(is_recorder)
def import_applications(request):
    """Upload a workbook of nominations; every row is imported or none."""
    form = NominationImportForm(request.POST, request.FILES) if request.method == "POST" else NominationImportForm()
    if form.is_bound and form.is_valid():
        user, year, dry_run = request.user, form.cleaned_data["year"], form.cleaned_data["dry_run"]
        upload = form.cleaned_data["workbook"]

        def work(path, progress) -> jobs.Done:
            target = _("Plan %(year)s") % {"year": year}
            with imported(
                ImportKind.NOMINATIONS, user, path, name=upload.name, dry_run=dry_run, target=target
            ) as audit:
                result = audit.done(applications_import(path, year=year, user=user, dry_run=dry_run, progress=progress))
            return jobs.Done(
                result.lines(), [] if dry_run else [(_("See the nominations"), reverse("admissions:list"))]
            )

        job = jobs.start(
            request, work, upload, title=_("Import nominations"),
            back=reverse("admissions:import"), dry_run=dry_run,
        )  # fmt: skip
        return redirect("job", job=job)
    return render(request, "admissions/import.html", {"form": form})


@staff_required
def import_template(request):
    """The empty nomination workbook, with an example row and a sheet of guidance."""
    return xlsx_response(template_workbook(), "mau-nhap-ho-so-tuyen-sinh.xlsx")
