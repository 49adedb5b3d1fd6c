from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.services.factories import JourneyFactory

pytestmark = pytest.mark.django_db


def test_home_offers_to_record_a_journey_and_to_finish_drafts(client):
    person = UserFactory()
    JourneyFactory(observer=person, status="draft")
    JourneyFactory(observer=person, status="draft")
    JourneyFactory(observer=person, status="final")
    JourneyFactory(status="draft")  # someone else's
    client.force_login(person)

    html = client.get(reverse("core:home")).content.decode()

    assert "2 journeys are still drafts" in html
    assert reverse("services:my_drafts") in html
    assert reverse("services:journey_start") in html


def test_no_draft_task_without_drafts(client):
    person = UserFactory()
    client.force_login(person)
    html = client.get(reverse("core:home")).content.decode()
    assert "still a draft" not in html and "still drafts" not in html
    assert reverse("services:journey_start") in html
