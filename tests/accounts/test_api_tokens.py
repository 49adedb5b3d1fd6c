"""The token endpoints of the API: issue with password (and code), list mine, revoke mine."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from innohub.accounts.models import ApiToken, hash_token
from tests.accounts.helpers import confirmed_device, current_code, sign_in_verified
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token"
TOKENS = "/api/v1/auth/tokens"


def ask(client, **body):
    return client.post(TOKEN, body, content_type="application/json")


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_password_gives_a_token_that_works_and_is_stored_hashed(client, user):
    response = ask(client, username=user.username, password=PASSWORD, name="report script")
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"token", "id", "expires"}
    token = ApiToken.objects.get(pk=body["id"])
    assert token.name == "report script"
    assert token.digest == hash_token(body["token"]) != body["token"]
    expected = timezone.now() + timedelta(days=settings.API_TOKEN_DAYS)
    assert abs(parse_datetime(body["expires"]) - expected) < timedelta(minutes=1)
    me = client.get("/api/v1/me", headers=bearer(body["token"]))
    assert me.json()["username"] == user.username
    user.refresh_from_db()
    assert user.last_login is not None


def test_a_token_may_ask_for_its_lifetime(client, user):
    response = ask(client, username=user.username, password=PASSWORD, days=7)
    expires = parse_datetime(response.json()["expires"])
    assert abs(expires - (timezone.now() + timedelta(days=7))) < timedelta(minutes=1)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"password": PASSWORD}, "username"),
        ({"username": "a\x00b", "password": PASSWORD}, "username"),
        ({"username": "x", "password": PASSWORD, "name": "n\x00"}, "name"),
        ({"username": "x", "password": "p\x00"}, "password"),
        ({"username": "x", "password": PASSWORD, "otp": "1\x002"}, "otp"),
        ({"username": "x", "password": PASSWORD, "days": True}, "days"),
        ({"username": "x", "password": PASSWORD, "days": 366}, "days"),
        ({"username": "x", "password": PASSWORD, "days": "7"}, "days"),
        ({"username": 12, "password": PASSWORD}, "username"),
    ],
)
def test_bad_input_is_422_naming_the_field(client, body, field):
    response = client.post(TOKEN, body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"] == "The input is not valid."
    assert [error["field"] for error in response.json()["errors"]] == [field]


def test_wrong_credentials_are_401_in_the_error_shape(client, user):
    for username, password in [(user.username, "wrong"), ("nobody", PASSWORD)]:
        response = ask(client, username=username, password=password)
        assert response.status_code == 401
        assert response.json() == {"detail": "The username or password is wrong.", "errors": []}


def test_failures_count_towards_throttling_like_the_sign_in_page(client, user):
    # Some failures on the page, the rest on the API: one count.
    client.post("/accounts/login/", {"username": user.username, "password": "wrong"})
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 2):
        assert ask(client, username=user.username, password="wrong").status_code == 401
    locked = ask(client, username=user.username, password="wrong")
    assert locked.status_code == 429
    assert set(locked.json()) == {"detail", "errors"}
    assert "Too many failed sign-ins" in locked.json()["detail"]
    # The right password does not help while the lock lasts.
    assert ask(client, username=user.username, password=PASSWORD).status_code == 429
    page = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert page.status_code == 429


def test_a_token_resets_the_failure_count(client, user):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        ask(client, username=user.username, password="wrong")
    assert ask(client, username=user.username, password=PASSWORD).status_code == 201
    assert ask(client, username=user.username, password="wrong").status_code == 401


def test_account_with_two_factor_needs_the_code(client, user, no_otp_throttling):
    device = confirmed_device(user)
    missing = ask(client, username=user.username, password=PASSWORD)
    assert missing.status_code == 401
    assert [e["field"] for e in missing.json()["errors"]] == ["otp"]
    wrong = ask(client, username=user.username, password=PASSWORD, otp="000000")
    assert wrong.status_code == 401
    assert wrong.json()["errors"] == [
        {"field": "otp", "message": "The code is wrong or has expired."}
    ]
    right = ask(client, username=user.username, password=PASSWORD, otp=current_code(device))
    assert right.status_code == 201


def test_two_factor_role_without_a_device_cannot_get_a_token(client, programme_manager):
    response = ask(client, username=programme_manager.username, password=PASSWORD)
    assert response.status_code == 401
    assert response.json()["errors"][0]["field"] == "otp"
    assert not ApiToken.objects.exists()


def test_wrong_password_with_a_right_code_is_still_401(client, user):
    device = confirmed_device(user)
    response = ask(client, username=user.username, password="wrong", otp=current_code(device))
    assert response.status_code == 401
    assert response.json()["errors"] == []


def test_token_list_shows_only_my_tokens_never_the_secret(client, user):
    mine = [ApiToken.issue(user=user, name=f"mine {n}")[0] for n in range(3)]
    ApiToken.issue(user=UserFactory(), name="someone else's")
    _, secret = ApiToken.issue(user=user, name="caller")
    response = client.get(TOKENS, headers=bearer(secret))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    assert {t["name"] for t in body["results"]} == {"mine 0", "mine 1", "mine 2", "caller"}
    assert set(body["results"][0]) == {"id", "name", "created", "last_used", "expires"}
    assert secret not in response.content.decode()
    assert {t["id"] for t in body["results"]} >= {t.pk for t in mine}


def test_token_list_takes_the_same_queries_for_2_tokens_as_for_12(
    client, user, django_assert_num_queries
):
    ApiToken.issue(user=user, name="nightly export")
    _, secret = ApiToken.issue(user=user, name="caller")
    client.get(TOKENS, headers=bearer(secret))  # its first use is written once a minute
    # the caller's token (with its person), count, page
    with django_assert_num_queries(3):
        assert client.get(TOKENS, headers=bearer(secret)).json()["count"] == 2
    for n in range(10):
        ApiToken.issue(user=user, name=f"script {n}")
    with django_assert_num_queries(3):
        response = client.get(TOKENS, headers=bearer(secret))
    assert len(response.json()["results"]) == 12


def test_token_list_is_paginated(client, user):
    for n in range(3):
        ApiToken.issue(user=user, name=f"t{n}")
    client.force_login(user)
    page = client.get(TOKENS, {"page_size": 2, "page": 2}).json()
    assert page["count"] == 3 and len(page["results"]) == 1
    assert client.get(TOKENS, {"page_size": 201}).status_code == 422


def test_token_list_needs_a_signed_in_caller(client):
    assert client.get(TOKENS).status_code == 401


def test_revoking_my_token_is_204_and_it_stops_working(client, user):
    token, secret = ApiToken.issue(user=user)
    _, caller = ApiToken.issue(user=user)
    response = client.delete(f"{TOKENS}/{token.pk}", headers=bearer(caller))
    assert response.status_code == 204
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_civil_servant_cannot_revoke_another_persons_token(client, user):
    other_token, _ = ApiToken.issue(user=UserFactory())
    _, caller = ApiToken.issue(user=user)
    response = client.delete(f"{TOKENS}/{other_token.pk}", headers=bearer(caller))
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": []}
    assert ApiToken.objects.filter(pk=other_token.pk).exists()


def test_unknown_and_absurd_token_ids_are_404_or_422(client, user):
    _, caller = ApiToken.issue(user=user)
    assert client.delete(f"{TOKENS}/999999", headers=bearer(caller)).status_code == 404
    huge = client.delete(f"{TOKENS}/99999999999999999999999", headers=bearer(caller))
    assert huge.status_code in {404, 422}
    assert client.delete(f"{TOKENS}/abc", headers=bearer(caller)).status_code == 422


def test_verified_administrator_may_use_the_api_with_the_session(client, administrator):
    sign_in_verified(client, administrator)
    ApiToken.issue(user=administrator)
    assert client.get(TOKENS).json()["count"] == 1


def test_openapi_marks_the_token_endpoint_public_and_documents_its_answers(client):
    document = client.get("/api/v1/openapi.json").json()
    create = document["paths"]["/api/v1/auth/token"]["post"]
    assert create["security"] == []
    assert set(create["responses"]) == {"201", "400", "401", "422", "429"}
    listing = document["paths"]["/api/v1/auth/tokens"]["get"]
    assert "security" in listing and listing["security"] != []
    revoke = document["paths"]["/api/v1/auth/tokens/{token_id}"]["delete"]
    assert {"204", "401", "404"} <= set(revoke["responses"])


def test_a_body_that_is_not_json_is_400_in_the_error_shape(client):
    response = client.post(TOKEN, b"\xff\x00{", content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"detail", "errors"}


def test_session_delete_without_csrf_token_is_403(user):
    token, _ = ApiToken.issue(user=user)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    response = browser.delete(f"{TOKENS}/{token.pk}")
    assert response.status_code == 403
    assert ApiToken.objects.filter(pk=token.pk).exists()
