from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "daotao.surveys"
    verbose_name = _("Evaluation of training")
