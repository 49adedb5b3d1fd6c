from __future__ import annotations

import pytest

from innohub.core import roles
from tests.factories import UserFactory

# The API client and the slice of Bangladesh are the geography tests', the ministry tree the
# organisation tests'.
from tests.geo.conftest import Api, bangladesh  # noqa: F401
from tests.orgs.conftest import ministry_tree  # noqa: F401


@pytest.fixture(autouse=True)
def _locmem_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def no_otp_throttling(settings):
    """Let a right code follow a wrong one at once (django-otp waits 1 s, 2 s, 4 s…)."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


@pytest.fixture
def civil_servant(db):
    return UserFactory(roles=[roles.CIVIL_SERVANT])


@pytest.fixture
def administrator(db):
    return UserFactory(roles=[roles.ADMINISTRATOR])


@pytest.fixture
def programme_manager(db):
    return UserFactory(roles=[roles.PROGRAMME_MANAGER])


@pytest.fixture
def superuser(db):
    return UserFactory(is_superuser=True, is_staff=True)


class PeopleApi(Api):
    """The geography tests' API client, with the PUT the skills of a person need."""

    def put(self, path: str, body):
        return self.client.put(
            f"/api/v1{path}", body, content_type="application/json", headers=self.headers
        )


@pytest.fixture
def api_as(client):
    return lambda user: PeopleApi(client, user)
