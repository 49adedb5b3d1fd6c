from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "innohub.training"
    verbose_name = _("Training")

    def ready(self) -> None:
        from innohub.pipeline import origins

        from .selectors import ConceptOrigins

        origins.register(ConceptOrigins())
