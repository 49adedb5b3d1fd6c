"""The admin of every accounts model loads, behind two-factor; who may manage teams."""

from __future__ import annotations

import pytest
from django.urls import reverse

from innohub.accounts.models import ApiToken
from tests.accounts.factories import TeamMembershipFactory, UserSkillFactory
from tests.accounts.helpers import sign_in_verified
from tests.factories import InnovationTeamFactory, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

MODELS = ["user", "profile", "skillfamily", "skill", "userskill", "innovationteam", "apitoken"]


@pytest.fixture
def some_of_everything(db):
    person = UserFactory()
    ProfileFactory(user=person)
    UserSkillFactory(user=person)
    TeamMembershipFactory(user=person)
    ApiToken.issue(user=person, name="script")
    ApiToken.issue(user=person, name="old", days=-1)
    return person


@pytest.mark.parametrize("model", MODELS)
def test_changelist_and_change_page_load_for_a_verified_superuser(
    client, superuser, some_of_everything, model
):
    sign_in_verified(client, superuser)
    changelist = client.get(reverse(f"admin:accounts_{model}_changelist"))
    assert changelist.status_code == 200
    obj = changelist.context["cl"].result_list[0]
    assert client.get(reverse(f"admin:accounts_{model}_change", args=[obj.pk])).status_code == 200


@pytest.mark.parametrize("model", [m for m in MODELS if m != "apitoken"])
def test_add_page_loads(client, superuser, model):
    sign_in_verified(client, superuser)
    assert client.get(reverse(f"admin:accounts_{model}_add")).status_code == 200


def test_tokens_cannot_be_added_in_the_admin(client, superuser):
    sign_in_verified(client, superuser)
    assert client.get(reverse("admin:accounts_apitoken_add")).status_code == 403


def test_token_changelist_filters_expired(client, superuser, some_of_everything):
    sign_in_verified(client, superuser)
    url = reverse("admin:accounts_apitoken_changelist")
    expired = client.get(url, {"expired": "yes"}).context["cl"].result_list
    assert [token.name for token in expired] == ["old"]


def test_user_changelist_searches_and_filters(client, superuser, some_of_everything):
    sign_in_verified(client, superuser)
    url = reverse("admin:accounts_user_changelist")
    found = client.get(url, {"q": some_of_everything.last_name}).context["cl"].result_list
    assert some_of_everything in list(found)


def test_admin_needs_two_factor_first(client, superuser):
    client.force_login(superuser)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_setup"))


def test_staff_programme_manager_manages_innovation_teams(client):
    manager = UserFactory(roles=["programme_manager"], is_staff=True)
    sign_in_verified(client, manager)
    assert client.get(reverse("admin:accounts_innovationteam_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_innovationteam_add")).status_code == 200
    team = InnovationTeamFactory()
    change = client.get(reverse("admin:accounts_innovationteam_change", args=[team.pk]))
    assert change.status_code == 200
    # Teams, not people: the user admin stays closed.
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403


def test_staff_civil_servant_cannot_manage_innovation_teams(client):
    clerk = UserFactory(roles=["civil_servant"], is_staff=True)
    client.force_login(clerk)
    assert client.get(reverse("admin:accounts_innovationteam_changelist")).status_code == 403


def test_granting_a_role_is_recorded_in_the_persons_history(db):
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    person = UserFactory()
    manager_role, _ = Group.objects.get_or_create(name="programme_manager")
    person.first_name = "Renamed"
    person.save()
    person.groups.add(manager_role)

    history = person.history.all()
    assert history.count() >= 2
    latest = history.first()
    assert latest.first_name == "Renamed"
    assert not hasattr(latest, "password")
    assert list(latest.groups.values_list("group__name", flat=True)) == ["programme_manager"]
