from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    name = "daotao.onboarding"
    verbose_name = _("Setting up the school")
