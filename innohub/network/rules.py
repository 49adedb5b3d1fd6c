"""Who may do what in the peer network: the one place that says so (docs/api.md, "Network
and getting out of the office"). Everyone signed in posts, comments, follows and reports, a
field officer as a secretary; authors change their own posts; programme managers and
administrators moderate (hide and show again, close reports), and see what they hid."""

from __future__ import annotations

from typing import Any

import rules

from innohub.core.roles import is_administrator, is_programme_manager

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
