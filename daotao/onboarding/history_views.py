"""The past-records workbook's pages: the upload (as a background job) and the template
download, for the training office."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from daotao.accounts.access import office_required
from daotao.audit.imports import ImportKind
from daotao.onboarding.import_page import import_page
from daotao.onboarding.importing.history import history_import, template_workbook
from daotao.web.files import xlsx_response


@office_required
def history_import_page(request):
    return import_page(
        request,
        title=_("Import past records"),
        intro=_(
            "The final results and graduation decisions of past classes (sheet KetQua) and the diplomas, "
            "certificates and confirmations already issued, with their register and serial numbers (sheet "
            "VanBang). Import the classes and their students first: this workbook names them."
        ),
        kind=ImportKind.HISTORY,
        run=history_import,
        template_url=reverse("onboarding:history-template"),
        done_links=[
            (_("Register of diplomas and certificates"), reverse("grading:register")),
        ],
    )


@office_required
def history_template(request):
    return xlsx_response(template_workbook(), "mau-nhap-ho-so-cu.xlsx")
