from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "innohub.geo"
    label = "geo"
