from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "innohub.network"
    verbose_name = _("Network")

    def ready(self) -> None:
        from . import digest, exchanges

        digest.register_duty()
        exchanges.register_duty()
