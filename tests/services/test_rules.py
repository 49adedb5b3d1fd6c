from __future__ import annotations

import pytest

from innohub.accounts.models import TeamMembership
from innohub.core import roles
from innohub.geo.models import Level
from tests.factories import AreaFactory, InnovationTeamFactory, OrganisationFactory, ProfileFactory
from tests.geo.conftest import person_in
from tests.services.factories import JourneyFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def journey():
    country = AreaFactory(code="BD")
    district = AreaFactory(code="BD-13", level=Level.DISTRICT, parent=country)
    upazila = AreaFactory(code="BD-13-S", level=Level.SUBDISTRICT, parent=district)
    ministry = OrganisationFactory(area=country)
    office = OrganisationFactory(parent=ministry, kind="office", area=upazila)
    return JourneyFactory(service=ServiceFactory(organisation=office), area=upazila)


def may_change(user, journey) -> bool:
    return user.has_perm("services.change_journey", journey)


def test_the_observer_edits_their_own_journey(journey):
    assert may_change(journey.observer, journey)


def test_another_civil_servant_may_not_edit_it(journey):
    assert not may_change(person_in(roles.CIVIL_SERVANT), journey)


def test_a_member_of_a_team_serving_an_area_above_may_edit(journey):
    member = person_in(roles.TEAM_MEMBER)
    team = InnovationTeamFactory(area=journey.area.parent)
    TeamMembership.objects.create(team=team, user=member)
    assert may_change(member, journey)


def test_a_member_of_a_team_serving_the_ministry_may_edit(journey):
    member = person_in(roles.TEAM_MEMBER)
    team = InnovationTeamFactory(area=None, organisation=journey.service.organisation.parent)
    TeamMembership.objects.create(team=team, user=member)
    assert may_change(member, journey)


def test_a_member_of_a_team_elsewhere_may_not(journey):
    member = person_in(roles.TEAM_MEMBER)
    TeamMembership.objects.create(team=InnovationTeamFactory(area=AreaFactory()), user=member)
    assert not may_change(member, journey)


def test_a_programme_manager_within_the_organisation_may_edit(journey):
    manager = person_in(roles.PROGRAMME_MANAGER)
    ProfileFactory(user=manager, organisation=journey.service.organisation.parent)
    assert may_change(manager, journey)


def test_a_programme_manager_elsewhere_may_not(journey):
    manager = person_in(roles.PROGRAMME_MANAGER)
    ProfileFactory(user=manager, area=AreaFactory())
    assert not may_change(manager, journey)


def test_administrators_edit_everywhere(journey):
    assert may_change(person_in(roles.ADMINISTRATOR), journey)


@pytest.mark.parametrize(
    ("role", "service", "process_map"),
    [
        (roles.CIVIL_SERVANT, False, False),
        (roles.TRAINER, False, True),
        (roles.PROGRAMME_MANAGER, True, True),
        (roles.ADMINISTRATOR, True, True),
    ],
)
def test_who_keeps_services_and_maps(role, service, process_map):
    user = person_in(role)
    assert user.has_perm("services.add_service") is service
    assert user.has_perm("services.change_processmap") is process_map
    assert user.has_perm("services.add_journey")


def test_an_import_is_followed_by_who_started_it_and_by_administrators_only():
    from innohub.services.models import JourneyImport
    from innohub.services.selectors import journey_import_for
    from tests.factories import UserFactory

    starter = UserFactory()
    job = JourneyImport.objects.create(by=starter)
    # A member of the administrator group who is not a superuser is an administrator too.
    administrator = UserFactory(roles=[roles.ADMINISTRATOR])
    assert not administrator.is_superuser
    assert journey_import_for(import_id=job.pk, user=starter) == job
    assert journey_import_for(import_id=job.pk, user=administrator) == job
    assert journey_import_for(import_id=job.pk, user=UserFactory()) is None
    assert (
        journey_import_for(import_id=job.pk, user=UserFactory(roles=[roles.PROGRAMME_MANAGER]))
        is None
    )
    assert journey_import_for(import_id=10**30, user=administrator) is None
