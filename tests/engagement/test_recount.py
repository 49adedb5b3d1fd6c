"""Counting the engagement figures again from the rows repairs what the domain functions did
not see, and agrees with them where they did."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from innohub.engagement import kpis, services
from innohub.engagement.models import Consultation, OrganisationEngagement
from innohub.engagement.recount import recount
from tests.engagement.conftest import days_from_today, open_consultation
from tests.engagement.test_contributions import say

pytestmark = pytest.mark.django_db


def figures_of(consultation):
    consultation.refresh_from_db()
    return kpis.figures(consultation)


def test_recount_agrees_with_the_figures_kept_on_write_and_repairs_drift(place, capsys):
    consultation = open_consultation(place)
    said = [
        say(consultation, "Open on Fridays.", satisfaction=4, area=place["dhaka"]),
        say(consultation, "Fewer papers.", channel="phone", by=place["officer"]),
        say(consultation, "A queue number.", satisfaction=2),
    ]
    finding = services.create_finding(
        by=place["officer"], consultation=consultation, title="Friday",
        contributions=[said[0].pk],
    )  # fmt: skip
    services.respond(
        by=place["officer"], finding=finding, text="Open on Fridays since March.",
        responded_on=days_from_today(0),
    )  # fmt: skip
    kept = figures_of(consultation)
    ministry = OrganisationEngagement.objects.get(organisation=place["land"])
    kept_ministry = kpis.figures(ministry)

    assert recount().changed == 0
    assert figures_of(consultation) == kept

    # A bulk load past the domain functions, and counters gone wrong.
    Consultation.objects.filter(pk=consultation.pk).update(contributions=99, response_days={})
    OrganisationEngagement.objects.filter(organisation=place["land"]).update(findings=7)
    with pytest.raises(SystemExit):
        call_command("recount_engagement", "--check")
    assert Consultation.objects.get(pk=consultation.pk).contributions == 99  # unchanged
    call_command("recount_engagement")
    assert "1 corrected" in capsys.readouterr().out
    assert figures_of(consultation) == kept
    assert kpis.figures(OrganisationEngagement.objects.get(organisation=place["land"])) == (
        kept_ministry
    )
    assert kept["contributions"] == 3 and kept["median_days_to_response"] is not None
