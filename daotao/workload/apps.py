from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkloadConfig(AppConfig):
    name = "daotao.workload"
    verbose_name = _("Lecturer workload")
