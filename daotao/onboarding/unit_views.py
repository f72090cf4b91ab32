"""The units workbook's pages: the upload (as a background job) and the template download,
for the training office."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from daotao.accounts.access import is_training_office, require
from daotao.audit.imports import ImportKind
from daotao.onboarding.import_page import import_page
from daotao.onboarding.importing.units import UNITS, units_import
from daotao.onboarding.importing.units_template import template_workbook
from daotao.web.files import xlsx_response


@require(is_training_office)
def units_import_page(request):
    return import_page(
        request,
        title=_("Import units"),
        intro=_(
            "The province, the school with its faculties and offices, the localities (the districts until "
            "30/06/2025 with their successor communes), the political centres and the sending agencies: one row "
            "per unit in the sheet %(sheet)s. Units are matched by code and never deleted."
        )
        % {"sheet": UNITS.name},
        kind=ImportKind.UNITS,
        run=units_import,
        template_url=reverse("onboarding:units-template"),
        done_links=[
            (_("Units in the administration"), reverse("admin:org_unit_changelist")),
        ],
    )


@require(is_training_office)
def units_template(request):
    return xlsx_response(template_workbook(), "mau-nhap-don-vi.xlsx")
