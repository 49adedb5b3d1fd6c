from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "innohub.accounts"
    label = "accounts"

    def ready(self) -> None:
        from innohub.core import home

        from . import signals  # noqa: F401 - connects the receivers
        from .home import people_cards

        home.register(people_cards)
