from __future__ import annotations

import pytest

from innohub.accounts.models import TeamMembership
from innohub.core import roles
from innohub.geo.models import Level
from tests.factories import (
    AreaFactory,
    InnovationTeamFactory,
    OrganisationFactory,
    ProfileFactory,
    UserFactory,
)
from tests.geo.conftest import person_in
from tests.pipeline.factories import IdeaFactory, PilotFactory
from tests.services.factories import ServiceFactory


@pytest.fixture
def place(db):
    """A country, a district and a subdistrict; a ministry and an office under it."""
    country = AreaFactory(code="BD")
    district = AreaFactory(code="BD-13", level=Level.DISTRICT, parent=country)
    upazila = AreaFactory(code="BD-13-S", level=Level.SUBDISTRICT, parent=district)
    other_district = AreaFactory(code="BD-27", level=Level.DISTRICT, parent=country)
    ministry = OrganisationFactory(area=country)
    office = OrganisationFactory(parent=ministry, kind="office", area=upazila)
    other_ministry = OrganisationFactory(area=country)
    return {
        "country": country,
        "district": district,
        "upazila": upazila,
        "other_district": other_district,
        "ministry": ministry,
        "office": office,
        "other_ministry": other_ministry,
        "service": ServiceFactory(organisation=office),
    }


@pytest.fixture
def people(place):
    """Everyone a pilot's moves distinguish, around one pilot in the subdistrict's office."""
    lead, mentor, stranger = UserFactory(), UserFactory(), UserFactory()
    manager = person_in(roles.PROGRAMME_MANAGER)
    ProfileFactory(user=manager, area=place["district"])
    far_manager = person_in(roles.PROGRAMME_MANAGER)
    ProfileFactory(user=far_manager, area=place["other_district"])
    team_member = UserFactory()
    team = InnovationTeamFactory(area=None, organisation=place["ministry"])
    TeamMembership.objects.create(team=team, user=team_member)
    administrator = person_in(roles.ADMINISTRATOR)
    return {
        "reviewer": person_in(roles.SENIOR_REVIEWER),
        "lead": lead,
        "mentor": mentor,
        "stranger": stranger,
        "manager": manager,
        "far_manager": far_manager,
        "team_member": team_member,
        "administrator": administrator,
    }


@pytest.fixture
def make_pilot(place, people):
    def make(status="draft", **fields):
        fields.setdefault("idea", IdeaFactory(service=place["service"]))
        fields.setdefault("area", place["upazila"])
        fields.setdefault("organisation", place["office"])
        fields.setdefault("lead", people["lead"])
        fields.setdefault("mentor", people["mentor"])
        return PilotFactory(status=status, **fields)

    return make
