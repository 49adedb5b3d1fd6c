from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    name = "innohub.talent"
    verbose_name = _("Free Agents")

    def ready(self) -> None:
        from . import workforce

        workforce.register_duty()
