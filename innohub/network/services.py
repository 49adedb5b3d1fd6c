"""Writes of the peer network: post, comment, follow, report, and moderate.

Keyword-only and atomic, with the errors of `innohub.core.errors`: a wrong value is a
ValidationError keyed by field, a person who may not act PermissionDenied, a state that does
not allow it Conflict. A post keeps its author's organisation and area as they were when it
was written; its counts of comments and open reports are kept here, so lists never count.
A visible post is in the search index (kind "post"), a hidden one is not.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from innohub.accounts.models import Profile
from innohub.core.errors import Conflict
from innohub.core.text import clean_text, collect_text
from innohub.core.words import words
from innohub.pipeline import search

from .limits import BODY_MAX, REASON_MAX, TITLE_MAX, TOPIC_MAX, TOPICS_MAX
from .models import Comment, Follow, Post, PostKind, Report, Topic

if TYPE_CHECKING:
    from innohub.accounts.models import User
    from innohub.geo.models import Area

POST = "post"  # the kind of the network's entries in the pipeline's search index


def post_words(post: Post) -> str:
    """What the search index holds of a post: the words of its title, text and topics."""
    texts = (post.title, post.body, *(topic.name for topic in post.topics.all()))
    return " ".join(" ".join(words(text)) for text in texts if text)


def _index(post: Post) -> None:
    if post.is_hidden:
        search.unindex(POST, post.pk)
    else:
        search.index(POST, post.pk, post_words(post))


def topic_names(value: Any, field: str = "topics") -> list[str]:
    """A post's topics: at most `TOPICS_MAX` names, each trimmed text, repeats (in any case)
    dropped. Accepts a list of names or one string of names separated by commas."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        value = [part for part in value.split(",") if part.strip()]
    if not isinstance(value, list | tuple):
        raise ValidationError({field: _("Give a list of topic names.")})
    names: list[str] = []
    for index, raw in enumerate(value):
        name = clean_text(raw, f"{field}.{index}", max_length=TOPIC_MAX, required=True)
        if name.casefold() not in {known.casefold() for known in names}:
            names.append(name)
    if len(names) > TOPICS_MAX:
        raise ValidationError({field: _("At most %(n)d topics on a post.") % {"n": TOPICS_MAX}})
    return names


def find_topic(name: str) -> Topic | None:
    """The topic of this name, whatever its case (the unique index on its lower case)."""
    found: Topic | None = (
        Topic.objects.alias(folded=Lower("name")).filter(folded=name.lower()).first()
    )
    return found


def topics_named(names: Sequence[str]) -> list[Topic]:
    """The topics of these names, made when new; a name matches whatever its case."""
    found: list[Topic] = []
    for name in names:
        topic = find_topic(name)
        if topic is None:
            try:
                with transaction.atomic():
                    topic = Topic.objects.create(name=name)
            except IntegrityError:  # made meanwhile by another writer
                topic = find_topic(name)
                assert topic is not None
        found.append(topic)
    return found


def _post_values(*, kind: Any, title: Any, body: Any, topics: Any) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if kind not in PostKind.values:
        errors["kind"] = _("Choose a challenge, an idea or a story.")
    values = {
        "kind": kind,
        "title": collect_text(errors, title, "title", max_length=TITLE_MAX, required=True),
        "body": collect_text(errors, body, "body", max_length=BODY_MAX, required=True),
    }
    try:
        values["topics"] = topic_names(topics)
    except ValidationError as error:
        errors.update({key: messages[0] for key, messages in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    return values


def _count_topics(topics: Sequence[Topic], change: int) -> None:
    if topics:
        Topic.objects.filter(pk__in=[topic.pk for topic in topics]).update(
            posts_count=F("posts_count") + change
        )


@transaction.atomic
def write_post(*, by: User, kind: Any, title: Any, body: Any, topics: Any = ()) -> Post:
    """Anyone signed in posts, whatever their level; the post is theirs."""
    values = _post_values(kind=kind, title=title, body=body, topics=topics)
    profile = Profile.objects.filter(user=by).only("organisation_id", "area_id").first()
    post = Post.objects.create(
        author=by,
        kind=values["kind"],
        title=values["title"],
        body=values["body"],
        organisation_id=profile.organisation_id if profile else None,
        area_id=profile.area_id if profile else None,
    )
    chosen = topics_named(values["topics"])
    post.topics.set(chosen)
    _count_topics(chosen, +1)
    _index(post)
    return post


@transaction.atomic
def edit_post(*, by: User, post: Post, kind: Any, title: Any, body: Any, topics: Any = ()) -> Post:
    """The author changes their post (its kind, words and topics)."""
    if post.author_id != by.pk:
        raise PermissionDenied
    values = _post_values(kind=kind, title=title, body=body, topics=topics)
    post = Post.objects.select_for_update().get(pk=post.pk)
    before = list(post.topics.all())
    post.kind, post.title, post.body = values["kind"], values["title"], values["body"]
    post.save(update_fields=["kind", "title", "body", "modified"])
    chosen = topics_named(values["topics"])
    post.topics.set(chosen)
    _count_topics([t for t in before if t not in chosen], -1)
    _count_topics([t for t in chosen if t not in before], +1)
    _index(post)
    return post


@transaction.atomic
def comment_on(*, by: User, post: Post, body: Any) -> Comment:
    """Anyone signed in comments on a post that is not hidden."""
    if post.is_hidden:
        raise Conflict(_("This post is hidden; it takes no comments."))
    text = clean_text(body, "body", max_length=BODY_MAX, required=True)
    comment = Comment.objects.create(post=post, author=by, body=text)
    Post.objects.filter(pk=post.pk).update(comments_count=F("comments_count") + 1)
    return comment


# --- Follows -------------------------------------------------------------------------------


def _target(person: User | None, topic: Topic | None, area: Area | None) -> dict[str, Any]:
    given = {
        name: value
        for name, value in (("person", person), ("topic", topic), ("area", area))
        if value is not None
    }
    if len(given) != 1:
        raise ValidationError({"person": _("Follow one person, one topic or one area.")})
    return given


@transaction.atomic
def follow(
    *, by: User, person: User | None = None, topic: Topic | None = None, area: Area | None = None
) -> Follow:
    """Follow a person, a topic or an area; following it again changes nothing."""
    target = _target(person, topic, area)
    if person is not None and person.pk == by.pk:
        raise ValidationError({"person": _("You cannot follow yourself.")})
    existing = Follow.objects.filter(follower=by, **target).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Follow.objects.create(follower=by, **target)
    except IntegrityError:  # followed meanwhile, in another tab
        return Follow.objects.get(follower=by, **target)


@transaction.atomic
def unfollow(
    *, by: User, person: User | None = None, topic: Topic | None = None, area: Area | None = None
) -> bool:
    """Stop following; False when they did not follow it."""
    target = _target(person, topic, area)
    deleted, _rows = Follow.objects.filter(follower=by, **target).delete()
    return bool(deleted)


# --- Moderation ----------------------------------------------------------------------------


def _reason(value: Any) -> str:
    return clean_text(value, "reason", max_length=REASON_MAX, required=True)


@transaction.atomic
def report(*, by: User, post: Post, comment: Comment | None = None, reason: Any) -> Report:
    """Ask the moderators to look at a post or one of its comments, saying why. A person's
    second report of the same thing, while the first is open, is that first report."""
    text = _reason(reason)
    if comment is not None and comment.post_id != post.pk:
        raise ValidationError({"comment": _("That comment is not on this post.")})
    thing = comment if comment is not None else post
    if thing.is_hidden:
        raise Conflict(_("This is already hidden."))
    Post.objects.select_for_update().filter(pk=post.pk).first()  # one count at a time
    open_one = Report.objects.filter(
        post=post, comment=comment, reporter=by, resolved_at__isnull=True
    ).first()
    if open_one is not None:
        return open_one
    made = Report.objects.create(post=post, comment=comment, reporter=by, reason=text)
    Post.objects.filter(pk=post.pk).update(open_reports=F("open_reports") + 1)
    return made


def _resolve(*, by: User, post: Post, comment: Comment | None, whole_post: bool) -> int:
    """Close the open reports of the thing (all of the post's, its comments' too, when
    `whole_post`) and take them off the post's count; how many."""
    reports = Report.objects.filter(post=post, resolved_at__isnull=True)
    if not whole_post:
        reports = reports.filter(comment=comment)
    closed = reports.update(resolved_at=timezone.now(), resolved_by=by)
    if closed:
        Post.objects.filter(pk=post.pk).update(open_reports=F("open_reports") - closed)
    return closed


@transaction.atomic
def hide(*, by: User, post: Post, comment: Comment | None = None, reason: Any) -> None:
    """A moderator hides a post or a comment, with a reason its author is shown; the open
    reports of what was hidden are closed."""
    text = _reason(reason)
    post = Post.objects.select_for_update().get(pk=post.pk)
    thing: Post | Comment = post
    if comment is not None:
        if comment.post_id != post.pk:
            raise ValidationError({"comment": _("That comment is not on this post.")})
        thing = comment
    if thing.is_hidden:
        raise Conflict(_("This is already hidden."))
    thing.hidden_at, thing.hidden_reason, thing.hidden_by = timezone.now(), text, by
    thing.save(update_fields=["hidden_at", "hidden_reason", "hidden_by", "modified"])
    if comment is not None:
        Post.objects.filter(pk=post.pk).update(comments_count=F("comments_count") - 1)
    _resolve(by=by, post=post, comment=comment, whole_post=comment is None)
    if comment is None:
        _index(post)


@transaction.atomic
def unhide(*, by: User, post: Post, comment: Comment | None = None) -> None:
    """A moderator shows again what was hidden (the reason is kept in its history)."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    thing: Post | Comment = comment if comment is not None else post
    if comment is not None and comment.post_id != post.pk:
        raise ValidationError({"comment": _("That comment is not on this post.")})
    if not thing.is_hidden:
        raise Conflict(_("This is not hidden."))
    thing.hidden_at, thing.hidden_reason, thing.hidden_by = None, "", None
    thing.save(update_fields=["hidden_at", "hidden_reason", "hidden_by", "modified"])
    if comment is not None:
        Post.objects.filter(pk=post.pk).update(comments_count=F("comments_count") + 1)
    else:
        _index(post)


@transaction.atomic
def dismiss_reports(*, by: User, post: Post, comment: Comment | None = None) -> int:
    """A moderator finds nothing wrong: the open reports of the thing are closed."""
    Post.objects.select_for_update().filter(pk=post.pk).first()
    return _resolve(by=by, post=post, comment=comment, whole_post=False)
