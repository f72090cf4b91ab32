"""The people workbook's pages: the upload (run as a background job) and the template, for
the training office. New accounts get their link by email once the import is saved."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from daotao.accounts.access import is_training_office, require
from daotao.audit.imports import ImportKind
from daotao.onboarding.import_page import import_page
from daotao.onboarding.importing.people import people_import, template_workbook
from daotao.web.files import xlsx_response


@require(is_training_office)
def people_import_page(request):
    return import_page(
        request,
        title=_("Import lecturers and user accounts"),
        intro=_(
            "The lecturers with their faculties (sheet GiangVien) and the user accounts with their roles and units "
            "(sheet TaiKhoan). Each new account gets an email with a link to choose its password; no password is "
            "ever shown or sent. Import the units first."
        ),
        kind=ImportKind.PEOPLE,
        run=people_import,
        template_url=reverse("onboarding:people-template"),
        done_links=[
            (_("Lecturers in the administration"), reverse("admin:org_lecturer_changelist")),
        ],
    )


@require(is_training_office)
def people_template(request):
    return xlsx_response(template_workbook(), "mau-nhap-giang-vien-tai-khoan.xlsx")
