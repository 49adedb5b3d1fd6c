from __future__ import annotations

import pytest

from innohub.orgs.models import Kind, Organisation
from tests.factories import OrganisationFactory

# The people, the API client and the slice of Bangladesh are the geography tests' own.
from tests.geo.conftest import (  # noqa: F401
    administrator,
    api_as,
    bangladesh,
    civil_servant,
    programme_manager,
)


@pytest.fixture
def ministry_tree(bangladesh) -> dict[str, Organisation]:  # noqa: F811 - the imported fixture
    """A ministry in the country, a department in Dhaka division, offices below."""
    ministry = OrganisationFactory(
        name="Ministry of Land", name_local="ভূমি মন্ত্রণালয়", area=bangladesh["BD"]
    )
    department = OrganisationFactory(
        name="Department of Land Records",
        kind=Kind.DEPARTMENT,
        parent=ministry,
        area=bangladesh["BD-C"],
    )
    dhaka_office = OrganisationFactory(
        name="Dhaka District Land Office",
        kind=Kind.OFFICE,
        parent=department,
        area=bangladesh["BD-13"],
    )
    savar_office = OrganisationFactory(
        name="Savar Upazila Land Office",
        short_name="AC Land Savar",
        kind=Kind.OFFICE,
        parent=department,
        area=bangladesh["BD-13-SAVAR"],
    )
    health = OrganisationFactory(name="Ministry of Health", area=bangladesh["BD"])
    barishal_office = OrganisationFactory(
        name="Barishal Health Office", kind=Kind.OFFICE, parent=health, area=bangladesh["BD-A"]
    )
    return {
        "ministry": ministry,
        "department": department,
        "dhaka_office": dhaka_office,
        "savar_office": savar_office,
        "health": health,
        "barishal_office": barishal_office,
    }
