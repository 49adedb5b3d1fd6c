from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "innohub.api"
    label = "api"
