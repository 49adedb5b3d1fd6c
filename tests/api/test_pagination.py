"""Lists page by `page` or by `cursor` (keyset), and `next` walks any list to its end (API.md:
"Lists also take `cursor` and answer `next`; `page` works while page * page_size <= 100,000")."""

from __future__ import annotations

import base64
import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from innohub.accounts.models import ApiToken
from innohub.services.models import Journey
from tests.factories import SkillFactory, UserFactory
from tests.services.factories import JourneyFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def auth() -> dict[str, str]:
    _, secret = ApiToken.issue(user=UserFactory())
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def journeys() -> list[int]:
    """23 journeys on 3 days: the list orders by day, newest first, then by id — many ties."""
    service = ServiceFactory()
    for n in range(23):
        JourneyFactory(service=service, observed_on=datetime.date(2025, 1, 1 + n % 3))
    return list(Journey.objects.order_by("-observed_on", "-id").values_list("pk", flat=True))


def walk(client, url: str, auth: dict[str, str]) -> tuple[list[int], int]:
    """Every id of a list, following `next`; and how many pages it took."""
    ids: list[int] = []
    pages = 0
    body = client.get(url, **auth).json()
    while True:
        pages += 1
        ids += [item["id"] for item in body["results"]]
        if body["next"] is None:
            return ids, pages
        body = client.get(f"{url}&cursor={body['next']}", **auth).json()


def test_following_next_gives_every_row_once_in_the_lists_order(client, auth, journeys):
    ids, pages = walk(client, "/api/v1/journeys?page_size=4", auth)

    assert ids == journeys and pages == 6  # 4 * 5 + 3


def test_a_list_ordered_across_a_relation_walks_too(client, auth):
    for family in ("Data", "Design"):
        for name in ("A", "B", "C"):
            SkillFactory(name=f"{name} {family}", family__name=family)

    ids, _ = walk(client, "/api/v1/skills?page_size=2", auth)

    assert len(ids) == len(set(ids)) == 6


def test_page_and_cursor_agree_and_the_last_page_has_no_next(client, auth, journeys):
    first = client.get("/api/v1/journeys?page_size=10", **auth).json()
    second_by_page = client.get("/api/v1/journeys?page_size=10&page=2", **auth).json()
    second_by_cursor = client.get(
        f"/api/v1/journeys?page_size=10&cursor={first['next']}", **auth
    ).json()

    assert second_by_page["results"] == second_by_cursor["results"]
    assert first["count"] == second_by_cursor["count"] == 23
    last = client.get("/api/v1/journeys?page_size=10&page=3", **auth).json()
    assert len(last["results"]) == 3 and last["next"] is None


def test_a_page_deeper_than_100000_rows_is_422_naming_page(client, auth):
    response = client.get("/api/v1/journeys?page_size=200&page=501", **auth)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "page"
    assert "cursor" in response.json()["errors"][0]["message"]
    assert client.get("/api/v1/journeys?page_size=200&page=500", **auth).status_code == 200


def forged(names: list[str], values: list[object]) -> str:
    raw = json.dumps({"o": names, "v": values}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "not a cursor",
        "e30",  # {}
        forged(["name", "pk"], ["x", 1]),  # another list's
        forged(["-observed_on", "-pk"], ["yesterday", 1]),
        forged(["-observed_on", "-pk"], ["2025-01-01", 10**30]),
        forged(["-observed_on", "-pk"], ["2025-01-01", "99999999999999999999999"]),
        forged(["-observed_on", "-pk"], ["2025-01-01", True]),
        forged(["-observed_on", "-pk"], [None, 1]),
    ],
)
def test_a_cursor_that_is_not_this_lists_is_422_naming_cursor(client, auth, journeys, cursor):
    response = client.get(f"/api/v1/journeys?cursor={cursor}", **auth)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "cursor"


def test_a_page_by_cursor_takes_as_many_queries_as_a_page_by_number(client, auth, journeys):
    first = client.get("/api/v1/journeys?page_size=5", **auth).json()

    with CaptureQueriesContext(connection) as by_page:
        client.get("/api/v1/journeys?page_size=5&page=2", **auth)
    with CaptureQueriesContext(connection) as by_cursor:
        client.get(f"/api/v1/journeys?page_size=5&cursor={first['next']}", **auth)

    assert len(by_cursor) == len(by_page)
    page_query = next(q["sql"] for q in by_cursor.captured_queries if "LIMIT 6" in q["sql"])
    assert "OFFSET" not in page_query  # a keyset page costs the same at any depth


def test_a_deep_page_reads_its_keys_first_and_gives_the_rows_a_shallow_one_would(
    client, auth, journeys, monkeypatch
):
    from innohub.core import pagination

    shallow = client.get("/api/v1/journeys?page_size=5&page=3", **auth).json()
    monkeypatch.setattr(pagination, "DEEP_OFFSET", 1)
    with CaptureQueriesContext(connection) as deep_queries:
        deep = client.get("/api/v1/journeys?page_size=5&page=3", **auth).json()

    assert deep == shallow and [row["id"] for row in deep["results"]] == journeys[10:15]
    keys_first = [q["sql"] for q in deep_queries.captured_queries if "OFFSET 10" in q["sql"]]
    assert len(keys_first) == 1 and "JOIN" not in keys_first[0]
    beyond = client.get("/api/v1/journeys?page_size=5&page=6", **auth).json()
    assert beyond["results"] == [] and beyond["next"] is None
