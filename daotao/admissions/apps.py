from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdmissionsConfig(AppConfig):
    name = "daotao.admissions"
    verbose_name = _("Admissions")
