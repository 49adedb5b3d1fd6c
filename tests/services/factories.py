"""factory-boy factories for services, process maps and journeys (others: append at the end)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory

from innohub.services import totals
from innohub.services.models import (
    Journey,
    JourneyStatus,
    JourneyStep,
    MapStep,
    Method,
    PainPoint,
    ProcessMap,
    Service,
    Variant,
)
from tests.factories import AreaFactory, OrganisationFactory, UserFactory


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    name = factory.Sequence(lambda n: f"Service {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    currency = "BDT"
    annual_volume = 1000


class ProcessMapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcessMap

    service = factory.SubFactory(ServiceFactory)
    variant = Variant.EXISTING


class StepFactory(factory.django.DjangoModelFactory):
    """The fields every step has (MapStep, JourneyStep)."""

    class Meta:
        abstract = True

    position = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Step {n}")
    office = "Upazila Land Office"
    documents = 1
    elapsed_days = Decimal("2.00")
    citizen_hours = Decimal("3.00")
    fees = Decimal("100.00")
    travel_cost = Decimal("50.00")
    other_cost = Decimal("0.00")
    visits = 1


class MapStepFactory(StepFactory):
    class Meta:
        model = MapStep

    process_map = factory.SubFactory(ProcessMapFactory)


class JourneyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Journey

    service = factory.SubFactory(ServiceFactory)
    area = factory.SubFactory(AreaFactory)
    observer = factory.SubFactory(UserFactory)
    observed_on = datetime.date(2025, 3, 1)
    method = Method.SECRET_SHOPPER
    status = JourneyStatus.FINAL

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Written past the domain's functions, as the admin writes: bump as it does.
        journey = super()._create(model_class, *args, **kwargs)
        totals.bump(journey.service_id)
        return journey


class JourneyStepFactory(StepFactory):
    """A step written past the domain's functions, as the admin writes one: its journey's
    stored TCV is refreshed as the admin refreshes it."""

    class Meta:
        model = JourneyStep

    journey = factory.SubFactory(JourneyFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        step = super()._create(model_class, *args, **kwargs)
        totals.refresh(step.journey)
        return step


class JourneyPainPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PainPoint

    journey_step = factory.SubFactory(JourneyStepFactory)
    category = "waiting"
    description = "Waited all day."


class MapPainPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PainPoint

    map_step = factory.SubFactory(MapStepFactory)
    category = "documents"
    description = "A form nobody could find."


class JsonApi:
    """The API as a program sees it, with one person's bearer token (GET/POST/PUT/PATCH)."""

    def __init__(self, client, user) -> None:
        from innohub.accounts.models import ApiToken

        _, secret = ApiToken.issue(user=user)
        self.client, self.headers = client, {"Authorization": f"Bearer {secret}"}

    def get(self, path: str, **params):
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def _send(self, method: str, path: str, body):
        return getattr(self.client, method)(
            f"/api/v1{path}", body, content_type="application/json", headers=self.headers
        )

    def post(self, path: str, body=None):
        return self._send("post", path, body if body is not None else {})

    def put(self, path: str, body):
        return self._send("put", path, body)

    def patch(self, path: str, body):
        return self._send("patch", path, body)


# One step as a client sends it to the API: money and durations as strings or numbers.
API_STEP = {
    "title": "Apply",
    "office": "AC Land",
    "documents": 3,
    "elapsed_days": "2.5",
    "citizen_hours": 4,
    "fees": "100.00",
    "travel_cost": 40.5,
    "other_cost": "0",
    "visits": 2,
}
