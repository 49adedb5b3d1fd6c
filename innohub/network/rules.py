"""Who may do what in the peer network: the one place that says so (docs/api.md, "Network
and getting out of the office"). Everyone signed in posts, comments, follows and reports, a
field officer as a secretary; authors change their own posts; programme managers and
administrators moderate (hide and show again, close reports), and see what they hid."""

from __future__ import annotations

from typing import Any

import rules

from innohub.core.roles import (
    is_administrator,
    is_programme_manager,
    is_senior_reviewer,
)

moderates = is_programme_manager | is_administrator


@rules.predicate
def wrote(user: Any, post: Any) -> bool:
    return (
        post is not None
        and getattr(user, "is_authenticated", False)
        and (post.author_id == user.pk)
    )


@rules.predicate
def is_visible(user: Any, post: Any) -> bool:
    return post is not None and post.hidden_at is None


rules.add_perm("network.view_post", rules.is_authenticated & (is_visible | wrote | moderates))
rules.add_perm("network.add_post", rules.is_authenticated)
rules.add_perm("network.change_post", wrote)
rules.add_perm("network.add_comment", rules.is_authenticated & is_visible)
rules.add_perm("network.add_follow", rules.is_authenticated)
rules.add_perm("network.add_report", rules.is_authenticated & is_visible)
# Hide, show again, close reports, read the queue of reports.
rules.add_perm("network.moderate_post", moderates)


@rules.predicate
def on_the_panel(user: Any, fellowship: Any) -> bool:
    """A member of the fellowship's panel (one query)."""
    if fellowship is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(fellowship.panel.filter(pk=user.pk).exists())


@rules.predicate
def is_fellow(user: Any, fellowship: Any) -> bool:
    """Chosen as a fellow of the fellowship (one query)."""
    if fellowship is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(fellowship.fellows.filter(user_id=user.pk).exists())


# Fellowship: calls are opened and decided by moderators; anyone signed in nominates; the
# panel scores (the object is the fellowship); the fellows (and moderators) share a circle.
rules.add_perm("network.view_fellowship", rules.is_authenticated)
rules.add_perm("network.add_fellowship", moderates)
rules.add_perm("network.add_nomination", rules.is_authenticated)
rules.add_perm("network.add_nominationreview", on_the_panel)
rules.add_perm("network.decide_fellowship", moderates)
rules.add_perm("network.view_circle", is_fellow | moderates)
# Recognition: an endorsement from any colleague, an award from moderators.
rules.add_perm("network.add_endorsement", rules.is_authenticated)
rules.add_perm("network.add_award", moderates)


# The report of a ministry's recognised people, for promotion boards.
rules.add_perm("network.view_recognition_report", moderates | is_senior_reviewer)


@rules.predicate
def went(user: Any, exchange: Any) -> bool:
    return (
        exchange is not None
        and getattr(user, "is_authenticated", False)
        and (exchange.person_id == user.pk)
    )


# Out of the office: anyone records their own exchange (moderators anyone's); the person
# writes the reflection and the follow-up; everyone signed in reads what was learned.
rules.add_perm("network.view_exchange", rules.is_authenticated)
rules.add_perm("network.add_exchange", rules.is_authenticated)
rules.add_perm("network.change_exchange", went)
