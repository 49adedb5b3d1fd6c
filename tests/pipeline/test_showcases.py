"""Showcases: completed pilots only, one score per reviewer and pilot, the ranking by mean
total, and who scores."""

from __future__ import annotations

from decimal import Decimal

import pytest

from innohub.pipeline import showcases
from innohub.pipeline.models import Presentation, ShowcaseScore
from tests.factories import UserFactory
from tests.geo.conftest import person_in
from tests.pipeline.factories import ShowcaseFactory
from tests.services.factories import JsonApi

pytestmark = pytest.mark.django_db


def scores(impact, cost, replicability, readiness, recommendation="replicate"):
    return {
        "impact": impact,
        "cost": cost,
        "replicability": replicability,
        "readiness": readiness,
        "recommendation": recommendation,
    }


@pytest.fixture
def showcase(place, people):
    return ShowcaseFactory(organisation=place["ministry"], by=people["manager"])


def test_a_programme_manager_plans_a_showcase_of_completed_pilots(
    client, place, people, make_pilot
):
    done, ongoing = make_pilot("completed"), make_pilot("ongoing")
    body = {"title": "Innovation showcase 2026", "organisation": place["ministry"].pk,
            "held_on": "2026-12-10", "pilots": [done.pk]}  # fmt: skip
    response = JsonApi(client, people["manager"]).post("/showcases", body)
    assert response.status_code == 201, response.json()
    made = response.json()
    assert [(row["pilot"], row["n"], row["mean_total"]) for row in made["pilots"]] == [
        (done.pk, 0, None)
    ]
    refused = JsonApi(client, people["manager"]).post(
        "/showcases", {**body, "pilots": [done.pk, ongoing.pk]}
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "pilots.1"
    assert JsonApi(client, people["lead"]).post("/showcases", body).status_code == 403


def test_only_completed_pilots_are_scored_once_per_reviewer(client, showcase, people, make_pilot):
    done, ongoing = make_pilot("completed"), make_pilot("ongoing")
    reviewer = JsonApi(client, people["reviewer"])
    url = f"/showcases/{showcase.pk}/scores"
    assert reviewer.post(url, {"pilot": ongoing.pk, **scores(4, 4, 4, 4)}).status_code == 409
    first = reviewer.post(url, {"pilot": done.pk, **scores(4, 3, 5, 2, "scale")})
    assert first.status_code == 201, first.json()
    assert first.json()["recommendation"] == "scale"
    assert reviewer.post(url, {"pilot": done.pk, **scores(1, 1, 1, 1)}).status_code == 409
    assert ShowcaseScore.objects.count() == 1
    bad = reviewer.post(url, {"pilot": done.pk, **scores(0, 6, 3, 3, "maybe")})
    assert bad.status_code == 422
    assert {"impact", "cost", "recommendation"} <= {e["field"] for e in bad.json()["errors"]}


def test_the_pilots_own_people_and_strangers_do_not_score(client, showcase, people, make_pilot):
    done = make_pilot("completed")
    url = f"/showcases/{showcase.pk}/scores"
    for who in ("lead", "mentor", "stranger"):
        response = JsonApi(client, people[who]).post(url, {"pilot": done.pk, **scores(5, 5, 5, 5)})
        assert response.status_code == 403, who
    assert (
        JsonApi(client, people["manager"])
        .post(url, {"pilot": done.pk, **scores(5, 5, 5, 5)})
        .status_code
        == 201
    )


def test_pilots_are_ranked_by_mean_total(client, showcase, people, make_pilot):
    first, second, unscored = (
        make_pilot("completed"),
        make_pilot("completed"),
        make_pilot("completed"),
    )
    showcases.present(by=people["manager"], showcase=showcase, pilot=unscored)
    reviewers = [person_in("senior_reviewer") for _ in range(3)]
    # first: totals 12, 13, 13 → 12.67; second: 20, 9 → 14.50.
    for reviewer, marks, pick in zip(
        reviewers,
        [(3, 3, 3, 3), (4, 3, 3, 3), (4, 3, 3, 3)],
        ["replicate", "replicate", "stop"],
        strict=True,
    ):
        showcases.score(by=reviewer, showcase=showcase, pilot=first, **scores(*marks, pick))
    for reviewer, marks, pick in zip(
        reviewers[:2], [(5, 5, 5, 5), (3, 2, 2, 2)], ["scale", "replicate"], strict=True
    ):
        showcases.score(by=reviewer, showcase=showcase, pilot=second, **scores(*marks, pick))
    result = JsonApi(client, UserFactory()).get(f"/showcases/{showcase.pk}").json()
    assert [(row["pilot"], row["n"], row["mean_total"]) for row in result["pilots"]] == [
        (second.pk, 2, "14.50"), (first.pk, 3, "12.67"), (unscored.pk, 0, None),
    ]  # fmt: skip
    assert result["pilots"][1]["recommendations"] == {"replicate": 2, "scale": 0, "stop": 1}
    row = Presentation.objects.get(showcase=showcase, pilot=first)
    assert (row.total_sum, row.mean_total) == (38, Decimal("12.67"))
