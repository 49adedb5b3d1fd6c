"""National scale-up and the citizens reached: completed pilots only, senior reviewers only,
and a pilot's figure is its latest by date, whatever order figures arrive in."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from innohub.pipeline.models import Reach, ScaleUp
from tests.services.factories import JsonApi

pytestmark = pytest.mark.django_db


def test_a_senior_reviewer_scales_up_a_completed_pilot(client, make_pilot, people):
    pilot, ongoing = make_pilot("completed"), make_pilot("ongoing")
    reviewer = JsonApi(client, people["reviewer"])
    body = {"decided_on": "2026-03-01", "citizens_reached": 120000}
    assert reviewer.post(f"/pilots/{ongoing.pk}/scale-up", body).status_code == 409
    for who in ("lead", "manager"):
        assert (
            JsonApi(client, people[who]).post(f"/pilots/{pilot.pk}/scale-up", body).status_code
            == 403
        )
    response = reviewer.post(f"/pilots/{pilot.pk}/scale-up", body)
    assert response.status_code == 201, response.json()
    assert response.json()["citizens_reached"] == 120000
    assert reviewer.post(f"/pilots/{pilot.pk}/scale-up", body).status_code == 409
    assert ScaleUp.objects.count() == 1
    assert reviewer.get(f"/pilots/{pilot.pk}").json()["citizens_reached"] == 120000
    assert reviewer.get(f"/pilots/{ongoing.pk}/scale-up").status_code == 404


def test_reach_is_recorded_only_after_a_scale_up(client, make_pilot, people):
    pilot = make_pilot("completed")
    reviewer = JsonApi(client, people["reviewer"])
    response = reviewer.post(
        f"/pilots/{pilot.pk}/reach", {"on": "2026-05-01", "citizens_reached": 5}
    )
    assert response.status_code == 409
    assert Reach.objects.count() == 0
    assert reviewer.get(f"/pilots/{pilot.pk}").json()["citizens_reached"] is None


def test_the_pilots_figure_is_the_latest_by_date(client, make_pilot, people):
    pilot = make_pilot("completed")
    reviewer = JsonApi(client, people["administrator"])
    reviewer.post(
        f"/pilots/{pilot.pk}/scale-up", {"decided_on": "2026-01-01", "citizens_reached": 0}
    )
    for on, reached in (("2026-06-01", 900000), ("2026-03-01", 400000), ("2026-09-01", 1500000)):
        response = reviewer.post(
            f"/pilots/{pilot.pk}/reach", {"on": on, "citizens_reached": reached}
        )
        assert response.status_code == 201, response.json()
    assert reviewer.get(f"/pilots/{pilot.pk}").json()["citizens_reached"] == 1500000
    # A figure dated earlier than the latest changes the history, not the latest.
    reviewer.post(f"/pilots/{pilot.pk}/reach", {"on": "2026-07-01", "citizens_reached": 1})
    assert reviewer.get(f"/pilots/{pilot.pk}").json()["citizens_reached"] == 1500000
    # A second figure for the latest day corrects it.
    reviewer.post(f"/pilots/{pilot.pk}/reach", {"on": "2026-09-01", "citizens_reached": 1600000})
    assert reviewer.get(f"/pilots/{pilot.pk}").json()["citizens_reached"] == 1600000
    series = reviewer.get(f"/pilots/{pilot.pk}/reach").json()
    assert [row["on"] for row in series] == [
        "2026-01-01", "2026-03-01", "2026-06-01", "2026-07-01", "2026-09-01",
    ]  # fmt: skip


def test_reach_input_is_checked_field_by_field(client, make_pilot, people):
    pilot = make_pilot("completed")
    reviewer = JsonApi(client, people["reviewer"])
    reviewer.post(
        f"/pilots/{pilot.pk}/scale-up", {"decided_on": "2026-02-01", "citizens_reached": 10}
    )
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    cases = [
        ({"on": tomorrow, "citizens_reached": 10}, "on"),
        ({"on": "2026-01-15", "citizens_reached": 10}, "on"),
        ({"on": "2026-03-01", "citizens_reached": -1}, "citizens_reached"),
        ({"on": "2026-03-01", "citizens_reached": "many"}, "citizens_reached"),
    ]
    for body, field in cases:
        response = reviewer.post(f"/pilots/{pilot.pk}/reach", body)
        assert response.status_code == 422, body
        assert response.json()["errors"][0]["field"] == field, body
    assert Reach.objects.count() == 1
