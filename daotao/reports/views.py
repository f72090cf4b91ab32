"""The yearly report page and its .xlsx, .docx and PDF downloads, for a calendar year or
any period (``?from=01/03/2026&to=30/04/2026``).

Figures come from ``annual.period_report(period, request.user)``, which counts only what
the user may see: a locality coordinator gets their locality's figures.
"""

import calendar
import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from daotao.accounts.access import may_draft_from_report, staff_required
from daotao.accounts.scope import scope_of
from daotao.cohorts.access import cohorts_reached
from daotao.lib.vietnamese import format_date
from daotao.reports import exports
from daotao.reports.annual import BUILTIN_TEMPLATE, PERIOD_TEMPLATE, period_report
from daotao.reports.engine import UNIT_VIEWS, UNITS_TODAY, Period, ReportInputError
from daotao.reports.models import ReportTemplate
from daotao.web.forms import VietnameseDateField, YearField, validate_year

# The GET parameters of a period: ``from`` and ``to`` (dd/mm/yyyy).
FROM, TO = "from", "to"


class AnnualReportForm(forms.Form):
    """A calendar year, or a period from one day to another; and a template.
    ``cleaned_data["period"]`` is the period the report counts."""

    year = YearField(
        label=gettext_lazy("Year"),
        required=False,
        error_messages={"invalid": gettext_lazy("Enter a year, e.g. 2020.")},
    )
    template = forms.ChoiceField(
        label=gettext_lazy("Report template"),
        error_messages={
            "required": gettext_lazy("Choose a report template."),
            "invalid_choice": gettext_lazy("There is no report template “%(value)s”."),
        },
    )

    units = forms.ChoiceField(
        label=gettext_lazy("Units"),
        required=False,
        choices=list(UNIT_VIEWS.items()),
        help_text=gettext_lazy("How classes held in units that were reorganised (2025) are counted."),
        error_messages={"invalid_choice": gettext_lazy("Choose by today's units or as units were then.")},
    )

    def __init__(self, *args, templates: list[ReportTemplate], **kwargs):
        super().__init__(*args, **kwargs)
        # ``from`` is a Python keyword: these two fields are added by name.
        self.fields[FROM] = VietnameseDateField(label=gettext_lazy("From"), required=False)
        self.fields[TO] = VietnameseDateField(label=gettext_lazy("To"), required=False)
        self.fields["template"].choices = [(template.code, template.name) for template in templates]

    def clean(self):
        data = super().clean()
        start, end = data.get(FROM), data.get(TO)
        if self.has_error(FROM) or self.has_error(TO) or self.has_error("year"):
            return data
        if start is None and end is None:
            if data.get("year") is None:
                self.add_error("year", _("Enter the year of the report, or the first and last day of a period."))
            else:
                data["period"] = Period.year(data["year"])
            return data
        if start is None:
            self.add_error(FROM, _("Enter the first day of the period."))
        if end is None:
            self.add_error(TO, _("Enter the last day of the period."))
        if start is None or end is None:
            return data
        for name, day in ((FROM, start), (TO, end)):
            try:
                validate_year(day.year)
            except ValidationError as error:
                self.add_error(name, error)
        if self.has_error(FROM) or self.has_error(TO):
            return data
        try:
            data["period"] = Period(start, end)
        except ReportInputError as error:
            self.add_error(TO, error.message)
        return data


def _default_year(user) -> int:
    """The last year in which a class the user reaches opened, else the current year."""
    last = cohorts_reached(user).counted().aggregate(last=Max("opening_date"))["last"]
    return last.year if last else timezone.localdate().year


def _default_template(templates: list[ReportTemplate], data) -> str:
    """The yearly template for a year, the one written for periods for other dates."""
    codes = [template.code for template in templates]
    wanted = PERIOD_TEMPLATE if data.get(FROM) or data.get(TO) else BUILTIN_TEMPLATE
    for code in (wanted, BUILTIN_TEMPLATE):
        if code in codes:
            return code
    return codes[0] if codes else BUILTIN_TEMPLATE


def quick_periods(year: int) -> list[tuple[str, str, str]]:
    """The periods schools report on, for the page's quick picks: (label, from, to) with the
    dates as typed (dd/mm/yyyy)."""
    months = [(_("Quarter %(number)s") % {"number": n}, 3 * n - 2, 3 * n) for n in (1, 2, 3, 4)]
    months += [(_("First six months"), 1, 6), (_("Last six months"), 7, 12)]
    return [
        (
            label,
            format_date(dt.date(year, first, 1)),
            format_date(dt.date(year, last, calendar.monthrange(year, last)[1])),
        )
        for label, first, last in months
    ]


def _scope_name(user) -> str:
    """The unit whose figures the user sees; empty for the whole school."""
    scope = scope_of(user)
    return "" if scope.everything else user.unit.name


def _build(form: AnnualReportForm, user):
    """The report for a valid form, or None with the problem added to the form."""
    if not form.is_valid():
        return None
    try:
        return period_report(
            form.cleaned_data["period"], user, form.cleaned_data["template"], form.cleaned_data["units"] or UNITS_TODAY
        )
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
        context["download_query"] = _download_query(report)
    # The quick picks: the quarters and halves of the year shown, or of the one typed.
    year = report.year if report is not None else (form.cleaned_data.get("year") if form.is_valid() else None)
    context["quick_year"] = year
    context["quick_periods"] = quick_periods(year) if year else []
    return render(request, "reports/annual.html", context, status=status)


def _download_query(report) -> str:
    """The query string of a report's downloads: its template, and its dates unless it is
    a calendar year's."""
    query = {"template": report.template.code}
    if not report.is_calendar_year:
        query |= {FROM: format_date(report.period.start), TO: format_date(report.period.end)}
    if report.units != UNITS_TODAY:
        query["units"] = report.units
    return urlencode(query)


@require_safe
@staff_required
def annual(request):
    """Choose a year and a template; see the report with its quota table and downloads."""
    templates = list(ReportTemplate.objects.only("code", "name"))
    data = request.GET.copy()
    if "year" not in data and FROM not in data and TO not in data:
        data["year"] = _default_year(request.user)
    if "template" not in data:
        data["template"] = _default_template(templates, data)
    form = AnnualReportForm(data, templates=templates)
    return _page(request, form, _build(form, request.user))


@require_safe
@staff_required
def annual_download(request, year, fmt):
    """``/reports/annual/2020.xlsx?template=CODE`` (or ``.docx``, ``.pdf``); for a period
    ``/reports/annual/2026.xlsx?from=01/03/2026&to=30/04/2026&template=CODE``, the year
    being the one the period ends in."""
    file_format = exports.FILE_FORMATS.get(fmt)
    if file_format is None:
        raise Http404
    templates = list(ReportTemplate.objects.only("code", "name"))
    data = {
        "year": year,
        FROM: request.GET.get(FROM, ""),
        TO: request.GET.get(TO, ""),
        "units": request.GET.get("units", ""),
    }
    data["template"] = request.GET.get("template") or _default_template(templates, data)
    form = AnnualReportForm(data, templates=templates)
    if form.is_valid() and form.cleaned_data["period"].end.year != year:
        form.add_error(
            TO,
            _("The period ends in %(end)s, not in %(year)s.")
            % {"end": form.cleaned_data["period"].end.year, "year": year},
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
