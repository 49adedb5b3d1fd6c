"""`seed_demo --profile a2i-2019`: the national funnel shows exactly a2i's 2019 figures,
read through the API as a program reads them; a database with pilots already is refused."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from innohub.pipeline.models import Pilot
from innohub.services.models import Journey
from tests.factories import UserFactory
from tests.pipeline.factories import PilotFactory
from tests.services.factories import JsonApi

pytestmark = pytest.mark.django_db


def test_the_a2i_profile_shows_the_seeds_figures_through_the_api(client):
    call_command("seed_demo", profile="a2i-2019", verbosity=0)
    funnel = JsonApi(client, UserFactory()).get("/stats/funnel").json()
    assert {key: funnel[key] for key in (
        "trained", "pilots", "completed", "ongoing", "discontinued", "replicated", "scaled",
    )} == {
        "trained": 5_392, "pilots": 1_137, "completed": 555, "ongoing": 582, "discontinued": 0,
        "replicated": 57, "scaled": 18,
    }  # fmt: skip
    assert funnel["citizens_reached"] >= 18_000_000
    # About USD 12 million, in BDT at 2019's 84.50 a dollar.
    assert (funnel["budget"], funnel["currency"]) == ("1014000000.00", "BDT")
    assert Decimal(funnel["budget"]) / Decimal("84.50") == Decimal(12_000_000)
    # Replications are pilots in other subdistricts than their originals.
    copies = Pilot.objects.filter(replicates__isnull=False).select_related("replicates")
    assert all(copy.area_id != copy.replicates.area_id for copy in copies)
    assert Journey.objects.count() >= 10_000
    ministries = (
        JsonApi(client, UserFactory())
        .get("/stats/funnel", organisation=copies[0].organisation.parent_id)
        .json()
    )
    assert 0 < ministries["pilots"] < 1_137


def test_the_profile_needs_a_database_without_pilots():
    PilotFactory()
    with pytest.raises(CommandError, match="without pilots"):
        call_command("seed_demo", profile="a2i-2019", verbosity=0)


def test_scale_goes_with_a_profile():
    with pytest.raises(CommandError, match="--profile"):
        call_command("seed_demo", scale=2, verbosity=0)
