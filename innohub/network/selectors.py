"""Reads of the peer network: the feed, a post's page, the moderators' queue, and "who else
works on this?" — the people whose posts, ideas, pilots and skills match a text, across
organisations, best first.

Lists are by newest first and paged by keyset (`core.pagination`); no read counts rows of a
table that grows with the nation (the counts a list shows are stored on its rows).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from innohub.accounts.models import User, UserSkill
from innohub.core import words
from innohub.geo.models import Area
from innohub.orgs.models import Organisation
from innohub.pipeline import search
from innohub.pipeline.models import Idea, Pilot

from .models import Comment, Follow, Post, Recognition, Report, Topic
from .rules import moderates
from .services import POST

if TYPE_CHECKING:
    from collections.abc import Iterable

EVERYONE, FOLLOWING = "everyone", "following"
SKILL_WEIGHT = 0.2  # a skill at level 5 named by the text counts as much as a match of 1.0
FOLLOWED_AREAS_MAX = 50
TOP_MATCHES = 3  # a person's score: the sum of their best few matches


def visible_posts(user: Any) -> QuerySet[Post]:
    """What `user` may read: posts not hidden, their own (hidden ones with the reason), and,
    for moderators, everything."""
    posts = Post.objects.all()
    if moderates(user):
        return posts
    return posts.filter(Q(hidden_at__isnull=True) | Q(author_id=user.pk))


def feed(
    user: Any,
    *,
    scope: str = EVERYONE,
    kind: str | None = None,
    topic: Topic | None = None,
    organisation: Organisation | None = None,
    area: Area | None = None,
    author: User | None = None,
) -> QuerySet[Post]:
    """Posts newest first; `FOLLOWING` keeps those by people, on topics or in areas (or below
    them) the person follows. `organisation` and `area` include everything below them."""
    posts = (
        visible_posts(user)
        .select_related("author", "author__profile", "organisation", "area")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("name")))
    )
    if kind:
        posts = posts.filter(kind=kind)
    if topic is not None:
        posts = posts.filter(topics=topic)
    if organisation is not None:
        posts = posts.filter(organisation__path__startswith=organisation.path)
    if area is not None:
        posts = posts.filter(area__path__startswith=area.path)
    if author is not None:
        posts = posts.filter(author=author)
    if scope == FOLLOWING:
        posts = posts.filter(_followed_by(user))
    return posts.order_by("-id")


def _followed_by(user: Any) -> Q:
    follows = Follow.objects.filter(follower_id=user.pk)
    on_topics = Post.topics.through.objects.filter(
        post_id=OuterRef("pk"), topic_id__in=follows.filter(topic__isnull=False).values("topic")
    )
    in_areas = Q()
    # A person follows a few areas; each is a prefix test on the post's area.
    for path in Area.objects.filter(followers__follower_id=user.pk).values_list("path", flat=True)[
        :FOLLOWED_AREAS_MAX
    ]:
        in_areas |= Q(area__path__startswith=path)
    return (
        Q(author_id__in=follows.filter(person__isnull=False).values("person"))
        | Q(Exists(on_topics))
        | in_areas
    )


def follows_of(user: Any) -> dict[str, set[int]]:
    """What the person follows, by kind: {"person": {ids}, "topic": {ids}, "area": {ids}}."""
    found: dict[str, set[int]] = {"person": set(), "topic": set(), "area": set()}
    for person, topic, area in Follow.objects.filter(follower_id=user.pk).values_list(
        "person_id", "topic_id", "area_id"
    ):
        if person:
            found["person"].add(person)
        elif topic:
            found["topic"].add(topic)
        elif area:
            found["area"].add(area)
    return found


def comments_of(post: Post, user: Any) -> QuerySet[Comment]:
    """The post's comments, oldest first: hidden ones only for their author and moderators."""
    comments = Comment.objects.filter(post=post).select_related("author")
    if not moderates(user):
        comments = comments.filter(Q(hidden_at__isnull=True) | Q(author_id=user.pk))
    return comments.order_by("id")


def open_reports() -> QuerySet[Report]:
    """The moderators' queue: open reports, newest first, with what they are about."""
    return (
        Report.objects.filter(resolved_at__isnull=True)
        .select_related("post", "post__author", "comment", "comment__author", "reporter")
        .order_by("-id")
    )


def topics_by_use(limit: int = 30) -> list[Topic]:
    """The topics most posted about (their stored counts)."""
    return list(Topic.objects.filter(posts_count__gt=0).order_by("-posts_count", "name")[:limit])


# --- Who else works on this? ---------------------------------------------------------------


@dataclass
class Reason:
    """One thing that makes a person similar: their post, idea, pilot or skill."""

    kind: str  # "post", "idea", "pilot", "skill"
    id: int
    title: str
    score: float


@dataclass
class SimilarPerson:
    user: User
    score: float = 0.0
    reasons: list[Reason] = field(default_factory=list)


@dataclass(frozen=True)
class SimilarThing:
    kind: str
    id: int
    title: str
    score: float
    author: User | None


def similar_things(text: str, *, limit: int = 10, viewer: Any = None) -> list[SimilarThing]:
    """Posts, ideas and pilots most like `text`, best first (hidden posts are not indexed)."""
    matches = search.similar(text, limit=limit, kinds=(POST, search.IDEA, search.PILOT))
    return [thing for thing in _things(matches) if thing is not None]


def _things(matches: Iterable[search.Match]) -> list[SimilarThing | None]:
    ids: dict[str, list[int]] = {}
    for match in matches:
        ids.setdefault(match.kind, []).append(match.id)
    found: dict[tuple[str, int], tuple[str, User | None]] = {}
    for post in Post.objects.filter(
        pk__in=ids.get(POST, []), hidden_at__isnull=True
    ).select_related("author"):
        found[(POST, post.pk)] = (post.title, post.author)
    for idea in Idea.objects.filter(pk__in=ids.get(search.IDEA, [])).select_related("proposer"):
        found[(search.IDEA, idea.pk)] = (idea.title, idea.proposer)
    for pilot in Pilot.objects.filter(pk__in=ids.get(search.PILOT, [])).select_related("lead"):
        found[(search.PILOT, pilot.pk)] = (pilot.title, pilot.lead)
    return [
        SimilarThing(m.kind, m.id, *found[(m.kind, m.id)][:1], m.score, found[(m.kind, m.id)][1])
        if (m.kind, m.id) in found
        else None
        for m in matches
    ]


def similar_people(text: str, *, limit: int = 10, leave_out: Any = None) -> list[SimilarPerson]:
    """People whose posts, ideas, pilots and skills match `text`, across organisations, best
    first. A person's score is the sum of their `TOP_MATCHES` best matches; a skill named by
    the text counts `SKILL_WEIGHT` times its level. `leave_out`: a person not to suggest (the
    one asking)."""
    query = words.query_words(text)
    if not query:
        return []
    people: dict[int, SimilarPerson] = {}

    def add(user: User | None, reason: Reason) -> None:
        if (
            user is None
            or not user.is_active
            or (leave_out is not None and user.pk == leave_out.pk)
        ):
            return
        person = people.setdefault(user.pk, SimilarPerson(user=user))
        person.reasons.append(reason)

    for thing in similar_things(text, limit=limit * 4):
        add(thing.author, Reason(thing.kind, thing.id, thing.title, thing.score))
    for skill_id, skill_name, level, user in _skills_named(query, limit=limit * 4):
        add(user, Reason("skill", skill_id, skill_name, round(SKILL_WEIGHT * level, 4)))
    for person in people.values():
        person.reasons.sort(key=lambda reason: -reason.score)
        person.score = round(sum(reason.score for reason in person.reasons[:TOP_MATCHES]), 4)
    ranked = sorted(people.values(), key=lambda person: (-person.score, person.user.pk))[:limit]
    _with_profiles(ranked)
    return ranked


def _skills_named(query: list[str], *, limit: int) -> list[tuple[int, str, int, User]]:
    """Holders of skills whose name has a word of the query (by level, highest first)."""
    named = Q()
    for word in query:
        if words.is_prefix(word) or len(word) >= 3:
            named |= Q(skill__name__icontains=word)
    if not named:
        return []
    holders = (
        UserSkill.objects.filter(named)
        .select_related("skill", "user")
        .order_by("-level", "user_id")[:limit]
    )
    return [(h.skill_id, h.skill.name, h.level, h.user) for h in holders]


def _with_profiles(people: list[SimilarPerson]) -> None:
    users = [person.user for person in people]
    if not users:
        return
    by_user = {
        user.pk: user
        for user in User.objects.filter(pk__in=[u.pk for u in users]).select_related(
            "profile", "profile__organisation", "profile__area"
        )
    }
    for person in people:
        person.user = by_user.get(person.user.pk, person.user)


WORK_ITEMS = 5  # of each kind, the newest, read to say what a person works on


def work_text(person: User) -> str:
    """What a person works on, in words: the titles of their newest posts, ideas and pilots,
    and their skills (for "who else works on this?" on their profile)."""
    titles = [
        *Post.objects.filter(author=person, hidden_at__isnull=True)
        .order_by("-id")
        .values_list("title", flat=True)[:WORK_ITEMS],
        *Idea.objects.filter(proposer=person)
        .order_by("-id")
        .values_list("title", flat=True)[:WORK_ITEMS],
        *Pilot.objects.filter(lead=person)
        .order_by("-id")
        .values_list("title", flat=True)[:WORK_ITEMS],
        *UserSkill.objects.filter(user=person).values_list("skill__name", flat=True)[:WORK_ITEMS],
    ]
    return " ".join(titles)


def posts_by(person: User, viewer: Any, *, limit: int = WORK_ITEMS) -> list[Post]:
    """A person's newest posts the viewer may read, for their profile."""
    return list(visible_posts(viewer).filter(author=person).order_by("-id")[:limit])


# --- Recognition ---------------------------------------------------------------------------

REPORT_ROWS_MAX = 2_000  # recognitions in one ministry's report


@dataclass
class Recognised:
    """One person of a ministry's report: their recognitions, fellowships and what they
    started in the programme."""

    user: User
    recognitions: list[Any] = field(default_factory=list)
    ideas: int = 0
    pilots: int = 0
    posts: int = 0


def recognition_report(organisation: Organisation) -> list[Recognised]:
    """The people recognised while in `organisation` or below it, most recognised first:
    each with their recognitions and the ideas they proposed, pilots they led and posts they
    wrote (counted for these people only)."""
    recognitions = (
        Recognition.objects.filter(organisation__path__startswith=organisation.path)
        .select_related("user", "user__profile", "user__profile__organisation", "by", "fellowship")
        .order_by("user_id", "-id")[:REPORT_ROWS_MAX]
    )
    people: dict[int, Recognised] = {}
    for recognition in recognitions:
        people.setdefault(
            recognition.user_id, Recognised(user=recognition.user)
        ).recognitions.append(recognition)
    ids = list(people)
    counts = (
        ("ideas", Idea.objects.filter(proposer_id__in=ids), "proposer_id"),
        ("pilots", Pilot.objects.filter(lead_id__in=ids), "lead_id"),
        ("posts", Post.objects.filter(author_id__in=ids, hidden_at__isnull=True), "author_id"),
    )
    for name, rows, person in counts:
        for user_id, n in rows.values(person).annotate(n=Count("pk")).values_list(person, "n"):
            setattr(people[user_id], name, n)
    return sorted(
        people.values(), key=lambda person: (-len(person.recognitions), person.user.username)
    )


def recognitions_of(person: User, *, limit: int = 50) -> list[Recognition]:
    """A person's recognitions, newest first, for their profile."""
    return list(
        Recognition.objects.filter(user=person)
        .select_related("by", "fellowship")
        .order_by("-id")[:limit]
    )
