"""The page every set-up workbook is uploaded on: the workbook and "only check", run as a
background job (``daotao.web.jobs``) whose page shows the problems or the counts."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from daotao.audit.imports import imported
from daotao.web import jobs


class WorkbookForm(forms.Form):
    workbook = forms.FileField(label=_("Workbook (.xlsx)"))
    dry_run = forms.BooleanField(label=_("Only check the file; write nothing"), required=False, initial=True)


def import_page(
    request,
    *,
    title: str,
    intro: str,
    kind: str,
    run: Callable,
    template_url: str,
    done_links: list[tuple[str, str]] = (),
):
    """Upload a workbook and import it: ``run(path, user=…, dry_run=…, progress=…)`` returns
    a result with ``lines()`` or raises ``ImportRejected``; nothing is written unless every
    row is right; ``kind``: the import's kind in the audit of imports. The job's page leads
    back here, and once imported to ``done_links`` and the set-up checklist."""
    back = request.path
    done_links = [*done_links, (_("Back to the set-up checklist"), reverse("onboarding:checklist"))]
    form = WorkbookForm(request.POST, request.FILES) if request.method == "POST" else WorkbookForm()
    if form.is_bound and form.is_valid():
        user, dry_run, upload = request.user, form.cleaned_data["dry_run"], form.cleaned_data["workbook"]

        def work(path, progress) -> jobs.Done:
            with imported(kind, user, path, name=upload.name, dry_run=dry_run) as audit:
                result = audit.done(run(path, user=user, dry_run=dry_run, progress=progress))
            return jobs.Done(result.lines(), [] if dry_run else list(done_links))

        job = jobs.start(request, work, upload, title=title, back=back, dry_run=dry_run)
        return redirect("job", job=job)
    context = {"form": form, "title": title, "intro": intro, "template_url": template_url}
    return render(request, "onboarding/import.html", context)
