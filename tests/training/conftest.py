from __future__ import annotations

import datetime
import importlib

import pytest
from django.utils import timezone

from innohub.core import roles
from tests.factories import AreaFactory, OrganisationFactory, ProfileFactory, UserFactory
from tests.geo.conftest import person_in
from tests.training.factories import CohortFactory


@pytest.fixture(autouse=True)
def _the_two_programmes(db):
    """The templates `migrate` makes; a transactional test elsewhere in the run (browser,
    schemathesis) flushes them: make them again (the migration's own function)."""
    from django.apps import apps

    migration = importlib.import_module("innohub.training.migrations.0002_the_two_programmes")
    migration.create(apps, None)


@pytest.fixture
def crew(db):
    """A programme manager, a trainer, an administrator and two ministries' officers."""
    country = AreaFactory(code="BD")
    land, health = OrganisationFactory(area=country), OrganisationFactory(area=country)
    officers = []
    for index, (ministry, gender, grade) in enumerate(
        [
            (land, "female", "Grade 9"),
            (land, "male", "Grade 9"),
            (health, "female", "Grade 6"),
            (health, "", ""),
        ]
    ):
        officer = UserFactory(username=f"officer{index}")
        ProfileFactory(
            user=officer, organisation=ministry, area=country, gender=gender, grade=grade
        )
        officers.append(officer)
    return {
        "manager": person_in(roles.PROGRAMME_MANAGER),
        "trainer": person_in(roles.TRAINER),
        "administrator": person_in(roles.ADMINISTRATOR),
        "stranger": UserFactory(),
        "officers": officers,
        "land": land,
        "health": health,
        "country": country,
    }


@pytest.fixture
def cohort(crew):
    """A cohort of 3 places starting in two weeks, with its trainer."""
    return CohortFactory(capacity=3, by=crew["manager"], trainers=[crew["trainer"]])


def days_from_today(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)
