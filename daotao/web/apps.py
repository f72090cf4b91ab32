from pathlib import Path

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "daotao.web"
    verbose_name = _("Web")

    def ready(self):
        # Large uploads are written there while a request reads them (FILE_UPLOAD_TEMP_DIR),
        # and imports keep their file there (daotao.web.jobs): it must exist.
        Path(settings.DAOTAO_UPLOAD_TEMP_DIR).mkdir(mode=0o700, parents=True, exist_ok=True)
