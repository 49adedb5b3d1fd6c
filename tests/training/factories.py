"""factory-boy factories for training. Cohorts and sessions are written past the domain
functions (as fixtures of state); selection, attendance and closing go through them."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from innohub.training.models import Cohort, Programme, Session
from tests.factories import UserFactory


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Programme {n}")
    days = 5
    tracks: list[str] = []


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Cohort {n}")
    venue = "BCS Administration Academy, Dhaka"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))
    ends_on = factory.LazyAttribute(lambda c: c.starts_on + datetime.timedelta(days=4))
    capacity = 25
    by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def trainers(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.trainers.set(extracted)


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    cohort = factory.SubFactory(CohortFactory)
    title = factory.Sequence(lambda n: f"Session {n}")
    starts_at = factory.LazyAttribute(lambda s: at(s.cohort.starts_on, 9))
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + datetime.timedelta(hours=3))
    track = ""
