"""The network's pages as people use them: the feed and its filters in few queries, writing a
post with who else works on it beside, comments, following, reporting and moderating."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from innohub.core import roles
from innohub.network import services
from innohub.network.models import Follow, Post, Report
from tests.accounts.helpers import sign_in_verified
from tests.factories import AreaFactory, OrganisationFactory, ProfileFactory, UserFactory
from tests.geo.conftest import person_in
from tests.network.factories import CommentFactory, PostFactory
from tests.pipeline.factories import IdeaFactory

pytestmark = pytest.mark.django_db


def web(client, user):
    client.force_login(user)
    return client


def test_the_feed_is_a_few_queries_whatever_the_page_size(client, user):
    office = OrganisationFactory()
    for n in range(3):
        author = UserFactory()
        ProfileFactory(user=author, organisation=office, position="Upazila officer")
        services.write_post(by=author, kind="idea", title=f"P{n}", body="B", topics=["Q", "R"])
    page = web(client, user)
    page.get(reverse("network:feed"))
    with CaptureQueriesContext(connection) as three:
        first = page.get(reverse("network:feed"))
    for n in range(3, 12):
        services.write_post(by=UserFactory(), kind="story", title=f"P{n}", body="B", topics=["Q"])
    with CaptureQueriesContext(connection) as twelve:
        page.get(reverse("network:feed"))
    assert first.status_code == 200
    html = first.content.decode()
    assert "3 posts" in html and "Upazila officer" in html
    assert len(twelve) == len(three)


def test_an_empty_network_says_how_to_start_and_filters_say_when_nothing_matches(client, user):
    page = web(client, user)
    assert "No posts yet" in page.get(reverse("network:feed")).content.decode()
    PostFactory(kind="idea")
    assert "No posts match" in page.get(reverse("network:feed"), {"kind": "story"}).content.decode()
    unknown = page.get(reverse("network:feed"), {"topic": "nothing here"})
    assert (
        unknown.status_code == 200 and "No topic is named nothing here." in unknown.content.decode()
    )
    bad_area = page.get(reverse("network:feed"), {"area": "ZZ-99-NOPE"})
    assert bad_area.status_code == 200 and "govuk-error-summary" in bad_area.content.decode()


def test_writing_a_post_shows_who_else_works_on_it_and_keeps_what_was_typed(client, user):
    nurse = UserFactory(first_name="Nasrin")
    IdeaFactory(proposer=nurse, title="জন্ম নিবন্ধন এক দিনে", problem="জন্ম নিবন্ধন সনদ")
    page = web(client, user)
    refused = page.post(
        reverse("network:post_new"),
        {"kind": "challenge", "title": "জন্ম নিবন্ধন দেরি", "body": "", "topics": "birth"},
    )
    html = refused.content.decode()
    assert refused.status_code == 200 and "govuk-error-summary" in html
    assert "জন্ম নিবন্ধন দেরি" in html and "Nasrin" in html
    assert not Post.objects.exists()

    made = page.post(
        reverse("network:post_new"),
        {"kind": "challenge", "title": "জন্ম নিবন্ধন দেরি", "body": "তিনবার যেতে হয়",
         "topics": "birth registration, জন্ম নিবন্ধন"},
    )  # fmt: skip
    post = Post.objects.get()
    assert made.status_code == 302 and made["Location"] == reverse(
        "network:post_detail", args=[post.pk]
    )
    assert sorted(t.name for t in post.topics.all()) == ["birth registration", "জন্ম নিবন্ধন"]
    panel = page.get(reverse("network:similar_panel"), {"text": "জন্ম নিবন্ধন"})
    assert "Nasrin" in panel.content.decode()


def test_a_post_with_comments_following_and_a_report(client, user):
    area = AreaFactory(name="Savar")
    post = PostFactory(area=area, title="One counter for land records")
    CommentFactory(post=post, body="We did it in Cumilla.")
    page = web(client, user)
    html = page.get(reverse("network:post_detail", args=[post.pk])).content.decode()
    assert "We did it in Cumilla." in html and "Follow" in html and "Report this post" in html

    refused = page.post(reverse("network:post_comment", args=[post.pk]), {"body": ""})
    assert refused.status_code == 400 and "govuk-error-summary" in refused.content.decode()
    page.post(reverse("network:post_comment", args=[post.pk]), {"body": "Same in Sylhet."})
    post.refresh_from_db()
    assert post.comments_count == 2

    page.post(reverse("network:follow"), {"person": post.author_id, "next": "/network/"})
    page.post(reverse("network:follow"), {"area": area.pk})
    assert Follow.objects.filter(follower=user).count() == 2
    page.post(reverse("network:follow"), {"area": area.pk, "stop": "1"})
    assert Follow.objects.filter(follower=user).count() == 1
    assert page.post(reverse("network:follow"), {"person": "99999999"}).status_code == 404
    off_site = page.post(
        reverse("network:follow"), {"person": post.author_id, "next": "https://evil.example/"}
    )
    assert off_site["Location"] == reverse("network:feed")

    report = page.post(
        reverse("network:post_report", args=[post.pk]), {"reason": "Names a citizen."}
    )
    assert report.status_code == 302 and Report.objects.get().reason == "Names a citizen."


def test_moderators_hide_with_a_reason_the_author_reads(client, user):
    post = PostFactory(title="Shame on the clerk of Savar")
    services.report(by=user, post=post, reason="Insults a colleague.")
    moderator = person_in(roles.PROGRAMME_MANAGER)
    assert web(client, user).get(reverse("network:moderation")).status_code == 403
    sign_in_verified(client, moderator)  # programme managers pass a second factor
    page = client
    queue = page.get(reverse("network:moderation")).content.decode()
    assert "Insults a colleague." in queue and "1 open report" in queue

    hidden = page.post(
        reverse("network:post_hide", args=[post.pk]), {"reason": "Insults a colleague."}
    )
    assert hidden.status_code == 302
    assert "No report is waiting" in page.get(reverse("network:moderation")).content.decode()

    author_view = web(client, post.author).get(reverse("network:post_detail", args=[post.pk]))
    assert "The reason: Insults a colleague." in author_view.content.decode()
    other = web(client, UserFactory()).get(reverse("network:post_detail", args=[post.pk]))
    assert other.status_code == 404
    assert (
        post.title not in web(client, UserFactory()).get(reverse("network:feed")).content.decode()
    )


def test_only_the_author_changes_a_post(client, user):
    post = PostFactory(author=user)
    assert (
        web(client, UserFactory()).get(reverse("network:post_edit", args=[post.pk])).status_code
        == 403
    )
    page = web(client, user)
    changed = page.post(
        reverse("network:post_edit", args=[post.pk]),
        {"kind": "story", "title": "Better title", "body": "Clearer", "topics": ""},
    )
    assert changed.status_code == 302
    post.refresh_from_db()
    assert (post.kind, post.title) == ("story", "Better title")


def test_who_else_works_on_this_page(client, user):
    surveyor = UserFactory(first_name="Rafiq")
    services.write_post(by=surveyor, kind="idea", title="Digital land mutation", body="Mutation")
    page = web(client, user)
    assert "Find people" in page.get(reverse("network:similar_people")).content.decode()
    found = page.get(reverse("network:similar_people"), {"text": "land mutation"}).content.decode()
    assert "Rafiq" in found and "Post: Digital land mutation" in found
    none = page.get(reverse("network:similar_people"), {"text": "zebra crossing"}).content.decode()
    assert "Nobody yet" in none
