from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data for every app; sits above all of them, so it may import any."""

    name = "innohub.demo"
    label = "demo"
    verbose_name = _("Demo data")
