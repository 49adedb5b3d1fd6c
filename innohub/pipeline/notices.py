"""Who is told what when a pilot moves or gets a mentor (through `accounts.notifications`,
so in the product and by e-mail from the task worker, in each person's language).

- submitted: the people who may approve it (innovation teams and programme managers of its
  organisation or area, or above — not its lead or mentor);
- approved, returned, discontinued by someone else: its lead; started, completed or
  discontinued: its mentor (a mentee's update);
- a mentor named: the mentor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_noop

from innohub.accounts.models import User
from innohub.accounts.notifications import notify, notify_each
from innohub.core.models import ids_in_path
from innohub.core.roles import PROGRAMME_MANAGER

from .models import Status

if TYPE_CHECKING:
    from .models import Pilot

TO_REVIEW = gettext_noop("“%(title)s” waits for your decision")
TO_REVIEW_BODY = gettext_noop(
    "%(lead)s submitted the pilot for approval: approve it, or return it for changes."
)
FOR_LEAD = {
    Status.APPROVED: gettext_noop("Your pilot “%(title)s” is approved"),
    Status.DRAFT: gettext_noop("Your pilot “%(title)s” was returned for changes"),
    Status.DISCONTINUED: gettext_noop("Your pilot “%(title)s” was discontinued"),
}
FOR_MENTOR = {
    Status.SUBMITTED: gettext_noop("“%(title)s”, which you mentor, was submitted"),
    Status.ONGOING: gettext_noop("“%(title)s”, which you mentor, has started"),
    Status.COMPLETED: gettext_noop("“%(title)s”, which you mentor, is completed"),
    Status.DISCONTINUED: gettext_noop("“%(title)s”, which you mentor, was discontinued"),
}
NOTE = gettext_noop("Note: %(note)s")
MENTOR_NAMED = gettext_noop("You are the mentor of “%(title)s”")
MENTOR_NAMED_BODY = gettext_noop("%(lead)s named you the mentor of this pilot.")


def _url(pilot: Pilot) -> str:
    return reverse("pipeline:pilot_detail", args=[pilot.pk])


def approvers_of(pilot: Pilot) -> list[User]:
    """The people told that a pilot waits for a decision: members of innovation teams of its
    organisation or area (or above), programme managers whose area or organisation holds it;
    never its lead or mentor."""
    area_ids = ids_in_path(pilot.area.path)
    organisation_ids = ids_in_path(pilot.organisation.path)
    return list(
        User.objects.filter(is_active=True)
        .filter(
            Q(team_memberships__team__area_id__in=area_ids)
            | Q(team_memberships__team__organisation_id__in=organisation_ids)
            | (
                Q(groups__name=PROGRAMME_MANAGER)
                & (
                    Q(profile__area_id__in=area_ids)
                    | Q(profile__organisation_id__in=organisation_ids)
                )
            )
        )
        .exclude(pk__in=[pilot.lead_id, pilot.mentor_id or 0])
        .distinct()
        .order_by("pk")
    )


def moved(pilot: Pilot, *, to: str, by: Any, note: str = "") -> None:
    """Tell those a move concerns (inside the move's transaction)."""
    params = {"title": pilot.title, "lead": pilot.lead.name, "note": note}
    body = NOTE if note else ""
    if to == Status.SUBMITTED:
        notify_each(
            approvers_of(pilot),
            kind="pilot_to_review",
            subject=TO_REVIEW,
            body=TO_REVIEW_BODY,
            url=_url(pilot),
            params=params,
        )
    if to in FOR_LEAD and by.pk != pilot.lead_id:
        notify(
            user=pilot.lead,
            kind="pilot_decision",
            subject=FOR_LEAD[Status(to)],
            body=body,
            url=_url(pilot),
            params=params,
        )
    if to in FOR_MENTOR and pilot.mentor is not None and by.pk != pilot.mentor_id:
        notify(
            user=pilot.mentor,
            kind="mentee_update",
            subject=FOR_MENTOR[Status(to)],
            body=body,
            url=_url(pilot),
            params=params,
        )


def mentor_named(pilot: Pilot) -> None:
    if pilot.mentor is None:
        return
    notify(
        user=pilot.mentor,
        kind="mentor_named",
        subject=MENTOR_NAMED,
        body=MENTOR_NAMED_BODY,
        url=_url(pilot),
        params={"title": pilot.title, "lead": pilot.lead.name},
    )
