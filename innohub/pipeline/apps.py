from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PipelineConfig(AppConfig):
    name = "innohub.pipeline"
    verbose_name = _("Ideas and pilots")

    def ready(self) -> None:
        from innohub.core import home
        from innohub.services import pain_actions, pilot_link

        from .home import pilot_cards
        from .measurements import PipelineLinker

        home.register(pilot_cards)
        pilot_link.register(PipelineLinker())
        pain_actions.register(
            pain_actions.PainAction(_("Turn it into an idea"), "pipeline:idea_new")
        )
