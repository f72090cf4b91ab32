from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "daotao.dashboards"
    verbose_name = _("Home pages and dashboards")
