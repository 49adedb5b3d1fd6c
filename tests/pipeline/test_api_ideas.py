"""The idea API: proposing, the pain points an idea answers, lists across organisations."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from innohub.pipeline import ideas
from innohub.pipeline.models import Idea
from tests.factories import ProfileFactory, SkillFactory, UserFactory
from tests.pipeline.factories import IdeaFactory
from tests.services.factories import JourneyPainPointFactory, JsonApi, ServiceFactory

pytestmark = pytest.mark.django_db

IDEA_FIELDS = {
    "id", "title", "problem", "who_suffers", "proposed_change", "expected_change", "service",
    "pain_points", "skills", "proposer", "organisation", "area", "origin_cohort",
    "supporters", "comments", "created",
}  # fmt: skip


def test_an_idea_from_a_pain_point_keeps_where_its_proposer_was(client, place):
    proposer = UserFactory()
    ProfileFactory(user=proposer, organisation=place["office"], area=place["upazila"])
    pain = JourneyPainPointFactory(journey_step__journey__service=place["service"])
    skill = SkillFactory()
    response = JsonApi(client, proposer).post(
        "/ideas",
        {
            "title": "এক দিনে জন্ম নিবন্ধন",
            "problem": "Citizens come three times.",
            "who_suffers": "Parents of newborns",
            "service": place["service"].pk,
            "pain_points": [pain.pk, pain.pk],
            "skills": [skill.pk],
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == IDEA_FIELDS
    assert body["proposer"] == proposer.pk
    assert (body["organisation"], body["area"]) == (place["office"].pk, place["upazila"].pk)
    assert body["pain_points"] == [pain.pk] and body["skills"] == [skill.pk]
    assert body["origin_cohort"] is None and body["supporters"] == 0


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": ""}, "title"),
        ({"problem": ""}, "problem"),
        ({"title": "x" * 201}, "title"),
        ({"service": 999999}, "service"),
        ({"pain_points": [999999]}, "pain_points.0"),
        ({"skills": [1, 999999]}, "skills.1"),
        ({"proposer": 5}, "proposer"),
    ],
)
def test_bad_ideas_name_the_field(client, user, place, fields, field):
    body = {"title": "T", "problem": "P", "service": place["service"].pk, **fields}
    if field == "skills.1":
        body["skills"] = [SkillFactory().pk, 999999]
    response = JsonApi(client, user).post("/ideas", body)
    if field == "proposer":  # read-only: ignored, the caller proposes
        assert response.status_code == 201 and response.json()["proposer"] == user.pk
        return
    assert response.status_code == 422, response.json()
    assert field in [error["field"] for error in response.json()["errors"]]
    assert not Idea.objects.exists()


def test_pain_points_must_be_of_the_ideas_service(client, user, place):
    other = JourneyPainPointFactory(journey_step__journey__service=ServiceFactory())
    response = JsonApi(client, user).post(
        "/ideas",
        {"title": "T", "problem": "P", "service": place["service"].pk, "pain_points": [other.pk]},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "pain_points"


def test_the_idea_list_is_three_queries_a_page_and_filters(client, user, place):
    proposer = UserFactory()
    ProfileFactory(user=proposer, organisation=place["office"], area=place["upazila"])
    for n in range(5):
        ideas.create_idea(
            by=proposer, title=f"Idea {n}", problem="Queues", service=place["service"]
        )
    IdeaFactory(title="Elsewhere", problem="Queues")
    api = JsonApi(client, user)
    api.get("/ideas")
    with CaptureQueriesContext(connection) as few:
        body = api.get("/ideas", page_size=2).json()
    with CaptureQueriesContext(connection) as more:
        api.get("/ideas", page_size=50).json()
    # the token with its person, the count, the page, its pain points, its skills
    assert len(few) == len(more) == 5, [q["sql"] for q in more.captured_queries]
    assert body["count"] == 6 and [i["title"] for i in body["results"]] == ["Elsewhere", "Idea 4"]
    assert api.get("/ideas", area="BD-13").json()["count"] == 5
    assert api.get("/ideas", organisation=place["ministry"].pk).json()["count"] == 5
    assert api.get("/ideas", proposer=proposer.pk, q="queues").json()["count"] == 5
    assert api.get("/ideas", q="elsewhere").json()["count"] == 1


def test_support_comment_and_join_keep_their_counts(user, place):
    idea = IdeaFactory(service=place["service"])
    other = UserFactory()
    assert ideas.support(by=user, idea=idea) is True
    assert ideas.support(by=user, idea=idea) is False
    ideas.support(by=other, idea=idea)
    ideas.comment(by=other, idea=idea, text="We tried this in Savar.")
    assert ideas.withdraw_support(by=user, idea=idea) is True
    idea.refresh_from_db()
    assert (idea.supporters_count, idea.comments_count) == (1, 1)
    ideas.ask_to_join(by=user, idea=idea, note="I know the registrar.")
    from innohub.core.errors import Conflict

    with pytest.raises(Conflict):
        ideas.ask_to_join(by=user, idea=idea)
    with pytest.raises(Conflict):
        ideas.ask_to_join(by=idea.proposer, idea=idea)


def test_only_the_proposer_rewrites_an_idea(user, place):
    from django.core.exceptions import PermissionDenied

    idea = IdeaFactory(service=place["service"])
    with pytest.raises(PermissionDenied):
        ideas.update_idea(by=user, idea=idea, title="Mine")
    ideas.update_idea(by=idea.proposer, idea=idea, title="Better title")
    assert Idea.objects.get(pk=idea.pk).title == "Better title"
