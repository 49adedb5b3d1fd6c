"""Who may do what with services, process maps and journeys: the one place that says so."""

from __future__ import annotations

from typing import Any

import rules

from innohub.accounts.rules import manages_place, serves_place
from innohub.core.models import ids_in_path
from innohub.core.roles import TRAINER, is_administrator, is_in_role, is_programme_manager


def _journey_place(journey: Any) -> tuple[list[int], list[int]]:
    """The ids of the journey's area and the areas above it, and of the service's
    organisation and the organisations above it."""
    return ids_in_path(journey.area.path), ids_in_path(journey.service.organisation.path)


@rules.predicate
def is_trainer(user: Any) -> bool:
    return is_in_role(user, TRAINER)


@rules.predicate
def is_observer(user: Any, journey: Any) -> bool:
    return (
        journey is not None and journey.observer_id is not None and journey.observer_id == user.pk
    )


@rules.predicate
def is_team_member_for(user: Any, journey: Any) -> bool:
    """A member of an innovation team of the journey's area or the service's organisation,
    or above them."""
    if journey is None:
        return False
    area_ids, organisation_ids = _journey_place(journey)
    return serves_place(user, area_ids=area_ids, organisation_ids=organisation_ids)


@rules.predicate
def manages_place_of(user: Any, journey: Any) -> bool:
    """A programme manager whose area or organisation contains the journey's."""
    if journey is None:
        return False
    area_ids, organisation_ids = _journey_place(journey)
    return manages_place(user, area_ids=area_ids, organisation_ids=organisation_ids)


@rules.predicate
def started_job(user: Any, job: Any) -> bool:
    return job is not None and job.by_id is not None and job.by_id == user.pk


keeps_services = is_administrator | is_programme_manager
keeps_maps = keeps_services | is_trainer
may_change_journey = is_observer | is_administrator | manages_place_of | is_team_member_for

rules.add_perm("services.view_service", rules.is_authenticated)
rules.add_perm("services.add_service", keeps_services)
rules.add_perm("services.change_service", keeps_services)
rules.add_perm("services.view_processmap", rules.is_authenticated)
rules.add_perm("services.add_processmap", keeps_maps)
rules.add_perm("services.change_processmap", keeps_maps)
rules.add_perm("services.view_journey", rules.is_authenticated)
rules.add_perm("services.add_journey", rules.is_authenticated)
rules.add_perm("services.change_journey", may_change_journey)
# An import names its person's file, an export is theirs to download: only they and
# administrators follow them (SETTLED: downloads are for the person who asked).
rules.add_perm("services.view_journeyimport", started_job | is_administrator)
rules.add_perm("services.view_journeyexport", started_job | is_administrator)
