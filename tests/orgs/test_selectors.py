from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from innohub.orgs.selectors import (
    organisation_from_ref,
    organisations_below,
    organisations_in_area,
)

pytestmark = pytest.mark.django_db


def test_organisations_below_include_every_level(ministry_tree):
    below = set(organisations_below(ministry_tree["ministry"]).values_list("name", flat=True))

    assert below == {
        "Ministry of Land",
        "Department of Land Records",
        "Dhaka District Land Office",
        "Savar Upazila Land Office",
    }


def test_organisations_in_an_area_include_the_areas_below(ministry_tree, bangladesh):
    in_dhaka = [org.name for org in organisations_in_area(bangladesh["BD-13"])]
    in_country = organisations_in_area(bangladesh["BD"])

    assert in_dhaka == ["Dhaka District Land Office", "Savar Upazila Land Office"]
    assert in_country.count() == 6
    assert not organisations_in_area(bangladesh["BD-13-SAVAR-ASHULIA"]).exists()


@pytest.mark.parametrize("ref", ["x", "0", -1, True, "99999999999999999999", 424242])
def test_an_organisation_reference_must_be_an_existing_id(ministry_tree, ref):
    with pytest.raises(ValidationError) as caught:
        organisation_from_ref("organisation", ref)
    assert list(caught.value.message_dict) == ["organisation"]
