"""factory-boy factories for citizen engagement. A consultation made here goes through the
domain function, so that its roll-up rows exist as they would."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from innohub.engagement.models import CHANNELS, Consultation
from tests.factories import OrganisationFactory, UserFactory


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    title = factory.Sequence(lambda n: f"Consultation {n}")
    question = "How could the land mutation service be faster for you?"
    organisation = factory.SubFactory(OrganisationFactory)
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=21))
    channels = factory.LazyFunction(lambda: list(CHANNELS))
    retention_days = 90
    by = factory.SubFactory(UserFactory)
