from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "daotao.finance"
    verbose_name = _("Class finances")
