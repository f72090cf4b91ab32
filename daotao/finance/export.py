"""The money of a class (sheet ``TaiChinh``, and ``ThuLao`` the teaching pay of a budget)
and of a year (sheets ``KinhPhi`` and ``HocPhi``) as xlsx: amounts in đồng are numbers shown
grouped (1.250.000), hours with two decimals."""

from __future__ import annotations

from django.utils.translation import gettext as _

from daotao.finance.reports import YearFinance
from daotao.lib import xlsx
from daotao.lib.vietnamese import format_date, format_int

MONEY = xlsx.INTEGER  # whole đồng, grouped: 1.250.000
HOURS = "#,##0.00"
TOTAL = xlsx.Style(bold=True)


def _money(value) -> xlsx.Cell:
    return xlsx.number(value, MONEY)


def cohort_workbook(context: dict) -> bytes:
    cohort = context["cohort"]
    book = xlsx.Book(title=_("Finance of class %(code)s") % {"code": cohort.code})
    sheet = book.sheet("TaiChinh")
    sheet.append([_("Finance of class %(code)s") % {"code": cohort.code}], xlsx.BOLD)
    sheet.append([cohort.name])
    if context["supported"]:
        figures = context["figures"]
        if figures is None:
            sheet.append([_("No budget yet.")])
            sheet.table_header([_("Cost item"), _("Planned"), _("Settled"), _("Difference")])
            sheet.finish_table((30, 16, 16, 16))
            return book.to_bytes()
        budget = figures.budget
        sheet.append([_("Funding source"), budget.get_source_display()])
        sheet.append([_("Settled on"), format_date(budget.settled_on) if budget.settled_on else _("Not settled")])
        sheet.table_header([_("Cost item"), _("Planned"), _("Settled"), _("Difference")])
        for line in figures.items:
            sheet.append([str(line.label), _money(line.planned), _money(line.settled), _money(line.difference)])
        sheet.append([_("Total"), _money(figures.planned), _money(figures.settled), _money(figures.difference)], TOTAL)
        sheet.finish_table((30, 16, 16, 16))
        pay = book.sheet("ThuLao")
        rate = format_int(budget.pay_rate)
        pay.append([_("Teaching pay: %(rate)s đồng per standard hour") % {"rate": rate}], xlsx.BOLD)
        pay.table_header([_("Lecturer"), _("Standard hours"), _("Teaching pay")])
        for line in figures.pay:
            pay.append([line.lecturer.full_name, xlsx.number(line.hours, HOURS), _money(line.amount)])
        pay.append([_("Total"), xlsx.number(figures.hours_total, HOURS), _money(figures.pay_total)], TOTAL)
        pay.finish_table((30, 16, 16))
    else:
        fees = context["fees"]
        if fees.fee is not None:
            sheet.append([_("Fee per student"), _money(fees.fee.amount)])
        sheet.table_header([_("Student"), _("Due"), _("Paid"), _("Owed")])
        for line in fees.lines:
            sheet.append([line.enrollment.student.full_name, _money(line.due), _money(line.paid), _money(line.owed)])
        sheet.append([_("Total"), _money(fees.due), _money(fees.paid), _money(fees.owed)], TOTAL)
        sheet.finish_table((30, 16, 16, 16))
    return book.to_bytes()


def year_workbook(report: YearFinance) -> bytes:
    book = xlsx.Book(title=_("Finance of classes, year %(year)s") % {"year": report.year})
    sheet = book.sheet("KinhPhi")
    sheet.append([_("Budgets of supported classes, year %(year)s") % {"year": report.year}], xlsx.BOLD)
    sheet.table_header([_("Class"), _("Funding source"), _("Planned"), _("Settled"), _("Settled on")])
    for line in report.supported:
        settled_on = format_date(line.settled_on) if line.settled_on else ""
        sheet.append([line.cohort.code, line.source, _money(line.planned), _money(line.settled), settled_on])
    sheet.append([_("Total"), "", _money(report.planned), _money(report.settled), ""], TOTAL)
    sheet.finish_table((22, 24, 16, 16, 14))
    sheet = book.sheet("HocPhi")
    sheet.append([_("Fees of self-funded classes, year %(year)s") % {"year": report.year}], xlsx.BOLD)
    sheet.table_header([_("Class"), _("Students"), _("Fee per student"), _("Due"), _("Paid"), _("Owed")])
    for line in report.self_funded:
        sheet.append(
            [
                line.cohort.code,
                xlsx.number(line.students, xlsx.INTEGER),
                _money(line.fee),
                _money(line.due),
                _money(line.paid),
                _money(line.owed),
            ]
        )
    sheet.append([_("Total"), "", "", _money(report.due), _money(report.paid), _money(report.owed)], TOTAL)
    sheet.finish_table((22, 12, 16, 16, 16, 16))
    return book.to_bytes()
