"""Replication: a completed pilot tried again in other areas (docs/api.md, "Pipeline").

`replicate` makes a draft pilot whose `replicates` is the original; `family` is the tree of
an original and every replication below it; `candidates` are the areas, at the pilot area's
level, where citizens' journeys of the service still show the burden, from final journeys
that count for no pilot, leaving out every area where the family already is.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from innohub.core.errors import Conflict
from innohub.core.models import ids_in_path
from innohub.geo.models import Area
from innohub.services.models import Journey, JourneyStatus, Service

from . import search
from .models import Pilot, Status

if TYPE_CHECKING:
    from innohub.accounts.models import User

CENT = Decimal("0.01")


@transaction.atomic
def replicate(*, by: User, original: Pilot, area: Area, lead: User) -> Pilot:
    """A draft pilot of the same idea, service, organisation, currency and citizens a year,
    in another area, led by `lead`; only from a completed pilot (409); the original's lead,
    programme managers and administrators (403)."""
    if not by.has_perm("pipeline.add_replication", original):
        raise PermissionDenied(
            _("Only the pilot's lead or a programme manager replicates a pilot.")
        )
    if original.status != Status.COMPLETED:
        raise Conflict(_("Only a completed pilot is replicated."))
    if area.pk == original.area_id:
        raise ValidationError({"area": _("A replication runs in another area.")})
    copy = Pilot.objects.create(
        title=original.title,
        idea=original.idea,
        service=original.service,
        area=area,
        organisation=original.organisation,
        lead=lead,
        currency=original.currency,
        annual_volume=original.annual_volume,
        replicates=original,
    )
    search.index_pilot(copy)
    return copy


def root_of(pilot: Pilot) -> Pilot:
    """The original at the top of the pilot's family (one query a generation)."""
    while pilot.replicates_id is not None:
        pilot = Pilot.objects.select_related("area").get(pk=pilot.replicates_id)
    return pilot


def family_members(root: Pilot) -> list[Pilot]:
    """The root and every replication below it, a query a generation."""
    members, generation = [root], [root.pk]
    while generation:
        children = list(
            Pilot.objects.filter(replicates_id__in=generation)
            .select_related("area")
            .order_by("created", "pk")
        )
        members += children
        generation = [child.pk for child in children]
    return members


def family(pilot: Pilot) -> dict[str, Any]:
    """`GET /pilots/{id}/family`: the tree from the family's original,
    `{id, area, status, replications: [...]}`."""
    root = root_of(pilot)
    members = family_members(root)
    children: dict[int | None, list[Pilot]] = {}
    for member in members[1:]:
        children.setdefault(member.replicates_id, []).append(member)

    def node(member: Pilot) -> dict[str, Any]:
        return {
            "id": member.pk,
            "area": member.area_id,
            "status": member.status,
            "replications": [node(child) for child in children.get(member.pk, [])],
        }

    return node(root)


def unlinked_by_area(service_id: int) -> list[dict[str, Any]]:
    """Per area, the number of the service's final journeys that count for no pilot and the
    sums of their days, visits and cost: one grouped query over the service's journeys,
    computed once per version of them (`Service.journeys_version`, bumped by every write
    that changes a final journey or its link to a pilot) and cached for TCV_CACHE_SECONDS,
    like the service's distributions (ADR 0015)."""
    version = (
        Service.objects.filter(pk=service_id).values_list("journeys_version", flat=True).first()
    )
    key = f"unlinked-by-area:{service_id}:{version}"
    found = cache.get(key)
    if found is not None:
        return list(found)
    rows: list[dict[str, Any]] = [
        dict(row)
        for row in Journey.objects.filter(
            service_id=service_id, status=JourneyStatus.FINAL, measurement__isnull=True
        )
        .values("area_id")
        .annotate(
            n=Count("pk"), days=Sum("tcv_days"), visits=Sum("tcv_visits"), cost=Sum("tcv_cost")
        )
        .order_by()
    ]
    cache.set(key, rows, settings.TCV_CACHE_SECONDS)
    return rows


def candidates(pilot: Pilot) -> list[dict[str, Any]]:
    """`GET /pilots/{id}/replication-candidates`: areas at the pilot area's level with final
    journeys of its service that count for no pilot, outside every area of its family; the
    number of those journeys and their mean days, visits and cost; highest mean visits first,
    then days. The journeys' sums per area come from `unlinked_by_area` (cached); then a query
    a generation of the family and two for the areas."""
    level = pilot.area.level
    taken = {member.area_id for member in family_members(root_of(pilot))}
    by_area = {row["area_id"]: row for row in unlinked_by_area(pilot.service_id)}
    paths = dict(Area.objects.filter(pk__in=by_area).values_list("pk", "path"))
    ancestors = {pk: ids_in_path(path) for pk, path in paths.items()}
    at_level = set(
        Area.objects.filter(
            pk__in={a for chain in ancestors.values() for a in chain}, level=level
        ).values_list("pk", flat=True)
    )
    totals: dict[int, dict[str, Decimal | int]] = {}
    for area_id, row in by_area.items():
        target = next((a for a in ancestors.get(area_id, []) if a in at_level), None)
        if target is None or target in taken:
            continue
        total = totals.setdefault(
            target, {"n": 0, "days": Decimal(0), "visits": 0, "cost": Decimal(0)}
        )
        total["n"] += row["n"]
        total["days"] += Decimal(row["days"] or 0)
        total["visits"] += int(row["visits"] or 0)
        total["cost"] += Decimal(row["cost"] or 0)
    found: list[dict[str, Any]] = [
        {
            "area": area_id,
            "n": int(total["n"]),
            "days": (Decimal(total["days"]) / total["n"]).quantize(CENT),
            "visits": (Decimal(total["visits"]) / total["n"]).quantize(CENT),
            "cost": (Decimal(total["cost"]) / total["n"]).quantize(CENT),
        }
        for area_id, total in totals.items()
    ]
    found.sort(key=lambda c: (-c["visits"], -c["days"], c["area"]))
    return found[:200]
