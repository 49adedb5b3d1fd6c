"""The pages' lists: a deep page reads its rows' keys first and shows what a shallow page
would, with links that keep the other query parameters."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from innohub.core import pagination
from innohub.geo.models import Area
from tests.factories import AreaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas() -> list[int]:
    for _ in range(12):
        AreaFactory()
    return list(Area.objects.order_by("code").values_list("pk", flat=True))


def page_of(number: int, **params: str) -> dict:
    request = RequestFactory().get("/", {"page": str(number), **params})
    return pagination.paginate(request, Area.objects.order_by("code"))


def test_a_deep_page_reads_keys_first_and_shows_the_same_rows(areas, monkeypatch):
    monkeypatch.setattr(pagination, "PAGE_SIZE", 5)
    shallow = [area.pk for area in page_of(2)["page"]]
    monkeypatch.setattr(pagination, "DEEP_OFFSET", 1)
    with CaptureQueriesContext(connection) as queries:
        deep = page_of(2, q="x")
        rows = [area.pk for area in deep["page"]]
    assert rows == shallow == areas[5:10]
    assert any(
        "OFFSET 5" in q["sql"] and '"code"' not in q["sql"].split("FROM")[0]
        for q in queries.captured_queries
    )
    assert deep["next_url"] == "?page=3&q=x" and deep["previous_url"] == "?page=1&q=x"
    last = page_of(3)
    assert [area.pk for area in last["page"]] == areas[10:12] and last["next_url"] == ""


def test_a_page_beyond_the_last_shows_the_last(areas, monkeypatch):
    monkeypatch.setattr(pagination, "PAGE_SIZE", 5)
    monkeypatch.setattr(pagination, "DEEP_OFFSET", 1)
    assert [area.pk for area in page_of(99)["page"]] == areas[10:12]
