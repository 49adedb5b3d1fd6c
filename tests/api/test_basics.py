from __future__ import annotations

import pytest

from innohub.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def test_me_needs_a_signed_in_user(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json() == {"detail": "Sign in or send a valid API token.", "errors": []}


def test_me_with_a_bearer_token(client, user):
    token, secret = ApiToken.issue(user=user)
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
    assert response.json()["username"] == user.username
    token.refresh_from_db()
    assert token.last_used is not None


def test_expired_token_is_refused(client, user):
    _, secret = ApiToken.issue(user=user, days=-1)
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401


def test_openapi_document_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "innohub API"
