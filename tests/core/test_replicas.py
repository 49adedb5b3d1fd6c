"""Reads on replicas, writes on the primary (`DATABASE_REPLICA_URLS`): which database each
request reads from, reading one's own writes, and replicas that are down, behind, or fail in
the middle of a request.

The replica here is a second connection to the test database (what a streaming replica that
has caught up looks like to the app), and one that cannot connect when it is down."""

from __future__ import annotations

import copy
from collections.abc import Iterator

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from innohub.core import replicas
from innohub.orgs.models import Organisation
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

ALIAS = "replica1"


@pytest.fixture
def replica(settings, monkeypatch) -> Iterator[str]:
    """A replica configured as DATABASE_REPLICA_URLS would, reading the test database."""
    connections.settings[ALIAS] = copy.deepcopy(connections[DEFAULT_DB_ALIAS].settings_dict)
    connection = connections[ALIAS]

    def ensure_connection() -> None:
        # Django's own, which the test case swapped for a refusal of any database it did
        # not know of when it started (this one is added afterwards).
        if connection.connection is None:
            with connection.wrap_database_errors:
                connection.connect()

    monkeypatch.setattr(connection, "ensure_connection", ensure_connection)
    settings.REPLICA_ALIASES = [ALIAS]
    settings.DATABASE_ROUTERS = ["innohub.core.replicas.ReplicaRouter"]
    replicas.forget()
    yield ALIAS
    replicas.forget()
    connections[ALIAS].close()
    del connections[ALIAS]
    del connections.settings[ALIAS]


def unreachable(alias: str) -> None:
    """The replica stops answering: its connection drops and it cannot connect again."""
    connection = connections[alias]
    if connection.connection is not None:
        # Django keeps an in-memory SQLite database open on close(): drop it by hand.
        connection.connection.close()
        connection.connection = None
    if connection.vendor == "postgresql":
        connection.settings_dict.update(HOST="127.0.0.1", PORT="1")
    else:
        connection.settings_dict["NAME"] = "/nonexistent/folder/replica.sqlite3"


def queries_on(alias: str) -> CaptureQueriesContext:
    return CaptureQueriesContext(connections[alias])


def signed_in(client) -> None:
    client.force_login(UserFactory())  # written to the primary, outside any request


def test_a_read_only_request_reads_from_the_replica(client, replica):
    signed_in(client)
    OrganisationFactory(name="Ministry of Land")
    with queries_on(replica) as on_replica, queries_on(DEFAULT_DB_ALIAS) as on_primary:
        response = client.get("/insights/")
    assert response.status_code == 200
    assert len(on_replica) > 0 and len(on_primary) == 0
    assert "Ministry of Land" in response.content.decode()
    assert replicas.COOKIE not in response.cookies  # it wrote nothing


def test_a_write_reads_from_the_primary_and_so_does_the_writer_for_a_while(
    client, replica, settings
):
    person = UserFactory(username="karim")
    from tests.factories import PASSWORD

    with queries_on(replica) as on_replica:
        response = client.post("/accounts/login/", {"username": "karim", "password": PASSWORD})
    assert response.status_code == 302 and len(on_replica) == 0
    cookie = response.cookies[replicas.COOKIE]
    assert cookie["max-age"] == settings.REPLICA_READ_YOUR_WRITES_SECONDS
    assert cookie["httponly"]
    # The next page reads what the sign-in just wrote from the primary.
    with queries_on(replica) as on_replica, queries_on(DEFAULT_DB_ALIAS) as on_primary:
        assert client.get("/insights/").status_code == 200
    assert len(on_replica) == 0 and len(on_primary) > 0
    # Once the time is up, back to the replica.
    client.cookies[replicas.COOKIE] = "1"
    with queries_on(replica) as on_replica:
        assert client.get("/insights/").status_code == 200
    assert len(on_replica) > 0
    assert person.pk


def test_the_router_keeps_a_request_that_wrote_and_transactions_on_the_primary(replica):
    router = replicas.ReplicaRouter()
    assert router.db_for_read(Organisation) == DEFAULT_DB_ALIAS  # no request: the worker
    token = replicas._current.set(replicas._Request(primary=False))
    try:
        assert router.db_for_read(Organisation) == replica
        with transaction.atomic():
            assert router.db_for_read(Organisation) == DEFAULT_DB_ALIAS
        assert router.db_for_write(Organisation) == DEFAULT_DB_ALIAS
        assert router.db_for_read(Organisation) == DEFAULT_DB_ALIAS  # it wrote
    finally:
        replicas._current.reset(token)
    assert router.allow_migrate(replica, "orgs") is False
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "orgs") is True


def test_a_replica_that_does_not_answer_is_left_out(client, replica):
    signed_in(client)
    unreachable(replica)
    with queries_on(DEFAULT_DB_ALIAS) as on_primary:
        assert client.get("/insights/").status_code == 200
    assert len(on_primary) > 0
    report = client.get("/healthz").json()
    assert report["status"] == "degraded"
    assert report["replicas"] == [{"name": replica, "status": "down", "lag_seconds": None}]
    assert "A read replica is down or behind: its reads go to the primary." in report["reasons"]


def test_a_replica_too_far_behind_is_left_out(client, replica, monkeypatch, settings):
    signed_in(client)
    monkeypatch.setattr(replicas, "lag_seconds", lambda alias: 42.0)
    with queries_on(replica) as on_replica:
        assert client.get("/insights/").status_code == 200
    assert len(on_replica) == 0
    report = client.get("/healthz").json()
    assert report["replicas"] == [{"name": replica, "status": "lagging", "lag_seconds": 42.0}]
    settings.REPLICA_MAX_LAG_SECONDS = 60
    replicas.forget()
    assert client.get("/healthz").json()["replicas"][0]["status"] == "ok"


def test_a_replica_that_fails_mid_request_is_left_and_the_request_asked_again(replica, caplog):
    client = Client(raise_request_exception=False)  # as a server: the first try's error is logged
    signed_in(client)
    OrganisationFactory(name="Ministry of Land")
    assert replicas.check(replica).fit  # chosen for the next request…
    unreachable(replica)  # …and gone before it reads
    response = client.get("/insights/")
    assert response.status_code == 200
    assert "Ministry of Land" in response.content.decode()
    assert not replicas.state_of(replica).up
    assert any("asked again of the primary" in message for message in caplog.messages)


def test_without_replicas_nothing_changes(client, settings):
    signed_in(client)
    assert settings.REPLICA_ALIASES == []
    response = client.get("/insights/")
    assert response.status_code == 200 and replicas.COOKIE not in response.cookies
    assert client.get("/healthz").json()["replicas"] == []
