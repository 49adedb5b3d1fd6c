"""Attendance and completion (docs/api.md, "Training"; SETTLED.md, "Training", "Counting").

A participant completes a cohort when attended x 100 ≥ completion_pct x sessions, counting
the cohort's sessions without a track plus those of the participant's track. Attendance is
taken per session, in one request that replaces it; each participant keeps the number of
their sessions attended. Closing the cohort (not before its last session has ended) records
who completed and makes each of them `Trained` once, from their first completed cohort, with
the organisation and area they have then.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from innohub.accounts.models import Profile
from innohub.core.errors import Conflict

from .cohorts import refuse_if_closed
from .models import Attendance, Cohort, Participant, Session, Trained

if TYPE_CHECKING:
    from innohub.accounts.models import User


def sessions_by_track(cohort: Cohort) -> dict[str, int]:
    """How many sessions the cohort has per track ("" for the shared ones): one query."""
    rows = Session.objects.filter(cohort=cohort).values("track").annotate(n=Count("id"))
    return {row["track"]: row["n"] for row in rows}


def sessions_for(track: str, by_track: dict[str, int]) -> int:
    shared = by_track.get("", 0)
    return shared + (by_track.get(track, 0) if track else 0)


def completes(attended: int, sessions: int, completion_pct: int) -> bool:
    """The completion rule, at its boundary: attended x 100 ≥ completion_pct x sessions."""
    return sessions > 0 and attended * 100 >= completion_pct * sessions


@dataclass(frozen=True)
class Standing:
    participant: Participant
    attended: int
    sessions: int
    completed: bool


def standings(cohort: Cohort, participants: Sequence[Participant]) -> list[Standing]:
    by_track = sessions_by_track(cohort)
    rows = []
    for participant in participants:
        sessions = sessions_for(participant.track, by_track)
        rows.append(
            Standing(
                participant=participant,
                attended=participant.attended,
                sessions=sessions,
                completed=completes(participant.attended, sessions, cohort.completion_pct),
            )
        )
    return rows


@transaction.atomic
def take_attendance(*, by: User, session: Session, present: Sequence[int]) -> list[int]:
    """Replace the session's attendance with `present` (user ids of participants): the
    cohort's trainers, programme managers and administrators. Someone not selected for the
    cohort is 422 naming `present.N`; attendance in another track's session too."""
    cohort = session.cohort
    if not by.has_perm("training.add_attendance", cohort):
        raise PermissionDenied(
            _("Only the cohort's trainers or a programme manager take attendance.")
        )
    refuse_if_closed(cohort)
    places = {
        participant.user_id: participant
        for participant in Participant.objects.filter(cohort=cohort, user_id__in=present)
    }
    errors: dict[str, str] = {}
    for index, pk in enumerate(present):
        participant = places.get(pk)
        if participant is None:
            errors[f"present.{index}"] = _("Person %(id)s is not selected for this cohort.") % {
                "id": pk
            }
        elif session.track and participant.track != session.track:
            errors[f"present.{index}"] = _(
                "Person %(id)s is not in the %(track)s track of this session."
            ) % {"id": pk, "track": session.track}
    if errors:
        raise ValidationError(errors)
    before = set(session.attendance.values_list("participant_id", flat=True))
    after = {participant.pk for participant in places.values()}
    session.attendance.filter(participant_id__in=before - after).delete()
    Attendance.objects.bulk_create(
        [Attendance(session=session, participant_id=pk, marked_by=by) for pk in after - before]
    )
    _recount(before ^ after)
    return sorted(places)


@transaction.atomic
def mark(*, by: User, session: Session, person: int, present: bool) -> bool:
    """Mark one person present or not at the session (one tap on the attendance page): it
    says the state wanted, so a tap sent twice on a bad connection changes nothing more, and
    two trainers marking different people at once do not undo each other. Refusals as in
    `take_attendance`, naming `present.0`. Answers whether the person is present now."""
    cohort = session.cohort
    if not by.has_perm("training.add_attendance", cohort):
        raise PermissionDenied(
            _("Only the cohort's trainers or a programme manager take attendance.")
        )
    refuse_if_closed(cohort)
    participant = Participant.objects.filter(cohort=cohort, user_id=person).first()
    if participant is None:
        raise ValidationError(
            {"present.0": _("Person %(id)s is not selected for this cohort.") % {"id": person}}
        )
    if session.track and participant.track != session.track:
        raise ValidationError(
            {
                "present.0": _("Person %(id)s is not in the %(track)s track of this session.")
                % {"id": person, "track": session.track}
            }
        )
    if present:
        changed = Attendance.objects.get_or_create(
            session=session, participant=participant, defaults={"marked_by": by}
        )[1]
    else:
        changed = bool(session.attendance.filter(participant=participant).delete()[0])
    if changed:
        _recount({participant.pk})
    return present


def _recount(participant_ids: set[int]) -> None:
    """Each participant's sessions attended, counted again (one UPDATE)."""
    if not participant_ids:
        return
    counted = (
        Attendance.objects.filter(participant=OuterRef("pk"))
        .filter(Q(session__track="") | Q(session__track=OuterRef("track")))
        .values("participant")
        .annotate(n=Count("id"))
        .values("n")
    )
    Participant.objects.filter(pk__in=participant_ids).update(
        attended=Coalesce(Subquery(counted), 0)
    )


def last_session_end(cohort: Cohort) -> datetime.datetime | None:
    return Session.objects.filter(cohort=cohort).aggregate(last=Max("ends_at"))["last"]


@transaction.atomic
def close(*, by: User, cohort: Cohort, on: datetime.date | None = None) -> list[Standing]:
    """Close the cohort: record who completed and make them trained (once a person). 409
    before the last session has ended, without sessions, or when closed already."""
    if not by.has_perm("training.change_cohort", cohort):
        raise PermissionDenied(_("Only a programme manager closes a cohort."))
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    refuse_if_closed(cohort)
    last = last_session_end(cohort)
    if last is None:
        raise Conflict(_("The cohort has no sessions: there is nothing to complete."))
    if last > timezone.now():
        raise Conflict(
            _("The last session ends at %(end)s: close the cohort after it.")
            % {"end": timezone.localtime(last).strftime("%Y-%m-%d %H:%M")}
        )
    on = on or timezone.localdate()
    rows = standings(cohort, list(Participant.objects.filter(cohort=cohort)))
    done = [row.participant for row in rows if row.completed]
    Participant.objects.filter(pk__in=[participant.pk for participant in done]).update(
        completed=True
    )
    cohort.closed_on = on
    cohort.completed_count = len(done)
    cohort.save(update_fields=["closed_on", "completed_count", "modified"])
    _make_trained(cohort, [participant.user_id for participant in done], on)
    return rows


def _make_trained(cohort: Cohort, users: list[int], on: datetime.date) -> None:
    """A `Trained` row for each person not trained before `on` (a person counts once, from
    their first completed cohort), with their organisation and area now."""
    earlier = dict(Trained.objects.filter(user_id__in=users).values_list("user_id", "on"))
    place = {
        user: (organisation, area)
        for user, organisation, area in Profile.objects.filter(user_id__in=users).values_list(
            "user_id", "organisation_id", "area_id"
        )
    }
    for user in users:
        if user in earlier and earlier[user] <= on:
            continue
        organisation, area = place.get(user, (None, None))
        Trained.objects.update_or_create(
            user_id=user,
            defaults={"cohort": cohort, "on": on, "organisation_id": organisation, "area_id": area},
        )
