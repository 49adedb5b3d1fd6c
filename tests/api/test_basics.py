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


def test_an_unknown_api_path_answers_404_in_the_error_shape(client):
    response = client.get("/api/v1/no/such/thing")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": []}


def test_malformed_json_is_400_in_the_error_shape(client):
    response = client.post("/api/v1/auth/token", data="{bad", content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"detail", "errors"}


def test_validation_errors_name_the_field_by_its_json_path(client):
    response = client.post(
        "/api/v1/auth/token", data={"username": "x"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "password", "message": "Field required"}]
