from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "innohub.services"
    label = "services"
    verbose_name = _("Services and journeys")

    def ready(self) -> None:
        from innohub.core import home, jobs

        from .home import journey_cards
        from .models import JourneyExport, JourneyImport
        from .tasks import run_journey_export, run_journey_import

        home.register(journey_cards)
        jobs.register("import", JourneyImport, run_journey_import)
        jobs.register("export", JourneyExport, run_journey_export)
