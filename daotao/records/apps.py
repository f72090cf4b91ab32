from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "daotao.records"
    verbose_name = _("Cadres' training records")
