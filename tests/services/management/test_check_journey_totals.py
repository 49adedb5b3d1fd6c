from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from innohub.services import totals
from innohub.services.models import JourneyStep, Service
from tests.services.factories import JourneyStepFactory

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("check_journey_totals", *args, stdout=out)
    return out.getvalue()


def test_it_says_all_is_well_when_every_total_matches():
    JourneyStepFactory.create_batch(3)
    assert run() == (
        "Every journey's stored TCV matches its steps.\n"
        "Every service's catalogue figures match its journeys.\n"
    )


def test_it_names_the_journeys_that_drifted_fails_and_repairs_on_request():
    step = JourneyStepFactory(visits=1)
    JourneyStep.objects.filter(pk=step.pk).update(visits=5, citizen_hours=Decimal("1.25"))
    with pytest.raises(CommandError, match="1 journey"):
        run()
    output = run("--repair")
    assert f"journey {step.journey_id}: stored " in output
    assert "visits 1" in output and "visits 5" in output and "hours 1.25" in output
    assert "Repaired 1 journey(s).\n" in output
    assert not list(totals.drift())
    # The repair bumped the service: its catalogue figures follow the mended total.
    assert output.endswith("Every service's catalogue figures match its journeys.\n")
    assert Service.objects.get(pk=step.journey.service_id).mean_visits == Decimal("5.00")


def test_it_names_services_whose_catalogue_figures_drifted_and_repairs_them():
    step = JourneyStepFactory(visits=3)
    service = step.journey.service
    Service.objects.filter(pk=service.pk).update(observed_journeys=7, mean_visits=Decimal("9"))
    with pytest.raises(CommandError, match="1 service"):
        run()
    output = run("--repair")
    assert f"services whose catalogue figures differ: {service.pk}" in output
    assert output.endswith("Repaired 1 service(s).\n")
    service.refresh_from_db()
    assert (service.observed_journeys, service.mean_visits) == (1, Decimal("3.00"))
    assert not list(totals.catalogue_drift())
