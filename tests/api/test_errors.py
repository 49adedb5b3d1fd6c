"""The API's answers when the request is too large or the database fails: the error shape of
docs/api.md, never an HTML page, never a 500."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import InterfaceError, OperationalError, connection, connections
from django.test import Client

from innohub.accounts import auth as accounts_auth
from innohub.accounts.models import ApiToken
from innohub.geo import selectors as geo_selectors
from innohub.services.models import Journey
from tests.factories import AreaFactory
from tests.services.factories import ServiceFactory
from tests.services.test_import import csv_file, row

pytestmark = pytest.mark.django_db

TOO_LARGE = {
    "detail": "The request is too large.",
    "errors": [
        {
            "field": "__all__",
            "message": "A request body may be at most 2.5 MB; send files as multipart uploads.",
        }
    ],
}
BUSY = {"detail": "The database is busy. Try again in a few seconds.", "errors": []}
DOWN = {"detail": "The database cannot be reached. Try again in a minute.", "errors": []}


@pytest.fixture
def bearer(user) -> dict[str, str]:
    _, secret = ApiToken.issue(user=user)
    return {"Authorization": f"Bearer {secret}"}


def fifty_megabytes_of_json() -> str:
    """A well-formed journey whose pain point description makes the body 50 MB."""
    text = "x" * (50 * 2**20)
    return json.dumps({"steps": [{"pain_points": [{"category": "x", "description": text}]}]})


# --- 413 ------------------------------------------------------------------------------------


def test_a_50_mb_json_body_is_413_in_the_error_shape(client, bearer):
    body = fifty_megabytes_of_json()

    response = client.post(
        "/api/v1/journeys", data=body, content_type="application/json", headers=bearer
    )

    assert response.status_code == 413
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == TOO_LARGE
    assert Journey.objects.count() == 0


def test_a_body_too_large_for_the_public_token_endpoint_is_413_too(client):
    response = client.post(
        "/api/v1/auth/token", data=fifty_megabytes_of_json(), content_type="application/json"
    )

    assert response.status_code == 413
    assert response.json() == TOO_LARGE


def test_a_form_body_too_large_sent_with_a_session_is_413_not_a_csrf_failure(
    client_signed_in, settings
):
    # The session's CSRF check reads the form before the handler does: the limit speaks first.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = "name=" + "x" * 5000

    response = client_signed_in.post(
        "/api/v1/skills", data=body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 413
    assert response.json()["errors"][0]["message"] == (
        "A request body may be at most 1000 bytes; send files as multipart uploads."
    )


def test_the_limit_is_the_settings_one_and_a_body_at_the_limit_is_read(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    at_limit = json.dumps({"username": "someone", "password": "p" * 60}).ljust(100)
    assert len(at_limit) == 100

    answered = client.post("/api/v1/auth/token", data=at_limit, content_type="application/json")
    refused = client.post(
        "/api/v1/auth/token", data=at_limit + " ", content_type="application/json"
    )

    assert answered.status_code == 401  # read, checked, and the credentials are wrong
    assert refused.status_code == 413


def test_a_journey_file_larger_than_the_body_limit_is_still_imported(client, bearer, settings):
    # Uploads go to Django's file upload handlers; only IMPORT_MAX_BYTES limits them.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    service, area = ServiceFactory(), AreaFactory(code="BD-13")
    data = csv_file([row(service, area, f"J{n}") for n in range(40)]).getvalue()
    assert len(data) > 4 * settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    response = client.post(
        "/api/v1/journeys/import",
        {"file": SimpleUploadedFile("journeys.csv", data, content_type="text/csv")},
        headers=bearer,
    )

    assert response.status_code == 200
    assert response.json() == {"created": 40, "skipped_duplicates": 0}


def test_another_bad_request_under_the_api_is_a_400_in_the_error_shape(client):
    response = client.get("/api/v1/me", headers={"host": "evil.example"})

    assert response.status_code == 400
    assert response.json() == {"detail": "The request could not be read.", "errors": []}


# --- 503 ------------------------------------------------------------------------------------


def failing(exc: Exception):
    def fail(*args, **kwargs):
        raise exc

    return fail


@pytest.mark.parametrize(
    ("exc", "retry_after", "body"),
    [
        (OperationalError("database is locked"), "5", BUSY),
        (OperationalError("connection to server at 10.0.0.5 failed: refused"), "30", DOWN),
        (InterfaceError("connection already closed"), "30", DOWN),
    ],
)
def test_a_database_outage_in_a_handler_is_503_with_retry_after(
    client, bearer, monkeypatch, exc, retry_after, body
):
    monkeypatch.setattr(geo_selectors, "area_list", failing(exc))

    response = client.get("/api/v1/areas", headers=bearer)

    assert response.status_code == 503
    assert response["Retry-After"] == retry_after
    assert "no-store" in response["Cache-Control"]
    assert response.json() == body  # the error's own text (a host name) is not passed on


@contextmanager
def areas_locked_by_another_connection() -> Iterator[None]:
    """Another connection holds the areas table, as a long import would: SQLite answers
    "database table is locked" (the test database is shared memory), PostgreSQL gives up
    after its `lock_timeout`."""
    other = connections.create_connection("default")
    with other.cursor() as cursor:
        if other.vendor == "sqlite":
            cursor.execute("BEGIN IMMEDIATE")
            cursor.execute("UPDATE geo_area SET name = name")
        else:
            cursor.execute("BEGIN")
            cursor.execute("LOCK TABLE geo_area IN ACCESS EXCLUSIVE MODE")
            with connection.cursor() as ours:
                ours.execute("SET lock_timeout = '200ms'")
        try:
            yield
        finally:
            cursor.execute("ROLLBACK")
            if other.vendor == "postgresql":
                with connection.cursor() as ours:
                    ours.execute("RESET lock_timeout")
    other.close()


@pytest.mark.django_db(transaction=True)
def test_a_table_locked_by_another_connection_is_503_busy(client, bearer):
    with areas_locked_by_another_connection():
        response = client.get("/api/v1/areas", headers=bearer)

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == BUSY
    assert client.get("/api/v1/areas", headers=bearer).status_code == 200  # lock gone: served


def test_a_locked_database_is_503_in_debug_mode_too(client, bearer, monkeypatch, settings):
    settings.DEBUG = True
    monkeypatch.setattr(geo_selectors, "area_list", failing(OperationalError("database is locked")))

    response = client.get("/api/v1/areas", headers=bearer)

    assert response.status_code == 503
    assert response.json() == BUSY


def test_a_database_outage_while_checking_the_token_is_503(client, bearer, monkeypatch):
    monkeypatch.setattr(
        accounts_auth.TokenAuth, "authenticate", failing(OperationalError("database is locked"))
    )

    response = client.get("/api/v1/me", headers=bearer)

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == BUSY


def test_a_database_outage_while_reading_the_session_is_503_in_the_error_shape(user, monkeypatch):
    # The session is read by middleware, before any handler: Django's 500 handler answers.
    client = Client(raise_request_exception=False)
    client.force_login(user)
    monkeypatch.setattr(
        "django.contrib.sessions.backends.db.SessionStore.load",
        failing(OperationalError("server closed the connection unexpectedly")),
    )

    response = client.get("/api/v1/me")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json() == DOWN


def test_a_bug_under_the_api_stays_a_500_but_in_the_error_shape(client, bearer, monkeypatch):
    client = Client(raise_request_exception=False)
    monkeypatch.setattr(geo_selectors, "area_list", failing(RuntimeError("a bug")))

    response = client.get("/api/v1/areas", headers=bearer)

    assert response.status_code == 500
    assert response.json() == {
        "detail": "Something went wrong in innohub. Try again later.",
        "errors": [],
    }
