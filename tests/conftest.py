from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: ids (and so cache keys) come back after a
    rolled-back test on SQLite."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _reports_in_a_temporary_folder(settings, tmp_path_factory):
    """Monthly reviews (a worker started by a test makes the month before's) are written
    apart from the checkout's own `var/`."""
    settings.REPORT_DIR = tmp_path_factory.mktemp("reports")


@pytest.fixture(autouse=True)
def _language_back_to_english():
    """A request in another language leaves that language active in the thread (Django's
    LocaleMiddleware activates it and nothing undoes it): every test ends in English."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def client_signed_in(client: Client, user) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def admin_client(client: Client) -> Client:
    """An administrator signed in past the second factor (the admin asks for one)."""
    from innohub.core import roles
    from tests.accounts.helpers import sign_in_verified
    from tests.geo.conftest import person_in

    user = person_in(roles.ADMINISTRATOR, is_staff=True, is_superuser=True)
    sign_in_verified(client, user)
    return client
