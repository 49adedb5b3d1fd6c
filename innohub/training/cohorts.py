"""Programmes, cohorts and their sessions (docs/api.md, "Training").

Programme managers and administrators create programmes and cohorts; a cohort's trainers
schedule nothing but may take attendance and run the exercises (`rules.py`). Dates are
checked here, with a message naming the field: a cohort ends on or after its start; a
session ends after it starts, within the cohort's days, in one of the programme's tracks.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from innohub.core.errors import Conflict
from innohub.core.text import collect_text
from innohub.orgs.models import Kind, Organisation

from .criteria import CRITERIA, every_criterion
from .limits import NAME_MAX, TEXT_MAX, TITLE_MAX, TRACK_MAX
from .models import COMPLETION_PCT_DEFAULT, Cohort, Module, Programme, Session

if TYPE_CHECKING:
    from innohub.accounts.models import User

CAPACITY_MAX = 10_000
DAYS_MAX = 60


def today() -> datetime.date:
    return timezone.localdate()


# --- Programmes -----------------------------------------------------------------------------


def _tracks(errors: dict[str, str], tracks: Sequence[Any]) -> list[str]:
    names: list[str] = []
    for index, track in enumerate(tracks):
        name = collect_text(errors, track, f"tracks.{index}", max_length=TRACK_MAX, required=True)
        if name and name in names:
            errors[f"tracks.{index}"] = _("“%(track)s” is named twice.") % {"track": name}
        names.append(name)
    return names


@transaction.atomic
def create_programme(
    *,
    by: User,
    name: str,
    days: int,
    tracks: Sequence[str] = (),
    modules: Iterable[dict[str, Any]] = (),
    description: str = "",
) -> Programme:
    """A course template with its modules (`{day, title, goals, track}`): programme managers
    and administrators (403). A module's day is within the programme's days (422)."""
    if not by.has_perm("training.add_programme"):
        raise PermissionDenied(_("Only a programme manager creates a programme."))
    errors: dict[str, str] = {}
    name = collect_text(errors, name, "name", max_length=NAME_MAX, required=True)
    description = collect_text(errors, description, "description", max_length=TEXT_MAX)
    if not 1 <= days <= DAYS_MAX:
        errors["days"] = _("A programme lasts from 1 to %(max)s days.") % {"max": DAYS_MAX}
    track_names = _tracks(errors, tracks)
    rows: list[Module] = []
    for index, module in enumerate(modules):
        title = collect_text(
            errors,
            module.get("title", ""),
            f"modules.{index}.title",
            max_length=TITLE_MAX,
            required=True,
        )
        goals = collect_text(
            errors, module.get("goals", ""), f"modules.{index}.goals", max_length=TEXT_MAX
        )
        day = module.get("day")
        if not isinstance(day, int) or not 1 <= day <= max(days, 1):
            errors[f"modules.{index}.day"] = _("Give a day from 1 to %(days)s.") % {"days": days}
        track = module.get("track") or ""
        if track and track not in track_names:
            errors[f"modules.{index}.track"] = _("Choose one of the programme's tracks.")
        rows.append(Module(day=day or 1, title=title, goals=goals, track=track, position=index))
    if name and Programme.objects.filter(name__iexact=name).exists():
        errors["name"] = _("A programme of that name exists already.")
    if errors:
        raise ValidationError(errors)
    programme = Programme.objects.create(
        name=name, days=days, tracks=track_names, description=description
    )
    for row in rows:
        row.programme = programme
    Module.objects.bulk_create(rows)
    return programme


# --- Cohorts --------------------------------------------------------------------------------


def institute_error(institute: Organisation | None) -> str | None:
    if institute is not None and institute.kind != Kind.INSTITUTE:
        return _("Choose a training institute (an organisation of kind “institute”).")
    return None


@transaction.atomic
def create_cohort(
    *,
    by: User,
    programme: Programme,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    capacity: int,
    venue: str = "",
    institute: Organisation | None = None,
    trainers: Sequence[User] = (),
    completion_pct: int = COMPLETION_PCT_DEFAULT,
    applications_close_on: datetime.date | None = None,
    criteria: Sequence[str] | None = None,
) -> Cohort:
    """A run of a programme: programme managers and administrators (403). `criteria`: the
    selection criteria it scores (`criteria.CRITERIA`'s keys; all of them by default)."""
    if not by.has_perm("training.add_cohort"):
        raise PermissionDenied(_("Only a programme manager creates a cohort."))
    errors: dict[str, str] = {}
    title = collect_text(errors, title, "title", max_length=TITLE_MAX, required=True)
    venue = collect_text(errors, venue, "venue", max_length=TITLE_MAX)
    if ends_on < starts_on:
        errors["ends_on"] = _("A cohort ends on or after the day it starts.")
    if applications_close_on is not None and applications_close_on >= starts_on:
        errors["applications_close_on"] = _("Applications close before the cohort starts.")
    if not 1 <= capacity <= CAPACITY_MAX:
        errors["capacity"] = _("Give a capacity from 1 to %(max)s.") % {"max": CAPACITY_MAX}
    if not 1 <= completion_pct <= 100:
        errors["completion_pct"] = _("Give a percentage from 1 to 100.")
    if message := institute_error(institute):
        errors["institute"] = message
    chosen = every_criterion() if criteria is None else list(dict.fromkeys(criteria))
    for index, key in enumerate(chosen):
        if key not in CRITERIA:
            errors[f"criteria.{index}"] = _("Choose among: %(keys)s.") % {
                "keys": ", ".join(CRITERIA)
            }
    if errors:
        raise ValidationError(errors)
    cohort = Cohort.objects.create(
        programme=programme,
        title=title,
        venue=venue,
        institute=institute,
        starts_on=starts_on,
        ends_on=ends_on,
        applications_close_on=applications_close_on,
        capacity=capacity,
        completion_pct=completion_pct,
        criteria=chosen,
        by=by,
    )
    cohort.trainers.set(trainers)
    return cohort


def refuse_if_closed(cohort: Cohort) -> None:
    if cohort.closed_on is not None:
        raise Conflict(_("The cohort is closed."))


def track_error(cohort: Cohort, track: str) -> str | None:
    if track and track not in cohort.programme.tracks:
        tracks = ", ".join(cohort.programme.tracks)
        if not tracks:
            return _("This programme has no tracks.")
        return _("Choose one of the programme's tracks: %(tracks)s.") % {"tracks": tracks}
    return None


@transaction.atomic
def add_session(
    *,
    by: User,
    cohort: Cohort,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    track: str = "",
) -> Session:
    """Schedule a session within the cohort's days (programme managers, administrators)."""
    if not by.has_perm("training.change_cohort", cohort):
        raise PermissionDenied(_("Only a programme manager schedules the cohort's sessions."))
    refuse_if_closed(cohort)
    errors: dict[str, str] = {}
    title = collect_text(errors, title, "title", max_length=TITLE_MAX, required=True)
    starts_at, ends_at = aware(starts_at), aware(ends_at)
    if ends_at <= starts_at:
        errors["ends_at"] = _("A session ends after it starts.")
    first, last = (timezone.localtime(moment).date() for moment in (starts_at, ends_at))
    if first < cohort.starts_on or last > cohort.ends_on:
        errors["starts_at"] = _("A session falls within the cohort's days, %(from)s to %(to)s.") % {
            "from": cohort.starts_on.isoformat(),
            "to": cohort.ends_on.isoformat(),
        }
    if message := track_error(cohort, track):
        errors["track"] = message
    if errors:
        raise ValidationError(errors)
    return Session.objects.create(
        cohort=cohort, title=title, starts_at=starts_at, ends_at=ends_at, track=track
    )


def aware(moment: datetime.datetime) -> datetime.datetime:
    """A date-time without an offset is in `TIME_ZONE` (docs/api.md)."""
    if timezone.is_naive(moment):
        return timezone.make_aware(moment)
    return moment
