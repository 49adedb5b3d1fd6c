from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from innohub.accounts.models import ApiToken
from innohub.core import roles
from innohub.geo.models import Area, Level
from tests.factories import AreaFactory, UserFactory


def person_in(role: str, **fields):
    # The role groups come from a data migration, and a transactional test elsewhere in the
    # run (browser, schemathesis) flushes them: make sure the group is there.
    Group.objects.get_or_create(name=role)
    return UserFactory(roles=[role], **fields)


@pytest.fixture
def civil_servant(db):
    return person_in(roles.CIVIL_SERVANT)


@pytest.fixture
def programme_manager(db):
    return person_in(roles.PROGRAMME_MANAGER)


@pytest.fixture
def administrator(db):
    return person_in(roles.ADMINISTRATOR)


def bearer(user) -> dict[str, str]:
    _, secret = ApiToken.issue(user=user)
    return {"Authorization": f"Bearer {secret}"}


class Api:
    """The API as a program sees it: JSON in and out, with one person's token."""

    def __init__(self, client: Client, user) -> None:
        self.client, self.headers = client, bearer(user)

    def get(self, path: str, **params):
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(self, path: str, body):
        return self.client.post(
            f"/api/v1{path}", body, content_type="application/json", headers=self.headers
        )


@pytest.fixture
def api_as(client):
    return lambda user: Api(client, user)


@pytest.fixture
def bangladesh(db) -> dict[str, Area]:
    """A slice of Bangladesh: the country, two divisions, a district, a subdistrict, a union."""
    country = AreaFactory(code="BD", name="Bangladesh", name_local="বাংলাদেশ")
    dhaka_division = AreaFactory(
        code="BD-C", name="Dhaka", name_local="ঢাকা", level=Level.DIVISION, parent=country
    )
    barishal = AreaFactory(
        code="BD-A", name="Barishal", name_local="বরিশাল", level=Level.DIVISION, parent=country
    )
    dhaka = AreaFactory(
        code="BD-13", name="Dhaka", level=Level.DISTRICT, parent=dhaka_division, name_local="ঢাকা"
    )
    savar = AreaFactory(
        code="BD-13-SAVAR", name="Savar", name_local="সাভার", level=Level.SUBDISTRICT, parent=dhaka
    )
    ashulia = AreaFactory(
        code="BD-13-SAVAR-ASHULIA",
        name="Ashulia",
        name_local="আশুলিয়া",
        level=Level.UNION,
        parent=savar,
    )
    return {
        "BD": country,
        "BD-C": dhaka_division,
        "BD-A": barishal,
        "BD-13": dhaka,
        "BD-13-SAVAR": savar,
        "BD-13-SAVAR-ASHULIA": ashulia,
    }
