from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "innohub.orgs"
    label = "orgs"
