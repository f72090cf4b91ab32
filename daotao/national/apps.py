from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NationalConfig(AppConfig):
    name = "daotao.national"
    verbose_name = _("Figures for the national Academy")
