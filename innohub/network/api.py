"""API router of the peer network (`/api/v1/posts`, `/follows`, `/people/similar`); wired
into innohub/api/main.py. The contract is docs/api.md, "Network and getting out of the
office"."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from innohub.accounts.auth import signed_in
from innohub.accounts.models import User
from innohub.accounts.selectors import people_from_refs, person_from_ref
from innohub.api.errors import CREATE_ERRORS, ONE_ERRORS, READ_ERRORS, WRITE_ERRORS, ErrorOut
from innohub.api.pagination import PageNumber
from innohub.core.words import words
from innohub.geo.selectors import resolve_area_filter
from innohub.orgs.selectors import organisation_from_ref

from . import exchanges, fellowships, selectors, services
from .models import (
    Comment,
    Exchange,
    Fellowship,
    Follow,
    Nomination,
    Post,
    Recognition,
    Topic,
)
from .rules import moderates
from .schemas import (
    DecisionOut,
    ExchangeFilters,
    ExchangeId,
    ExchangeIn,
    ExchangeOut,
    FellowshipId,
    FellowshipIn,
    FellowshipOut,
    FollowIn,
    FollowOut,
    FollowUpIn,
    NominationId,
    NominationIn,
    NominationOut,
    NominationReviewIn,
    NominationReviewOut,
    PersonId,
    PostCommentIn,
    PostCommentOut,
    PostFilters,
    PostHideIn,
    PostId,
    PostIn,
    PostOut,
    PostReportIn,
    RecognitionIn,
    RecognitionOut,
    ReflectionIn,
    SimilarPeopleFilters,
    SimilarPersonOut,
)

router = Router(tags=["network"])
ACTION_ERRORS: dict[int, Any] = {**WRITE_ERRORS, 409: ErrorOut}


def _post(request: HttpRequest, post_id: int) -> Post:
    """A post the caller may read, else 404 (a hidden post is not shown to exist)."""
    post = selectors.visible_posts(signed_in(request)).filter(pk=post_id).first()
    if post is None:
        raise Http404
    return post


def _comment(post: Post, comment_id: int | None) -> Comment | None:
    if comment_id is None:
        return None
    comment = Comment.objects.filter(pk=comment_id, post=post).first()
    if comment is None:
        raise ValidationError(
            {"comment": _("This post has no comment with the id %(id)s.") % {"id": comment_id}}
        )
    return comment


def _topic_named(field: str, name: str | None) -> Topic | None:
    if not name:
        return None
    topic = services.find_topic(name)
    if topic is None:
        raise ValidationError({field: _("No topic is named %(name)s.") % {"name": name}})
    return topic


# --- Posts ----------------------------------------------------------------------------------


@router.get("/posts", response={200: list[PostOut], **READ_ERRORS}, summary="List posts")
@paginate(PageNumber)
def list_posts(request: HttpRequest, filters: Query[PostFilters]) -> Any:
    """Posts of every level and organisation, newest first; hidden ones only for their author
    and moderators. `organisation` and `area` include everything below them."""
    user = signed_in(request)
    posts = selectors.feed(
        user,
        scope=selectors.FOLLOWING if filters.following else selectors.EVERYONE,
        kind=filters.kind,
        topic=_topic_named("topic", filters.topic),
        organisation=organisation_from_ref("organisation", filters.organisation),
        area=resolve_area_filter("area", filters.area),
        author=person_from_ref("author", filters.author),
    )
    return posts


@router.post("/posts", response={201: PostOut, **WRITE_ERRORS}, summary="Post to the network")
def create_post(request: HttpRequest, payload: PostIn) -> Any:
    """Anyone signed in: a challenge, an idea or a story of a rule bent for good. The post
    carries its author's organisation and area."""
    post = services.write_post(
        by=signed_in(request),
        kind=payload.kind,
        title=payload.title,
        body=payload.body,
        topics=payload.topics,
    )
    return Status(201, post)


@router.get("/posts/{post_id}", response={200: PostOut, **ONE_ERRORS}, summary="One post")
def get_post(request: HttpRequest, post_id: PostId) -> Any:
    return _post(request, post_id)


@router.put("/posts/{post_id}", response={200: PostOut, **WRITE_ERRORS}, summary="Change a post")
def change_post(request: HttpRequest, post_id: PostId, payload: PostIn) -> Any:
    """Its author only (403 otherwise)."""
    post = services.edit_post(
        by=signed_in(request),
        post=_post(request, post_id),
        kind=payload.kind,
        title=payload.title,
        body=payload.body,
        topics=payload.topics,
    )
    return post


@router.get(
    "/posts/{post_id}/comments",
    response={200: list[PostCommentOut], **ONE_ERRORS},
    summary="A post's comments",
)
def list_comments(request: HttpRequest, post_id: PostId) -> Any:
    """Oldest first; hidden ones only for their author and moderators."""
    post = _post(request, post_id)
    return selectors.comments_of(post, signed_in(request))


@router.post(
    "/posts/{post_id}/comments",
    response={201: PostCommentOut, **ACTION_ERRORS},
    summary="Comment on a post",
)
def create_comment(request: HttpRequest, post_id: PostId, payload: PostCommentIn) -> Any:
    """Anyone signed in, on a post that is not hidden (409 on a hidden one)."""
    comment = services.comment_on(
        by=signed_in(request), post=_post(request, post_id), body=payload.body
    )
    return Status(201, comment)


@router.post(
    "/posts/{post_id}/reports",
    response={201: dict[str, int], **ACTION_ERRORS},
    summary="Report a post or a comment",
)
def report_post(request: HttpRequest, post_id: PostId, payload: PostReportIn) -> Any:
    """Anyone signed in asks the moderators to look, saying why. Reporting the same thing
    again while the first report is open answers that report."""
    post = _post(request, post_id)
    made = services.report(
        by=signed_in(request),
        post=post,
        comment=_comment(post, payload.comment),
        reason=payload.reason,
    )
    return Status(201, {"id": made.pk})


@router.post(
    "/posts/{post_id}/hide", response={200: PostOut, **ACTION_ERRORS}, summary="Hide (moderators)"
)
def hide_post(request: HttpRequest, post_id: PostId, payload: PostHideIn) -> Any:
    """Programme managers and administrators hide a post or one of its comments, with a
    reason its author is shown; its open reports are closed. 409 when already hidden."""
    user = signed_in(request)
    if not user.has_perm("network.moderate_post"):
        raise PermissionDenied
    post = _post(request, post_id)
    services.hide(
        by=user, post=post, comment=_comment(post, payload.comment), reason=payload.reason
    )
    return _post(request, post_id)


@router.post(
    "/posts/{post_id}/unhide",
    response={200: PostOut, **ACTION_ERRORS},
    summary="Show again (moderators)",
)
def unhide_post(request: HttpRequest, post_id: PostId, comment: int | None = None) -> Any:
    user = signed_in(request)
    if not user.has_perm("network.moderate_post"):
        raise PermissionDenied
    post = _post(request, post_id)
    services.unhide(by=user, post=post, comment=_comment(post, comment))
    return _post(request, post_id)


# --- Follows --------------------------------------------------------------------------------


def _follow_target(payload: FollowIn) -> dict[str, Any]:
    return {
        "person": person_from_ref("person", payload.person),
        "topic": _topic_named("topic", payload.topic),
        "area": resolve_area_filter("area", payload.area),
    }


@router.get("/follows", response={200: list[FollowOut], **READ_ERRORS}, summary="What I follow")
def list_follows(request: HttpRequest) -> Any:
    follows = Follow.objects.filter(follower=signed_in(request)).select_related("topic")
    return list(follows.order_by("id")[:1_000])


@router.post("/follows", response={201: FollowOut, **WRITE_ERRORS}, summary="Follow")
def create_follow(request: HttpRequest, payload: FollowIn) -> Any:
    """Follow one person, one topic or one area (exactly one; 422 otherwise). Following
    again answers the follow there is."""
    follow = services.follow(by=signed_in(request), **_follow_target(payload))
    return Status(201, follow)


@router.delete("/follows/{follow_id}", response={204: None, **ONE_ERRORS}, summary="Unfollow")
def delete_follow(request: HttpRequest, follow_id: PostId) -> Any:
    deleted, _rows = Follow.objects.filter(pk=follow_id, follower=signed_in(request)).delete()
    if not deleted:
        raise Http404
    return Status(204, None)


# --- Who else works on this? ----------------------------------------------------------------


@router.get(
    "/people/similar",
    response={200: list[SimilarPersonOut], **READ_ERRORS},
    summary="People working on the same problem",
)
def similar_people(request: HttpRequest, filters: Query[SimilarPeopleFilters]) -> Any:
    """People whose posts, ideas, pilots and skills match the text, across organisations,
    best first, each with the things that matched. The text may be in Bangla, English or
    French; one without a word to search is 422. The caller is not suggested."""
    if not words(filters.text):
        raise ValidationError({"text": _("Give some words to compare.")})
    people = selectors.similar_people(
        filters.text, limit=filters.limit, leave_out=signed_in(request)
    )
    return [
        {
            "id": person.user.pk,
            "username": person.user.username,
            "name": person.user.get_full_name(),
            "organisation": getattr(getattr(person.user, "profile", None), "organisation_id", None),
            "area": getattr(getattr(person.user, "profile", None), "area_id", None),
            "score": person.score,
            "reasons": [
                {"kind": r.kind, "id": r.id, "title": r.title, "score": r.score}
                for r in person.reasons
            ],
        }
        for person in people
    ]


# --- Fellowship and recognition ----------------------------------------------------------------


def _fellowship(fellowship_id: int) -> Fellowship:
    found = Fellowship.objects.prefetch_related("panel", "fellows").filter(pk=fellowship_id).first()
    if found is None:
        raise Http404
    return found


def _person(field: str, pk: int) -> User:
    person = person_from_ref(field, pk)
    assert person is not None
    return person


@router.get(
    "/fellowships", response={200: list[FellowshipOut], **READ_ERRORS}, summary="Fellowships"
)
@paginate(PageNumber)
def list_fellowships(request: HttpRequest) -> Any:
    """Calls for fellows, the latest to close first."""
    return Fellowship.objects.prefetch_related("panel", "fellows").order_by("-closes_on", "-id")


@router.post(
    "/fellowships", response={201: FellowshipOut, **CREATE_ERRORS}, summary="Open a fellowship"
)
def create_fellowship(request: HttpRequest, payload: FellowshipIn) -> Any:
    """Programme managers and administrators (403 otherwise)."""
    made = fellowships.open_fellowship(
        by=signed_in(request),
        title=payload.title,
        description=payload.description,
        seats=payload.seats,
        closes_on=payload.closes_on,
        panel=people_from_refs("panel", payload.panel),
    )
    return Status(201, _fellowship(made.pk))


@router.get(
    "/fellowships/{fellowship_id}",
    response={200: FellowshipOut, **ONE_ERRORS},
    summary="One fellowship",
)
def get_fellowship(request: HttpRequest, fellowship_id: FellowshipId) -> Any:
    return _fellowship(fellowship_id)


@router.get(
    "/fellowships/{fellowship_id}/nominations",
    response={200: list[NominationOut], **ONE_ERRORS},
    summary="Nominations",
)
@paginate(PageNumber)
def list_nominations(request: HttpRequest, fellowship_id: FellowshipId) -> Any:
    """The panel and moderators read every nomination; anyone else those they made."""
    user = signed_in(request)
    fellowship = _fellowship(fellowship_id)
    nominations = Nomination.objects.filter(fellowship=fellowship).order_by("id")
    if not (user.has_perm("network.add_nominationreview", fellowship) or moderates(user)):
        nominations = nominations.filter(nominator=user)
    return nominations


@router.post(
    "/fellowships/{fellowship_id}/nominations",
    response={201: NominationOut, **ACTION_ERRORS},
    summary="Nominate a colleague",
)
def create_nomination(
    request: HttpRequest, fellowship_id: FellowshipId, payload: NominationIn
) -> Any:
    """Anyone signed in, for what the nominee is trying to achieve. Oneself is 422 on
    `nominee`; the same person twice 409; after `closes_on` or the decision 409."""
    nomination = fellowships.nominate(
        by=signed_in(request),
        fellowship=_fellowship(fellowship_id),
        nominee=_person("nominee", payload.nominee),
        aims=payload.aims,
    )
    return Status(201, nomination)


@router.post(
    "/nominations/{nomination_id}/reviews",
    response={201: NominationReviewOut, **ACTION_ERRORS},
    summary="Score a nomination (panel)",
)
def create_nomination_review(
    request: HttpRequest, nomination_id: NominationId, payload: NominationReviewIn
) -> Any:
    """Panel members only (403), once each (409), never a nomination they made or of
    themself (403); after the decision 409."""
    nomination = Nomination.objects.select_related("fellowship").filter(pk=nomination_id).first()
    if nomination is None:
        raise Http404
    made = fellowships.review(
        by=signed_in(request), nomination=nomination, score=payload.score, comment=payload.comment
    )
    return Status(201, made)


@router.post(
    "/fellowships/{fellowship_id}/decide",
    response={200: DecisionOut, **ACTION_ERRORS},
    summary="Choose the fellows",
)
def decide_fellowship(request: HttpRequest, fellowship_id: FellowshipId) -> Any:
    """Programme managers and administrators, at any time (it closes the nominations): the
    `seats` nominees with the highest mean score over all their nominations' reviews, ties
    by the earliest nomination; unreviewed nominees are not chosen. A second decision 409."""
    chosen = fellowships.decide(by=signed_in(request), fellowship=_fellowship(fellowship_id))
    return {"fellows": [fellow.user_id for fellow in chosen]}


@router.post(
    "/recognitions", response={201: RecognitionOut, **WRITE_ERRORS}, summary="Recognise someone"
)
def create_recognition(request: HttpRequest, payload: RecognitionIn) -> Any:
    """An endorsement by any colleague, an award by programme managers and administrators
    (403); oneself is 422 on `user`."""
    made = fellowships.recognise(
        by=signed_in(request),
        user=_person("user", payload.user),
        kind=payload.kind,
        citation=payload.citation,
    )
    return Status(201, made)


@router.get(
    "/people/{person_id}/recognitions",
    response={200: list[RecognitionOut], **ONE_ERRORS},
    summary="A person's recognitions",
)
def list_recognitions(request: HttpRequest, person_id: PersonId) -> Any:
    person = User.objects.filter(pk=person_id, is_active=True).first()
    if person is None:
        raise Http404
    return list(Recognition.objects.filter(user=person).order_by("-id")[:200])


# --- Out of the office ---------------------------------------------------------------------------


def _exchange(exchange_id: int) -> Exchange:
    found = Exchange.objects.filter(pk=exchange_id).first()
    if found is None:
        raise Http404
    return found


@router.get("/exchanges", response={200: list[ExchangeOut], **READ_ERRORS}, summary="Exchanges")
@paginate(PageNumber)
def list_exchanges(request: HttpRequest, filters: Query[ExchangeFilters]) -> Any:
    """Field days, learning visits, secondments and city exchanges, the latest first, with
    what people learned and changed at home."""
    exchanges = Exchange.objects.order_by("-starts_on", "-id")
    if filters.person is not None:
        exchanges = exchanges.filter(person_id=filters.person)
    if filters.kind:
        exchanges = exchanges.filter(kind=filters.kind)
    return exchanges


@router.post(
    "/exchanges", response={201: ExchangeOut, **WRITE_ERRORS}, summary="Record an exchange"
)
def create_exchange(request: HttpRequest, payload: ExchangeIn) -> Any:
    """One's own; programme managers and administrators may record anyone's (403). The
    follow-up falls due `EXCHANGE_FOLLOW_UP_WEEKS` (6) after `ends_on`."""
    made = exchanges.record_exchange(
        by=signed_in(request),
        person=_person("person", payload.person) if payload.person is not None else None,
        kind=payload.kind,
        host=payload.host,
        host_organisation=organisation_from_ref("host_organisation", payload.host_organisation),
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        plan=payload.plan,
    )
    return Status(201, made)


@router.get(
    "/exchanges/{exchange_id}", response={200: ExchangeOut, **ONE_ERRORS}, summary="One exchange"
)
def get_exchange(request: HttpRequest, exchange_id: ExchangeId) -> Any:
    return _exchange(exchange_id)


@router.post(
    "/exchanges/{exchange_id}/reflection",
    response={200: ExchangeOut, **ACTION_ERRORS},
    summary="Reflect on an exchange",
)
def reflect_on_exchange(
    request: HttpRequest, exchange_id: ExchangeId, payload: ReflectionIn
) -> Any:
    """The person who went (403), on or after `ends_on` (409 before)."""
    return exchanges.reflect(
        by=signed_in(request), exchange=_exchange(exchange_id), text=payload.text
    )


@router.post(
    "/exchanges/{exchange_id}/follow-up",
    response={200: ExchangeOut, **ACTION_ERRORS},
    summary="What changed at home",
)
def follow_up_exchange(request: HttpRequest, exchange_id: ExchangeId, payload: FollowUpIn) -> Any:
    """The person who went (403), after the reflection (409 before)."""
    return exchanges.follow_up(
        by=signed_in(request),
        exchange=_exchange(exchange_id),
        changed_at_home=payload.changed_at_home,
    )
