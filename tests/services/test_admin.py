from __future__ import annotations

import pytest

from tests.services.factories import JourneyPainPointFactory, MapStepFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model",
    ["service", "servicechannel", "processmap", "mapstep", "journey", "journeystep", "painpoint"],
)
def test_every_services_model_lists_searches_and_opens_in_the_admin(admin_client, model):
    pain = JourneyPainPointFactory()
    map_step = MapStepFactory(process_map__service=pain.journey_step.journey.service)
    objects = {
        "service": map_step.process_map.service,
        "servicechannel": None,
        "processmap": map_step.process_map,
        "mapstep": map_step,
        "journey": pain.journey_step.journey,
        "journeystep": pain.journey_step,
        "painpoint": pain,
    }
    listing = admin_client.get(f"/admin/services/{model}/", {"q": "Step\x00 1"})
    assert listing.status_code == 200
    if objects[model] is not None:
        page = admin_client.get(f"/admin/services/{model}/{objects[model].pk}/change/")
        assert page.status_code == 200
