"""Pages of the peer network: the feed, writing a post (with "who else works on this?" beside
it), a post with its comments, following, reporting, the moderators' queue, and the people
working on the same problem. Thin: each validates, calls one function of `services` or
`selectors`, and renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from innohub.accounts.auth import signed_in
from innohub.accounts.models import User
from innohub.core.errors import Conflict
from innohub.core.forms import apply_errors
from innohub.core.pagination import paginate
from innohub.core.words import words
from innohub.geo.models import Area

from . import selectors, services
from .forms import CommentForm, FeedFilterForm, PostForm, ReasonForm, SimilarForm
from .models import Comment, Post
from .rules import moderates

SIMILAR_ON_PAGE = 5


def _post_or_404(request: HttpRequest, pk: int) -> Post:
    post = (
        selectors.visible_posts(signed_in(request))
        .select_related("author", "author__profile", "organisation", "area")
        .filter(pk=pk)
        .first()
    )
    if post is None:
        raise Http404
    return post


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    """To the page the form was on (`next`, same site only), else `fallback`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


def _similar(text: str, *, me: User, leave_out: int | None = None) -> dict[str, Any]:
    """People and things like `text`, for the panel beside a post (empty without words)."""
    if not words(text):
        return {"people": [], "things": []}
    things = [
        thing
        for thing in selectors.similar_things(text, limit=SIMILAR_ON_PAGE + 1)
        if not (thing.kind == services.POST and thing.id == leave_out)
    ][:SIMILAR_ON_PAGE]
    people = selectors.similar_people(text, limit=SIMILAR_ON_PAGE, leave_out=me)
    return {"people": people, "things": things}


# --- The feed --------------------------------------------------------------------------------


@login_required
def feed(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    form = FeedFilterForm(request.GET)
    posts = Post.objects.none()
    topic = None
    if form.is_valid():
        data = form.cleaned_data
        topic = services.find_topic(data["topic"]) if data["topic"] else None
        if data["topic"] and topic is None:
            form.add_error("topic", _("No topic is named %(name)s.") % {"name": data["topic"]})
        else:
            posts = selectors.feed(
                user,
                scope=data["scope"] or selectors.EVERYONE,
                kind=data["kind"] or None,
                topic=topic,
                area=data["area"],
            )
    context = {
        "form": form,
        "filtered": any(form.data.get(name) for name in ("kind", "topic", "area", "scope")),
        "pager": paginate(request, posts),
        "topic": topic,
        "following_topic": topic is not None and topic.pk in selectors.follows_of(user)["topic"],
        "topics": selectors.topics_by_use(),
        "is_moderator": moderates(user),
        "can_read_report": user.has_perm("network.view_recognition_report"),
    }
    return render(request, "network/feed.html", context)


# --- Writing ---------------------------------------------------------------------------------


@login_required
def post_new(request: HttpRequest) -> HttpResponse:
    """Write a post; people and things like it, from every organisation, are shown beside it
    (and follow the words as they are typed, with JavaScript)."""
    user = signed_in(request)
    form = PostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = services.write_post(
                by=user,
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                topics=data["topics"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your post is in the network for everyone to read."))
            return redirect("network:post_detail", post.pk)
    text = " ".join(str(form[name].value() or "") for name in ("title", "body"))
    context = {"form": form, "similar_text": text, **_similar(text, me=user)}
    return render(request, "network/post_form.html", context)


@login_required
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    post = _post_or_404(request, pk)
    if not user.has_perm("network.change_post", post):
        raise PermissionDenied
    initial = {
        "kind": post.kind,
        "title": post.title,
        "body": post.body,
        "topics": ", ".join(topic.name for topic in post.topics.all()),
    }
    form = PostForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.edit_post(
                by=user,
                post=post,
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                topics=data["topics"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your post is changed."))
            return redirect("network:post_detail", post.pk)
    text = " ".join(str(form[name].value() or "") for name in ("title", "body"))
    context = {
        "form": form,
        "post": post,
        "similar_text": text,
        **_similar(text, me=user, leave_out=post.pk),
    }
    return render(request, "network/post_form.html", context)


@login_required
def similar_panel(request: HttpRequest) -> HttpResponse:
    """The "who else works on this?" panel alone, for the post form to refresh as one types."""
    text = request.GET.get("text", "")[:2000]
    context = _similar(text, me=signed_in(request))
    return render(request, "network/includes/similar.html", context)


# --- A post ----------------------------------------------------------------------------------


@login_required
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    post = _post_or_404(request, pk)
    follows = selectors.follows_of(user)
    text = f"{post.title} {post.body}"
    context = {
        "post": post,
        "topics": list(post.topics.all()),
        "comments": list(selectors.comments_of(post, user)[:500]),
        "comment_form": CommentForm(),
        "following_author": post.author_id in follows["person"],
        "following_area": post.area_id in follows["area"],
        "is_moderator": moderates(user),
        **_similar(text, me=user, leave_out=post.pk),
    }
    return render(request, "network/post_detail.html", context)


@login_required
def post_comment(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    post = _post_or_404(request, pk)
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_on(by=user, post=post, body=form.cleaned_data["body"])
        except ValidationError as error:
            apply_errors(form, error)
        except Conflict as refusal:
            messages.error(request, refusal.message)
            return redirect("network:post_detail", post.pk)
        else:
            messages.success(request, _("Your comment is added."))
            return redirect("network:post_detail", post.pk)
    # A refused comment comes back on its own page, with what was typed.
    return render(request, "network/comment_form.html", {"post": post, "form": form}, status=400)


def _comment_of(post: Post, raw: Any) -> Comment | None:
    if raw in (None, ""):
        return None
    comment = Comment.objects.filter(pk=raw, post=post).first()
    if comment is None:
        raise Http404
    return comment


def _with_reason(
    request: HttpRequest, pk: int, *, action: str, write: Any, done: str, then: Any
) -> HttpResponse:
    """A page asking why (reporting, hiding) for the post or one of its comments
    (`?comment=`): `write(post, comment, reason)` on a valid answer, then the message `done`
    and the response `then(post)`; a refusal is shown on the post."""
    post = _post_or_404(request, pk)
    comment = _comment_of(post, request.POST.get("comment") or request.GET.get("comment"))
    form = ReasonForm(request.POST or None, initial={"comment": comment.pk if comment else None})
    if request.method == "POST" and form.is_valid():
        try:
            write(post, comment, form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(form, error)
        except Conflict as refusal:
            messages.error(request, refusal.message)
            return redirect("network:post_detail", post.pk)
        else:
            messages.success(request, done)
            return then(post)
    context = {"post": post, "comment": comment, "form": form, "action": action}
    return render(request, "network/reason_form.html", context)


@login_required
def post_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask the moderators to look at the post, or at one of its comments."""
    user = signed_in(request)
    return _with_reason(
        request,
        pk,
        action="report",
        write=lambda post, comment, reason: services.report(
            by=user, post=post, comment=comment, reason=reason
        ),
        done=_("Thank you. A moderator will look at it; you will not be named."),
        then=lambda post: redirect("network:post_detail", post.pk),
    )


def _moderator(request: HttpRequest) -> User:
    user = signed_in(request)
    if not user.has_perm("network.moderate_post"):
        raise PermissionDenied
    return user


@login_required
def post_hide(request: HttpRequest, pk: int) -> HttpResponse:
    """A moderator hides the post, or one of its comments, saying why (its author sees it)."""
    user = _moderator(request)
    return _with_reason(
        request,
        pk,
        action="hide",
        write=lambda post, comment, reason: services.hide(
            by=user, post=post, comment=comment, reason=reason
        ),
        done=_("Hidden. Its author sees your reason."),
        then=lambda post: _back(request, "network:moderation"),
    )


@login_required
@require_POST
def post_unhide(request: HttpRequest, pk: int) -> HttpResponse:
    user = _moderator(request)
    post = _post_or_404(request, pk)
    comment = _comment_of(post, request.POST.get("comment"))
    try:
        services.unhide(by=user, post=post, comment=comment)
    except Conflict as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Shown again."))
    return redirect("network:post_detail", post.pk)


@login_required
@require_POST
def post_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    """A moderator finds nothing wrong: the open reports of the post (or comment) close."""
    user = _moderator(request)
    post = _post_or_404(request, pk)
    comment = _comment_of(post, request.POST.get("comment"))
    closed = services.dismiss_reports(by=user, post=post, comment=comment)
    messages.success(
        request,
        ngettext("%(n)d report closed.", "%(n)d reports closed.", closed) % {"n": closed},
    )
    return _back(request, "network:moderation")


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    """The moderators' queue: open reports, newest first."""
    _moderator(request)
    return render(
        request, "network/moderation.html", {"pager": paginate(request, selectors.open_reports())}
    )


# --- Following -------------------------------------------------------------------------------


@login_required
@require_POST
def follow(request: HttpRequest) -> HttpResponse:
    """Follow or stop following (`stop`) one person, topic or area named by the form."""
    user = signed_in(request)
    target: dict[str, Any] = {}
    raw_person, raw_topic, raw_area = (
        request.POST.get(name, "") for name in ("person", "topic", "area")
    )
    if raw_person.isdigit() and len(raw_person) < 19:
        target["person"] = User.objects.filter(pk=int(raw_person), is_active=True).first()
    if raw_topic:
        target["topic"] = services.find_topic(raw_topic[:100])
    if raw_area.isdigit() and len(raw_area) < 19:
        target["area"] = Area.objects.filter(pk=int(raw_area)).first()
    if len(target) != 1 or None in target.values():
        raise Http404
    try:
        if request.POST.get("stop"):
            services.unfollow(by=user, **target)
            messages.success(request, _("You no longer follow it."))
        else:
            services.follow(by=user, **target)
            messages.success(request, _("Followed. Its posts are in “What I follow”."))
    except ValidationError as error:
        messages.error(request, " ".join(m for found in error.message_dict.values() for m in found))
    return _back(request, "network:feed")


# --- Who else works on this? -----------------------------------------------------------------


@login_required
def similar_people(request: HttpRequest) -> HttpResponse:
    """People working on the same problem in other organisations: from a text, or (`?person=`)
    from what a person has posted, proposed and led."""
    user = signed_in(request)
    form = SimilarForm(request.GET or None)
    people: list[Any] = []
    text = ""
    if form.has_text():
        text = form.cleaned_data["text"]
        people = selectors.similar_people(text, limit=20, leave_out=user)
    return render(
        request,
        "network/similar_people.html",
        {"form": form, "people": people, "searched": bool(text)},
    )
