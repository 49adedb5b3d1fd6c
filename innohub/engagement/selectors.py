"""The reads of citizen engagement: bounded querysets and figures for pages and the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from innohub.core.words import group_alike, likeness, words
from innohub.orgs.models import Organisation

from . import kpis
from .models import (
    Consultation,
    ConsultationArea,
    Contribution,
    Finding,
    OrganisationArea,
    OrganisationEngagement,
    Response,
)

ALIKE_FROM = 0.3  # contributions at least this alike are suggested as one finding
SUGGEST_FROM_MAX = 1_000  # the newest unfiled contributions compared for suggestions
AREAS_SHOWN = 20


def consultation_list(*, organisation: Organisation | None = None) -> QuerySet[Consultation]:
    """Consultations, the latest opening first; `organisation` with everything below it."""
    found = Consultation.objects.select_related("organisation", "service")
    if organisation is not None:
        found = found.filter(organisation__path__startswith=organisation.path)
    return found.order_by("-opens_on", "-id")


def consultation_detail(pk: int) -> Consultation | None:
    return Consultation.objects.select_related("organisation", "service").filter(pk=pk).first()


def contribution_list(consultation: Consultation, *, unfiled: bool = False) -> QuerySet:
    """A consultation's contributions, the newest first (`unfiled`: in no finding yet)."""
    found = Contribution.objects.filter(consultation=consultation).select_related("area")
    if unfiled:
        found = found.filter(finding__isnull=True)
    return found.order_by("-id")


def findings_of(consultation: Consultation) -> list[Finding]:
    """ "You said, we did": the findings with their responses and the responses' pilots (two
    queries)."""
    responses = Response.objects.select_related("pilot").order_by("responded_on", "id")
    return list(
        Finding.objects.filter(consultation=consultation)
        .prefetch_related(Prefetch("responses", queryset=responses))
        .order_by("id")
    )


def finding_detail(pk: int) -> Finding | None:
    return (
        Finding.objects.select_related("consultation", "consultation__organisation")
        .filter(pk=pk)
        .first()
    )


def areas_reached(consultation: Consultation) -> list[ConsultationArea]:
    return list(
        ConsultationArea.objects.filter(consultation=consultation)
        .select_related("area")
        .order_by("-contributions", "area__name")[:AREAS_SHOWN]
    )


def organisation_figures(organisation: Organisation) -> dict[str, Any]:
    """An organisation's KPIs, its tree below included (one row), with its areas reached."""
    row = OrganisationEngagement.objects.filter(organisation=organisation).first()
    row = row or OrganisationEngagement(organisation=organisation)
    areas = list(
        OrganisationArea.objects.filter(organisation=organisation)
        .select_related("area")
        .order_by("-contributions", "area__name")[:AREAS_SHOWN]
    )
    return {"consultations": row.consultations, **kpis.figures(row), "areas": areas}


@dataclass(frozen=True)
class Suggestion:
    """Contributions alike enough to be one finding, and the words they share."""

    contributions: list[Contribution]
    words: list[str]


def suggested_findings(consultation: Consultation) -> list[Suggestion]:
    """Groups of alike contributions in no finding yet (`core.words.group_alike`, the same
    likeness as search and the themes of hopes and fears), among the newest
    `SUGGEST_FROM_MAX`; largest groups first."""
    rows = list(
        Contribution.objects.filter(consultation=consultation, finding__isnull=True)
        .select_related("area")
        .order_by("-id")[:SUGGEST_FROM_MAX]
    )
    by_id = {row.pk: row for row in rows}
    groups = group_alike(
        [(row.pk, row.words.split()) for row in reversed(rows)], alike_from=ALIKE_FROM
    )
    return [Suggestion([by_id[pk] for pk in group.ids], group.words) for group in groups]


def suggested_evidence(finding: Finding, *, limit: int = 20) -> list[Contribution]:
    """Contributions in no finding yet most like the finding's title and evidence, best
    first (among the newest `SUGGEST_FROM_MAX`)."""
    evidence = Contribution.objects.filter(finding=finding).values_list("words", flat=True)
    query = words(finding.title) + [word for text in evidence[:200] for word in text.split()]
    rows = list(
        Contribution.objects.filter(consultation_id=finding.consultation_id, finding__isnull=True)
        .select_related("area")
        .order_by("-id")[:SUGGEST_FROM_MAX]
    )
    scored = [(likeness(query, row.words.split()), row) for row in rows]
    scored = [(score, row) for score, row in scored if score >= ALIKE_FROM]
    scored.sort(key=lambda pair: (-pair[0], -pair[1].pk))
    return [row for _score, row in scored[:limit]]
