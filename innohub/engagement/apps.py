from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    name = "innohub.engagement"
    verbose_name = _("Citizen engagement")

    def ready(self) -> None:
        from .retention import register_duty

        register_duty()
