from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "innohub.accounts"
    label = "accounts"
    verbose_name = _("People and access")

    def ready(self) -> None:
        from innohub.core import home

        from . import signals  # noqa: F401 - connects the receivers
        from .home import people_cards

        home.register(people_cards)
