from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "innohub.core"
    label = "core"
