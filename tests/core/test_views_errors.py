"""Pages when the request is too large (413) or the database fails under it (503)."""

from __future__ import annotations

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import Client
from django.urls import reverse

from innohub.core.outage import Outage, outage_of
from innohub.core.views_errors import unavailable
from innohub.geo import selectors as geo_selectors

pytestmark = pytest.mark.django_db


def failing(exc: Exception):
    def fail(*args, **kwargs):
        raise exc

    return fail


# --- Which database errors are outages --------------------------------------------------------


class FakePsycopgError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__("…")
        self.sqlstate = sqlstate


def wrapped(sqlstate: str) -> OperationalError:
    """An error as Django raises it from psycopg: its cause carries the SQLSTATE."""
    exc = OperationalError("…")
    exc.__cause__ = FakePsycopgError(sqlstate)
    return exc


@pytest.mark.parametrize(
    ("exc", "locked", "retry_after"),
    [
        (OperationalError("database is locked"), True, 5),
        (OperationalError("database table is locked: django_session"), True, 5),
        (wrapped("55P03"), True, 5),  # lock_not_available (lock_timeout)
        (wrapped("40P01"), True, 5),  # deadlock_detected
        (wrapped("57014"), True, 5),  # query_canceled (statement_timeout)
        (wrapped("08006"), False, 30),  # connection_failure
        (OperationalError("unable to open database file"), False, 30),
        (InterfaceError("connection already closed"), False, 30),
    ],
)
def test_a_busy_database_is_worth_a_retry_in_seconds_an_unreachable_one_later(
    exc, locked, retry_after
):
    outage = outage_of(exc)

    assert outage == Outage(locked=locked)
    assert outage.retry_after == retry_after


@pytest.mark.parametrize(
    "exc",
    [OperationalError("database or disk is full"), wrapped("53100")],  # SQLite, disk_full
)
def test_a_full_disk_is_an_outage_of_its_own(exc):
    outage = outage_of(exc)
    assert outage == Outage(locked=False, full=True)
    assert outage.retry_after == 300
    assert outage.detail == "The server's disk is full: nothing was saved. Try again later."


@pytest.mark.parametrize("exc", [RuntimeError("database is locked"), ValueError(), None])
def test_other_errors_are_not_outages(exc):
    assert outage_of(exc) is None


# --- 503 -------------------------------------------------------------------------------------


def test_a_locked_database_under_a_page_is_a_503_page_with_retry_after(
    client_signed_in, monkeypatch
):
    monkeypatch.setattr(geo_selectors, "area_list", failing(OperationalError("database is locked")))

    response = client_signed_in.get(reverse("geo:area_list"))

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "Sorry, the service is unavailable" in html
    assert "innohub is busy at the moment. Try again in a few seconds." in html
    assert "it may not have been saved" in html
    assert "database is locked" not in html


def test_an_unreachable_database_under_a_page_says_so_and_asks_for_a_minute(
    client_signed_in, monkeypatch, settings
):
    settings.DEBUG = True  # the developer's page would be a 500: the outage is still a 503
    monkeypatch.setattr(geo_selectors, "area_list", failing(InterfaceError("connection closed")))

    response = client_signed_in.get(reverse("geo:area_list"))

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "innohub cannot reach its database at the moment." in response.content.decode()


def test_a_database_outage_before_the_view_is_a_503_page_too(user, monkeypatch):
    # The session is read by middleware before any view runs; Django's 500 handler answers.
    client = Client(raise_request_exception=False)
    client.force_login(user)
    monkeypatch.setattr(
        "django.contrib.sessions.backends.db.SessionStore.load",
        failing(OperationalError("database is locked")),
    )

    response = client.get(reverse("geo:area_list"))

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Sorry, the service is unavailable" in response.content.decode()


def test_the_503_page_renders_without_request_context_or_database(rf, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = unavailable(rf.get("/"), Outage(locked=False))

    assert response.status_code == 503
    html = response.content.decode()
    assert "Sorry, the service is unavailable" in html
    assert "/static/css/innohub.css" in html


def test_the_503_page_is_in_the_persons_language(client_signed_in, monkeypatch, settings):
    monkeypatch.setattr(geo_selectors, "area_list", failing(OperationalError("database is locked")))
    client_signed_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    response = client_signed_in.get(reverse("geo:area_list"))

    assert response.status_code == 503
    assert '<html lang="fr"' in response.content.decode()


# --- 413 -------------------------------------------------------------------------------------


def test_a_form_larger_than_the_limit_is_a_413_page(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = client.post(
        reverse("accounts:login"), {"username": "someone", "password": "x" * 5000}
    )

    assert response.status_code == 413
    html = response.content.decode()
    assert "What you sent is too large" in html
    assert "innohub accepts at most 1000\xa0bytes in one form. Nothing was saved." in html
    assert "govuk-header" in html


def test_a_50_mb_form_is_a_413_page(client):
    response = client.post(
        reverse("accounts:login"),
        data="username=someone&password=" + "x" * (50 * 2**20),
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 413
    assert "innohub accepts at most 2.5\xa0MB in one form." in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_full_sqlite_database_is_a_clear_503_page_and_saves_nothing(client):
    """The embedded default on a full disk: SQLite's own "database or disk is full", made
    real by capping the database's pages and filling what is left."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's full disk (PostgreSQL's disk_full is held to 503 above)")
    from innohub.pipeline.models import Idea
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE test_ballast (x BLOB)")
        cursor.execute("PRAGMA page_count")
        (pages,) = cursor.fetchone()
        cursor.execute(f"PRAGMA max_page_count = {pages + 4}")
        try:
            while True:
                cursor.execute("INSERT INTO test_ballast VALUES (zeroblob(3000))")
        except OperationalError as full:
            assert "full" in str(full)
    try:
        response = client.post(
            reverse("pipeline:idea_new"),
            # Bangla takes three bytes a letter: far more than a page of the database.
            {"title": "অনলাইনে নামজারি", "problem": "নাগরিকদের বারবার ভূমি অফিসে যেতে হয়। " * 150},
        )
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA max_page_count = 1073741823")
            cursor.execute("DROP TABLE test_ballast")
    assert response.status_code == 503
    assert response["Retry-After"] == "300"
    html = response.content.decode()
    assert "The server has run out of disk space" in html
    assert "What you just sent was not saved." in html
    assert "Traceback" not in html and "disk is full" not in html
    assert not Idea.objects.filter(title="অনলাইনে নামজারি").exists()
