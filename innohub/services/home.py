"""What is the signed-in person's to do about services, for the home page."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from innohub.core.home import HomeCard

from .models import Journey, JourneyStatus


def journey_cards(request: HttpRequest) -> list[HomeCard]:
    """The person's journeys still being recorded (one query), and a way to start one."""
    user = request.user
    if not user.is_authenticated:
        return []
    drafts = Journey.objects.filter(observer=user, status=JourneyStatus.DRAFT).count()
    tasks = []
    if drafts:
        tasks.append(
            HomeCard(
                title=_("Finish recording your journeys"),
                description=ngettext(
                    "%(count)d journey is still a draft: add its steps and finish it.",
                    "%(count)d journeys are still drafts: add their steps and finish them.",
                    drafts,
                )
                % {"count": drafts},
                url=reverse("services:my_drafts"),
                count=drafts,
            )
        )
    tasks.append(
        HomeCard(
            title=_("Record a citizen's journey"),
            description=_(
                "Go through a service as a citizen would and record each step's time, cost "
                "and visits."
            ),
            url=reverse("services:journey_start"),
        )
    )
    return tasks
