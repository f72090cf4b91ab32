from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AcademyConfig(AppConfig):
    name = "daotao.academy"
    verbose_name = _("National Academy: schools' figures")
