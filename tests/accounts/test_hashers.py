"""Passwords are hashed with Argon2id at OWASP's cost, and older hashes are made again."""

from __future__ import annotations

import argon2
import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, get_hasher, make_password

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def parameters(encoded: str) -> argon2.Parameters:
    return argon2.extract_parameters("$" + encoded.split("$", 1)[1])


def test_new_passwords_use_argon2id_at_owasp_cost():
    encoded = make_password("a long enough secret")
    assert encoded.startswith("argon2$argon2id$")
    found = parameters(encoded)
    assert (found.memory_cost, found.time_cost, found.parallelism) == (19 * 1024, 2, 1)
    assert get_hasher().verify("a long enough secret", encoded)
    assert not get_hasher().verify("another secret", encoded)


def test_a_hash_at_djangos_cost_still_signs_in_and_is_made_again(client):
    user = UserFactory()
    user.password = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    user.save(update_fields=["password"])
    assert parameters(user.password).memory_cost == 100 * 1024

    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})

    assert response.status_code == 302
    user.refresh_from_db()
    assert parameters(user.password).memory_cost == 19 * 1024
    assert user.check_password(PASSWORD)
