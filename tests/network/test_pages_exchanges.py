"""Out-of-the-office pages: recording an exchange, then the reflection and the follow-up."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from innohub.network.models import Exchange
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_record_reflect_and_follow_up_on_the_pages(client, user):
    client.force_login(user)
    assert "None yet." in client.get(reverse("network:exchange_list")).content.decode()
    refused = client.post(
        reverse("network:exchange_new"),
        {"kind": "field_day", "host": "Savar digital centre", "starts_on": str(TODAY),
         "ends_on": str(TODAY - datetime.timedelta(days=2)), "plan": "Sit at the counter."},
    )  # fmt: skip
    html = refused.content.decode()
    assert "The last day cannot be before the first." in html and "Savar digital centre" in html
    made = client.post(
        reverse("network:exchange_new"),
        {"kind": "field_day", "host": "Savar digital centre", "starts_on": str(TODAY),
         "ends_on": str(TODAY), "plan": "Sit at the counter."},
    )  # fmt: skip
    exchange = Exchange.objects.get()
    url = reverse("network:exchange_detail", args=[exchange.pk])
    assert made["Location"] == url
    assert "Your reflection" in client.get(url).content.decode()
    client.post(url, {"step": "reflection", "text": "Citizens wait for the one printer."})
    page = client.get(url).content.decode()
    assert "Citizens wait for the one printer." in page and "What did you change at home?" in page
    client.post(url, {"step": "follow_up", "changed_at_home": "A second printer at our office."})
    exchange.refresh_from_db()
    assert exchange.follow_up == "A second printer at our office."
    # A colleague reads it, without the forms.
    client.force_login(UserFactory())
    other = client.get(url).content.decode()
    assert "A second printer at our office." in other and "Share the follow-up" not in other
    assert client.post(url, {"step": "reflection", "text": "Mine"}).status_code == 200
    exchange.refresh_from_db()
    assert exchange.reflection == "Citizens wait for the one printer."
