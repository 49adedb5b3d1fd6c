from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "innohub.services"
    label = "services"

    def ready(self) -> None:
        from innohub.core import home

        from .home import journey_cards

        home.register(journey_cards)
