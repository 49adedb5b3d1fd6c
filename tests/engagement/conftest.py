from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from innohub.core import roles
from innohub.engagement import services
from innohub.geo.models import Level
from tests.factories import AreaFactory, OrganisationFactory, ProfileFactory, UserFactory
from tests.geo.conftest import person_in


def days_from_today(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def place(db) -> dict[str, Any]:
    """A country with two districts; a ministry with an office, and another ministry; an
    officer of the office, a programme manager of the ministry, an officer of the other
    ministry, an administrator."""
    country = AreaFactory(code="BD", name="Bangladesh")
    dhaka = AreaFactory(code="BD-13", name="Dhaka", level=Level.DISTRICT, parent=country)
    sylhet = AreaFactory(code="BD-60", name="Sylhet", level=Level.DISTRICT, parent=country)
    land = OrganisationFactory(name="Ministry of Land", area=country)
    office = OrganisationFactory(
        name="AC Land office, Savar", kind="office", parent=land, area=dhaka
    )
    health = OrganisationFactory(name="Ministry of Health", area=country)
    officer = UserFactory(username="officer")
    ProfileFactory(user=officer, organisation=office, area=dhaka)
    manager = person_in(roles.PROGRAMME_MANAGER)
    ProfileFactory(user=manager, organisation=land, area=country)
    stranger = UserFactory(username="stranger")
    ProfileFactory(user=stranger, organisation=health, area=country)
    return {
        "country": country, "dhaka": dhaka, "sylhet": sylhet, "land": land, "office": office,
        "health": health, "officer": officer, "manager": manager, "stranger": stranger,
        "administrator": person_in(roles.ADMINISTRATOR),
    }  # fmt: skip


def open_consultation(place: dict[str, Any], **fields: Any):
    """A consultation of the land office, open since a week, closing in three, every channel."""
    values: dict[str, Any] = {
        "by": place["officer"],
        "title": "Land mutation",
        "question": "How could the land mutation service be faster for you?",
        "organisation": place["office"],
        "opens_on": days_from_today(-7),
        "closes_on": days_from_today(21),
        "channels": ["online", "face_to_face", "phone", "digital_centre"],
        "retention_days": 90,
    }
    values.update(fields)
    return services.create_consultation(**values)


@pytest.fixture
def consultation(place):
    return open_consultation(place)
