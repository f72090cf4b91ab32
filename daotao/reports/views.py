"""The yearly report page and its .xlsx, .docx and PDF downloads.

Figures come from ``annual.annual_report(year, request.user)``, which counts only what
the user may see: a locality coordinator gets their locality's figures.
"""

from django import forms
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from daotao.accounts.access import may_draft_from_report, staff_required
from daotao.accounts.scope import scope_of
from daotao.cohorts.access import cohorts_reached
from daotao.reports import exports
from daotao.reports.annual import BUILTIN_TEMPLATE, annual_report
from daotao.reports.engine import ReportInputError
from daotao.reports.models import ReportTemplate
from daotao.web.forms import YearField


class AnnualReportForm(forms.Form):
    year = YearField(
        label=gettext_lazy("Year"),
        error_messages={
            "required": gettext_lazy("Enter the year of the report."),
            "invalid": gettext_lazy("Enter a year, e.g. 2020."),
        },
    )
    template = forms.ChoiceField(
        label=gettext_lazy("Report template"),
        error_messages={
            "required": gettext_lazy("Choose a report template."),
            "invalid_choice": gettext_lazy("There is no report template “%(value)s”."),
        },
    )

    def __init__(self, *args, templates: list[ReportTemplate], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [(template.code, template.name) for template in templates]


def _default_year(user) -> int:
    """The last year in which a class the user reaches opened, else the current year."""
    last = cohorts_reached(user).counted().aggregate(last=Max("opening_date"))["last"]
    return last.year if last else timezone.localdate().year


def _default_template(templates: list[ReportTemplate]) -> str:
    codes = [template.code for template in templates]
    return BUILTIN_TEMPLATE if BUILTIN_TEMPLATE in codes or not codes else codes[0]


def _scope_name(user) -> str:
    """The unit whose figures the user sees; empty for the whole school."""
    scope = scope_of(user)
    return "" if scope.everything else user.unit.name


def _build(form: AnnualReportForm, user):
    """The report for a valid form, or None with the problem added to the form."""
    if not form.is_valid():
        return None
    try:
        return annual_report(form.cleaned_data["year"], user, form.cleaned_data["template"])
    except ReportInputError as error:
        form.add_error("template" if error.field == "template" else None, error.message)
        return None


def _page(request, form: AnnualReportForm, report, status: int = 200):
    context = {
        "form": form,
        "report": report,
        "scope_name": _scope_name(request.user),
        "may_draft_news": may_draft_from_report(request.user),
    }
    if report is not None:
        context["downloads"] = sorted(exports.FILE_FORMATS)
    return render(request, "reports/annual.html", context, status=status)


@require_safe
@staff_required
def annual(request):
    """Choose a year and a template; see the report with its quota table and downloads."""
    templates = list(ReportTemplate.objects.only("code", "name"))
    data = request.GET.copy()
    if "year" not in data:
        data["year"] = _default_year(request.user)
    if "template" not in data:
        data["template"] = _default_template(templates)
    form = AnnualReportForm(data, templates=templates)
    return _page(request, form, _build(form, request.user))


@require_safe
@staff_required
def annual_download(request, year, fmt):
    """``/reports/annual/2020.xlsx?template=CODE`` (or ``.docx``, ``.pdf``)."""
    file_format = exports.FILE_FORMATS.get(fmt)
    if file_format is None:
        raise Http404
    templates = list(ReportTemplate.objects.only("code", "name"))
    form = AnnualReportForm(
        {"year": year, "template": request.GET.get("template") or _default_template(templates)}, templates=templates
    )
    report = _build(form, request.user)
    if report is None:
        return _page(request, form, None, status=400)
    response = HttpResponse(
        file_format.render(report, scope_name=_scope_name(request.user)), content_type=file_format.content_type
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=exports.filename(report, file_format.extension)
    )
    return response
