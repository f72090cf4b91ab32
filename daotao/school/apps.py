from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolConfig(AppConfig):
    name = "daotao.school"
    verbose_name = _("The school's identity")

    def ready(self):
        from daotao.school import identity

        identity.connect_signals()
