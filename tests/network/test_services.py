"""Posting, commenting, following and moderating (innohub.network.services)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from innohub.core.errors import Conflict
from innohub.network import services
from innohub.network.models import Follow, Post, Report, Topic
from innohub.pipeline.models import SearchEntry
from tests.factories import AreaFactory, OrganisationFactory, ProfileFactory, UserFactory
from tests.network.factories import CommentFactory, PostFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_a_post_keeps_its_authors_place_and_its_topics():
    office, area = OrganisationFactory(), AreaFactory()
    author = UserFactory()
    ProfileFactory(user=author, organisation=office, area=area)
    TopicFactory(name="Land records")

    post = services.write_post(
        by=author,
        kind="challenge",
        title="  Mutation takes 45 days ",
        body="Citizens come back five times.",
        topics=["land RECORDS", "ভূমি", "Land records"],
    )

    assert (post.title, post.organisation, post.area) == ("Mutation takes 45 days", office, area)
    assert sorted(t.name for t in post.topics.all()) == ["Land records", "ভূমি"]
    assert Topic.objects.count() == 2  # "land RECORDS" is the topic there was
    assert dict(Topic.objects.values_list("name", "posts_count")) == {"Land records": 1, "ভূমি": 1}
    assert SearchEntry.objects.filter(kind="post", object_id=post.pk).exists()


def test_a_bad_post_names_every_field_and_writes_nothing():
    with pytest.raises(ValidationError) as refused:
        services.write_post(
            by=UserFactory(), kind="rant", title=" ", body="", topics=["a", "b", "c", "d", "e", "f"]
        )
    assert set(refused.value.message_dict) == {"kind", "title", "body", "topics"}
    assert not Post.objects.exists() and not Topic.objects.exists()


def test_only_the_author_edits_and_topic_counts_follow():
    post = services.write_post(
        by=(author := UserFactory()), kind="idea", title="One", body="Text", topics=["A"]
    )
    with pytest.raises(PermissionDenied):
        services.edit_post(by=UserFactory(), post=post, kind="idea", title="x", body="y")

    services.edit_post(by=author, post=post, kind="story", title="Two", body="Text", topics=["B"])

    assert dict(Topic.objects.values_list("name", "posts_count")) == {"A": 0, "B": 1}
    post.refresh_from_db()
    assert (post.kind, post.title) == ("story", "Two")


def test_comments_are_counted_and_a_hidden_post_takes_none():
    post = PostFactory()
    services.comment_on(by=UserFactory(), post=post, body="Same in Cumilla.")
    services.comment_on(by=UserFactory(), post=post, body="And in Sylhet.")
    post.refresh_from_db()
    assert post.comments_count == 2

    services.hide(by=UserFactory(), post=post, reason="Names a citizen.")
    post.refresh_from_db()
    with pytest.raises(Conflict):
        services.comment_on(by=UserFactory(), post=post, body="Late.")
    with pytest.raises(ValidationError) as refused:
        services.comment_on(by=UserFactory(), post=PostFactory(), body="  ")
    assert "body" in refused.value.message_dict


def test_following_is_idempotent_never_oneself_and_one_thing_at_a_time():
    me, colleague, topic, area = UserFactory(), UserFactory(), TopicFactory(), AreaFactory()
    first = services.follow(by=me, person=colleague)
    assert services.follow(by=me, person=colleague) == first
    services.follow(by=me, topic=topic)
    services.follow(by=me, area=area)
    assert Follow.objects.filter(follower=me).count() == 3

    with pytest.raises(ValidationError) as refused:
        services.follow(by=me, person=me)
    assert "person" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.follow(by=me, person=colleague, topic=topic)
    with pytest.raises(ValidationError):
        services.follow(by=me)

    assert services.unfollow(by=me, topic=topic) is True
    assert services.unfollow(by=me, topic=topic) is False


def test_reports_count_once_per_person_and_hiding_closes_them():
    post = PostFactory()
    comment = CommentFactory(post=post)
    reporter, moderator = UserFactory(), UserFactory()
    first = services.report(by=reporter, post=post, reason="Insults a colleague.")
    assert services.report(by=reporter, post=post, reason="Again.") == first
    services.report(by=UserFactory(), post=post, reason="Off topic.")
    services.report(by=reporter, post=post, comment=comment, reason="Spam.")
    post.refresh_from_db()
    assert post.open_reports == 3

    services.hide(by=moderator, post=post, comment=comment, reason="Advertising.")
    post.refresh_from_db()
    comment.refresh_from_db()
    assert (post.open_reports, post.comments_count) == (2, 0)
    assert comment.hidden_reason == "Advertising." and comment.hidden_by == moderator

    services.hide(by=moderator, post=post, reason="Insults a colleague.")
    post.refresh_from_db()
    assert post.open_reports == 0 and post.is_hidden
    assert Report.objects.filter(resolved_at__isnull=True).count() == 0
    assert not SearchEntry.objects.filter(kind="post", object_id=post.pk).exists()
    with pytest.raises(Conflict):
        services.hide(by=moderator, post=post, reason="Twice.")
    with pytest.raises(Conflict):
        services.report(by=UserFactory(), post=post, reason="Too late.")

    services.unhide(by=moderator, post=post)
    post.refresh_from_db()
    assert not post.is_hidden and post.hidden_reason == ""
    assert SearchEntry.objects.filter(kind="post", object_id=post.pk).exists()
    with pytest.raises(Conflict):
        services.unhide(by=moderator, post=post)


def test_hiding_needs_a_reason_and_dismissing_closes_reports():
    post = PostFactory()
    services.report(by=UserFactory(), post=post, reason="Wrong figures.")
    with pytest.raises(ValidationError) as refused:
        services.hide(by=UserFactory(), post=post, reason="")
    assert "reason" in refused.value.message_dict

    assert services.dismiss_reports(by=UserFactory(), post=post) == 1
    post.refresh_from_db()
    assert post.open_reports == 0 and not post.is_hidden
