"""factory-boy factories for ideas and pilots. Pilots are written past the domain functions
(as fixtures of state): use `pilots.move` in tests of moves themselves."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from innohub.pipeline import search
from innohub.pipeline.models import FundingCall, Idea, Measurement, Pilot, Showcase
from tests.factories import AreaFactory, OrganisationFactory, UserFactory
from tests.services.factories import JourneyFactory, ServiceFactory


class IdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Idea

    title = factory.Sequence(lambda n: f"Idea {n}")
    problem = "Citizens come back three times for one certificate."
    proposer = factory.SubFactory(UserFactory)
    service = factory.SubFactory(ServiceFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        idea = super()._create(model_class, *args, **kwargs)
        search.index_idea(idea)
        return idea


class PilotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pilot

    title = factory.Sequence(lambda n: f"Pilot {n}")
    idea = factory.SubFactory(IdeaFactory)
    service = factory.LazyAttribute(lambda pilot: pilot.idea.service)
    area = factory.SubFactory(AreaFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    lead = factory.SubFactory(UserFactory)
    currency = "BDT"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        status = kwargs.pop("status", None)
        pilot = super()._create(model_class, *args, **kwargs)
        if status is not None:
            Pilot.objects.filter(pk=pilot.pk).update(status=status)
            pilot.status = status
        search.index_pilot(pilot)
        return pilot


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    pilot = factory.SubFactory(PilotFactory)
    journey = factory.SubFactory(
        JourneyFactory,
        service=factory.SelfAttribute("..pilot.service"),
        area=factory.SelfAttribute("..pilot.area"),
    )
    phase = "baseline"


class FundingCallFactory(factory.django.DjangoModelFactory):
    """An open call (opened yesterday, closing in a month) of 1,000,000 BDT."""

    class Meta:
        model = FundingCall

    title = factory.Sequence(lambda n: f"Innovation fund, round {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    budget = Decimal("1000000.00")
    currency = "BDT"
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    by = factory.SubFactory(UserFactory)


class ShowcaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Showcase

    title = factory.Sequence(lambda n: f"Showcase {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    held_on = factory.LazyFunction(timezone.localdate)
    by = factory.SubFactory(UserFactory)
