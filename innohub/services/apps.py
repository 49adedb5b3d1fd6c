from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "innohub.services"
    label = "services"
