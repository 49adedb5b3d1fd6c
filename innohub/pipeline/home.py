"""What is the signed-in person's to do about ideas and pilots, for the home page."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from innohub.core.home import HomeCard

from . import selectors


def pilot_cards(request: HttpRequest) -> list[HomeCard]:
    """Pilots waiting for this person's decision, the pilots they lead or mentor that are
    under way (two counts), and a way to propose an idea."""
    user = request.user
    if not user.is_authenticated:
        return []
    cards = []
    if waiting := selectors.to_review(user).count():
        cards.append(
            HomeCard(
                title=_("Pilots to review"),
                description=ngettext(
                    "%(count)d pilot waits for a decision: approve it or return it.",
                    "%(count)d pilots wait for a decision: approve them or return them.",
                    waiting,
                )
                % {"count": waiting},
                url=reverse("pipeline:pilot_list") + "?status=submitted",
                count=waiting,
            )
        )
    if mine := selectors.pilot_list(involving=user.pk).filter(status__in=selectors.ACTIVE).count():
        cards.append(
            HomeCard(
                title=_("Your pilots"),
                description=ngettext(
                    "%(count)d pilot you lead or mentor is under way.",
                    "%(count)d pilots you lead or mentor are under way.",
                    mine,
                )
                % {"count": mine},
                url=reverse("pipeline:pilot_list") + "?mine=on",
                count=mine,
            )
        )
    if to_assess := selectors.to_assess(user).count():
        cards.append(
            HomeCard(
                title=_("Proposals to review"),
                description=ngettext(
                    "%(count)d proposal to the innovation fund waits for your scores.",
                    "%(count)d proposals to the innovation fund wait for your scores.",
                    to_assess,
                )
                % {"count": to_assess},
                url=reverse("pipeline:call_list") + "#to-assess",
                count=to_assess,
            )
        )
    cards.append(
        HomeCard(
            title=_("Propose an idea"),
            description=_(
                "Turn a pain point you saw into a change: others can support it, join it and "
                "pilot it."
            ),
            url=reverse("pipeline:idea_new"),
        )
    )
    return cards
