from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PipelineConfig(AppConfig):
    name = "innohub.pipeline"
    verbose_name = _("Ideas and pilots")

    def ready(self) -> None:
        from innohub.services import pilot_link

        from .measurements import PipelineLinker

        pilot_link.register(PipelineLinker())
