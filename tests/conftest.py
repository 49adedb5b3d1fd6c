from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import UserFactory


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def client_signed_in(client: Client, user) -> Client:
    client.force_login(user)
    return client
