from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TwowayConfig(AppConfig):
    name = "daotao.twoway"
    verbose_name = _("Results sent back to localities and agencies")
