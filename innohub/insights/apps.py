from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "innohub.insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        from .receivers import connect
        from .reports import register_duty

        connect()
        register_duty()
