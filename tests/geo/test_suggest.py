"""/areas/suggest/: what the area pickers offer as someone types."""

from __future__ import annotations

import pytest
from django.urls import reverse

from innohub.geo.models import Level
from tests.factories import AreaFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dhaka():
    country = AreaFactory(code="BD", name="Bangladesh", level=Level.COUNTRY)
    district = AreaFactory(code="BD-13", name="Dhaka", level=Level.DISTRICT, parent=country)
    AreaFactory(
        code="BD-13-SAVAR",
        name="Savar",
        name_local="সাভার",
        level=Level.SUBDISTRICT,
        parent=district,
    )
    AreaFactory(code="BD-60", name="Sylhet", level=Level.DISTRICT, parent=country)
    return district


@pytest.fixture
def officer(client):
    client.force_login(UserFactory())
    return client


def codes(client, text: str) -> list[str]:
    response = client.get(reverse("geo:area_suggest"), {"q": text})
    assert response.status_code == 200
    return [area["code"] for area in response.json()["areas"]]


def test_codes_that_start_with_the_text_come_first_in_any_case(officer, dhaka):
    assert codes(officer, "bd-13") == ["BD-13", "BD-13-SAVAR"]
    # Then names: the larger area first.
    assert codes(officer, "sy") == ["BD-60"]
    assert codes(officer, "সাভা") == ["BD-13-SAVAR"]


def test_each_suggestion_says_what_the_area_is(officer, dhaka):
    response = officer.get(reverse("geo:area_suggest"), {"q": "savar"})
    assert response.json() == {
        "areas": [
            {
                "code": "BD-13-SAVAR",
                "name": "Savar",
                "name_local": "সাভার",
                "level": "Subdistrict",
            }
        ]
    }


def test_nothing_typed_suggests_nothing_and_strangers_are_asked_to_sign_in(client, dhaka):
    assert client.get(reverse("geo:area_suggest"), {"q": "bd"}).status_code == 302
    client.force_login(UserFactory())
    assert codes(client, "  ") == []
    assert codes(client, "x" * 5000) == []
    assert codes(client, "BD\x00") == []
