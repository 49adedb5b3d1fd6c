"""The network API: posts across the hierarchy, comments, follows, moderation, and "who else
works on this?" (docs/api.md, "Network and getting out of the office")."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from innohub.core import roles
from innohub.geo.models import Level
from innohub.network import services
from tests.factories import (
    AreaFactory,
    OrganisationFactory,
    ProfileFactory,
    SkillFactory,
    UserFactory,
)
from tests.geo.conftest import person_in
from tests.network.factories import CommentFactory, PostFactory
from tests.pipeline.factories import IdeaFactory, PilotFactory
from tests.services.factories import JsonApi

pytestmark = pytest.mark.django_db

POST_FIELDS = {
    "id", "kind", "title", "body", "topics", "author", "organisation", "area", "comments",
    "created", "hidden", "hidden_reason",
}  # fmt: skip


def test_a_field_officer_posts_and_a_secretary_reads_it(client):
    country = AreaFactory(code="BD")
    upazila = AreaFactory(code="BD-13-S", level=Level.SUBDISTRICT, parent=country)
    office = OrganisationFactory()
    officer = UserFactory()
    ProfileFactory(user=officer, organisation=office, area=upazila)

    made = JsonApi(client, officer).post(
        "/posts",
        {
            "kind": "story",
            "title": "নামজারি এক দিনে",
            "body": "We bent the rule on copies: one certified copy instead of three.",
            "topics": ["Land records"],
        },
    )

    assert made.status_code == 201, made.json()
    body = made.json()
    assert set(body) == POST_FIELDS
    assert (body["author"], body["organisation"], body["area"]) == (
        officer.pk,
        office.pk,
        upazila.pk,
    )
    assert body["topics"] == ["Land records"] and body["hidden"] is False
    secretary = person_in(roles.SENIOR_REVIEWER)
    read = JsonApi(client, secretary).get(f"/posts/{body['id']}")
    assert read.status_code == 200 and read.json()["title"] == "নামজারি এক দিনে"
    listed = JsonApi(client, secretary).get("/posts", area="BD")
    assert [post["id"] for post in listed.json()["results"]] == [body["id"]]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "rant"}, "kind"),
        ({"title": ""}, "title"),
        ({"body": "a\x00b"}, "body"),
        ({"topics": ["a", "b", "c", "d", "e", "f"]}, "topics"),
        ({"topics": [""]}, "topics.0"),
    ],
)
def test_a_bad_post_is_422_naming_the_field(client, user, fields, field):
    response = JsonApi(client, user).post(
        "/posts", {"kind": "idea", "title": "T", "body": "B", **fields}
    )
    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]


def test_the_post_list_is_a_few_queries_a_page_and_filters(client, user):
    for n in range(6):
        services.write_post(
            by=UserFactory(), kind="challenge" if n % 2 else "idea", title=f"P{n}", body="B",
            topics=["Queues", f"T{n}"],
        )  # fmt: skip
    api = JsonApi(client, user)
    api.get("/posts")
    with CaptureQueriesContext(connection) as few:
        body = api.get("/posts", page_size=2).json()
    with CaptureQueriesContext(connection) as more:
        api.get("/posts", page_size=50)
    assert body["count"] == 6 and len(body["results"]) == 2 and body["next"]
    assert len(more) == len(few)
    assert api.get("/posts", kind="idea").json()["count"] == 3
    assert api.get("/posts", topic="queues").json()["count"] == 6
    unknown = api.get("/posts", topic="nothing")
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "topic"


def test_following_filters_the_feed(client, user):
    colleague, stranger = UserFactory(), UserFactory()
    theirs = PostFactory(author=colleague)
    PostFactory(author=stranger)
    on_topic = services.write_post(by=stranger, kind="idea", title="Q", body="B", topics=["Q"])
    api = JsonApi(client, user)

    assert api.post("/follows", {"person": colleague.pk}).status_code == 201
    assert api.post("/follows", {"topic": "q"}).status_code == 201
    again = api.post("/follows", {"person": colleague.pk})
    assert again.status_code == 201 and len(api.get("/follows").json()) == 2

    ids = [post["id"] for post in api.get("/posts", following="true").json()["results"]]
    assert ids == [on_topic.pk, theirs.pk]
    both = api.post("/follows", {"person": colleague.pk, "topic": "q"})
    assert both.status_code == 422 and both.json()["errors"][0]["field"] == "person"
    myself = api.post("/follows", {"person": user.pk})
    assert myself.status_code == 422

    follow_id = api.get("/follows").json()[0]["id"]
    assert client.delete(f"/api/v1/follows/{follow_id}", headers=api.headers).status_code == 204
    assert client.delete(f"/api/v1/follows/{follow_id}", headers=api.headers).status_code == 404


def test_comments_reports_and_moderation(client, user):
    author = UserFactory()
    post = PostFactory(author=author)
    api = JsonApi(client, user)
    comment = api.post(f"/posts/{post.pk}/comments", {"body": "Same in Sylhet."})
    assert comment.status_code == 201 and comment.json()["author"] == user.pk
    assert api.post(f"/posts/{post.pk}/reports", {"reason": "Names a citizen."}).status_code == 201
    wrong = api.post(f"/posts/{post.pk}/reports", {"reason": "x", "comment": 999_999})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "comment"

    refused = api.post(f"/posts/{post.pk}/hide", {"reason": "Names a citizen."})
    assert refused.status_code == 403
    moderator = JsonApi(client, person_in(roles.PROGRAMME_MANAGER))
    hidden = moderator.post(f"/posts/{post.pk}/hide", {"reason": "Names a citizen."})
    assert hidden.status_code == 200 and hidden.json()["hidden"] is True
    assert moderator.post(f"/posts/{post.pk}/hide", {"reason": "Again"}).status_code == 409

    assert api.get(f"/posts/{post.pk}").status_code == 404  # others no longer see it
    own = JsonApi(client, author).get(f"/posts/{post.pk}")
    assert own.status_code == 200 and own.json()["hidden_reason"] == "Names a citizen."
    late = JsonApi(client, author).post(f"/posts/{post.pk}/comments", {"body": "Why?"})
    assert late.status_code == 409

    shown = moderator.post(f"/posts/{post.pk}/unhide")
    assert shown.status_code == 200 and shown.json()["hidden"] is False


def test_only_the_author_changes_a_post(client, user):
    post = PostFactory(author=user)
    change = {"kind": "idea", "title": "Better", "body": "Clearer", "topics": []}
    assert JsonApi(client, UserFactory()).put(f"/posts/{post.pk}", change).status_code == 403
    changed = JsonApi(client, user).put(f"/posts/{post.pk}", change)
    assert changed.status_code == 200 and changed.json()["title"] == "Better"


def test_hidden_comments_are_shown_to_their_author_only(client, user):
    post = PostFactory()
    mine = CommentFactory(post=post, author=user)
    CommentFactory(post=post)
    services.hide(by=UserFactory(), post=post, comment=mine, reason="Off topic.")
    assert len(JsonApi(client, user).get(f"/posts/{post.pk}/comments").json()) == 2
    assert len(JsonApi(client, UserFactory()).get(f"/posts/{post.pk}/comments").json()) == 1


def test_who_else_works_on_this_across_organisations_in_bangla_too(client, user):
    health, land = OrganisationFactory(name="Health"), OrganisationFactory(name="Land")
    nurse, surveyor, poster, skilled = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    ProfileFactory(user=nurse, organisation=health)
    ProfileFactory(user=surveyor, organisation=land)
    IdeaFactory(proposer=nurse, title="জন্ম নিবন্ধন এক দিনে", problem="জন্ম নিবন্ধন সনদ দেরি")
    PilotFactory(lead=surveyor, title="Digital land mutation")
    services.write_post(
        by=poster, kind="challenge", title="জন্ম নিবন্ধন", body="সনদ পেতে তিনবার যেতে হয়"
    )
    skill = SkillFactory(name="Birth registration")
    skilled.skills.create(skill=skill, level=4)

    found = JsonApi(client, user).get("/people/similar", text="জন্ম নিবন্ধনের সনদ")
    assert found.status_code == 200
    people = found.json()
    assert {person["id"] for person in people} >= {nurse.pk, poster.pk}
    assert surveyor.pk not in {person["id"] for person in people}
    assert people == sorted(people, key=lambda person: -person["score"])
    nurse_row = next(person for person in people if person["id"] == nurse.pk)
    assert nurse_row["organisation"] == health.pk
    assert nurse_row["reasons"][0]["kind"] == "idea"

    english = JsonApi(client, user).get("/people/similar", text="birth registration backlog")
    assert skilled.pk in {person["id"] for person in english.json()}
    assert JsonApi(client, nurse).get("/people/similar", text="জন্ম নিবন্ধন").json()[0]["id"] != (
        nurse.pk
    )
    empty = JsonApi(client, user).get("/people/similar", text="the of and")
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "text"
