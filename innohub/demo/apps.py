from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for every app; sits above all of them, so it may import any."""

    name = "innohub.demo"
    label = "demo"
