"""The journey ↔ pilot link, as services sees it: a slot the pipeline fills.

A journey may count for a pilot as its baseline or after measurement (docs/api.md). The
pipeline owns that link (SETTLED.md): it registers a `Linker` from its `AppConfig.ready()`,
and the journey API, the file import and the export read and write `pilot` and `phase`
through this module, so services never imports the pipeline. Without a linker there are no
pilots: `pilot` must be empty and `phase` "none" (`checks.pilot_errors`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from .checks import pilot_errors

if TYPE_CHECKING:
    from .models import Journey

NONE = "none"
PHASES = ("baseline", "after", NONE)


@dataclass(frozen=True)
class Link:
    """Where a journey counts: `pilot` (an id) in `phase`, or nowhere (None, "none")."""

    pilot: int | None = None
    phase: str = NONE


UNLINKED = Link()


@dataclass(frozen=True)
class PilotFacts:
    """What deciding whether a journey may count for a pilot reads of the pilot."""

    id: int
    service_id: int
    area_id: int
    area_path: str
    started_on: datetime.date | None
    may_link: bool  # whether the person asking may link journeys to it


class Linker(Protocol):
    # The reverse one-to-one on Journey that holds the link, for `select_related`.
    related_name: str

    def facts(self, pilot_id: int, *, by: Any) -> PilotFacts | None: ...

    def errors(
        self,
        facts: PilotFacts,
        *,
        phase: str,
        service_id: int,
        area_path: str,
        observed_on: datetime.date,
    ) -> dict[str, str]: ...

    def write(self, journey: Journey, link: Link) -> None: ...

    def write_many(self, links: dict[int, Link]) -> None: ...

    def forget(self, journey_ids: list[int]) -> None: ...

    def read(self, journey: Journey) -> Link: ...

    def read_many(self, journey_ids: Iterable[int]) -> dict[int, Link]: ...

    def filter(
        self, journeys: QuerySet[Journey], *, pilot: int | None, phase: str | None
    ) -> QuerySet[Journey]: ...


_linker: Linker | None = None


def register(linker: Linker | None) -> None:
    global _linker
    _linker = linker


def linker() -> Linker | None:
    return _linker


def shape_errors(*, phase: str | None, pilot: Any) -> dict[str, str]:
    """`pilot` goes with `baseline` and `after`, and only with them (keyed by field)."""
    if _linker is None:
        return pilot_errors(phase=phase, pilot=pilot)
    phase = phase or NONE
    if phase not in PHASES:
        return {"phase": _("Use baseline, after or none.")}
    if phase == NONE and pilot not in (None, ""):
        return {"phase": _("A journey that counts for a pilot is its baseline or after.")}
    if phase != NONE and pilot in (None, ""):
        return {"pilot": _("Name the pilot this journey is the %(phase)s of.") % {"phase": phase}}
    return {}


def check(
    *,
    by: Any,
    link: Link,
    service_id: int,
    area_path: str,
    observed_on: datetime.date,
    linking: bool = True,
) -> None:
    """Raise ValidationError (by field) or PermissionDenied unless a journey of this service,
    area and day may count as `link` says, linked by `by`. `linking` is False where the link
    stays as it was and only the journey changes: then only the rules are asked again."""
    if errors := shape_errors(phase=link.phase, pilot=link.pilot):
        raise ValidationError(errors)
    if link.pilot is None or _linker is None:
        return
    facts = _linker.facts(link.pilot, by=by)
    if facts is None:
        raise ValidationError({"pilot": _("No pilot has the id %(id)s.") % {"id": link.pilot}})
    if linking and not facts.may_link:
        raise PermissionDenied(
            _(
                "Only the pilot's lead, its mentor, the innovation team and programme managers "
                "count journeys for it."
            )
        )
    errors = _linker.errors(
        facts,
        phase=link.phase,
        service_id=service_id,
        area_path=area_path,
        observed_on=observed_on,
    )
    if errors:
        raise ValidationError(errors)


def check_unlink(*, by: Any, current: Link) -> None:
    """Taking a journey out of a pilot's measurements asks what putting it in asks."""
    if current.pilot is None or _linker is None:
        return
    facts = _linker.facts(current.pilot, by=by)
    if facts is not None and not facts.may_link:
        raise PermissionDenied(
            _(
                "Only the pilot's lead, its mentor, the innovation team and programme managers "
                "change which journeys count for it."
            )
        )


def write(journey: Journey, link: Link) -> None:
    if _linker is not None:
        _linker.write(journey, link)


def forget(journey_ids: list[int]) -> None:
    """Drop the links of journeys about to be deleted past the ORM (a discarded import)."""
    if _linker is not None:
        _linker.forget(journey_ids)


def read(journey: Journey) -> Link:
    return UNLINKED if _linker is None else _linker.read(journey)


def read_many(journey_ids: Iterable[int]) -> dict[int, Link]:
    return {} if _linker is None else _linker.read_many(journey_ids)


def related() -> list[str]:
    """What a journey list selects beside each journey to show its link in no more queries."""
    return [] if _linker is None else [_linker.related_name]


def filtered(
    journeys: QuerySet[Journey], *, pilot: int | None = None, phase: str | None = None
) -> QuerySet[Journey]:
    if _linker is None or (pilot is None and not phase):
        return journeys
    return _linker.filter(journeys, pilot=pilot, phase=phase)
