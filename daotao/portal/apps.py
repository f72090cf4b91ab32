from django.apps import AppConfig
from django.db.models.signals import m2m_changed
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "daotao.portal"
    verbose_name = _("Public portal")

    def ready(self):
        from django.contrib.auth import get_user_model

        from daotao.portal.signals import editors_are_staff

        m2m_changed.connect(editors_are_staff, sender=get_user_model().groups.through, dispatch_uid="editors_are_staff")
