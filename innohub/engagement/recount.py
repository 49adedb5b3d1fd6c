"""Counting every engagement figure again from the rows (`manage.py recount_engagement`).

The figures are kept on write (`rollups.py`); this repairs them after what the domain
functions did not see — rows loaded in bulk, an organisation moved in the tree, a restore
of part of the data. It reads every contribution, finding and response once, by
consultation, and rewrites the counters in one transaction: pages read either the old figures
or the new ones, never half. A worker's or an operator's job, never a request's.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Min, Q, Sum

from innohub.core.models import ids_in_path

from .models import (
    CHANNELS,
    Consultation,
    ConsultationArea,
    Contribution,
    Finding,
    OrganisationArea,
    OrganisationEngagement,
)

COUNTERS = (
    "contributions",
    *CHANNELS,
    "satisfaction_n",
    "satisfaction_sum",
    "findings",
    "findings_with_response",
)


@dataclass
class Recounted:
    consultations: int = 0
    changed: int = 0  # consultations whose stored figures were wrong
    organisations: int = 0


def _figures(consultation: Consultation) -> tuple[dict[str, int], Counter[str], Counter[int]]:
    """A consultation's counters, its findings by days to respond, and its contributions by
    area, from its rows."""
    contributions = Contribution.objects.filter(consultation=consultation)
    totals = contributions.aggregate(
        contributions=Count("pk"),
        satisfaction_n=Count("pk", filter=Q(satisfaction__isnull=False)),
        satisfaction_sum=Sum("satisfaction", default=0),
        **{channel: Count("pk", filter=Q(channel=channel)) for channel in CHANNELS},
    )
    days: Counter[str] = Counter()
    findings = 0
    for finding in Finding.objects.filter(consultation=consultation).annotate(
        first=Min("responses__responded_on"), evidence_n=Count("evidence", distinct=True)
    ):
        findings += 1
        after = None if finding.first is None else (finding.first - consultation.closes_on).days
        if (finding.first_responded_on, finding.days_to_response, finding.evidence_count) != (
            finding.first,
            after,
            finding.evidence_n,
        ):
            Finding.objects.filter(pk=finding.pk).update(
                first_responded_on=finding.first,
                days_to_response=after,
                evidence_count=finding.evidence_n,
            )
        if after is not None:
            days[str(after)] += 1
    counts: dict[str, int] = {
        **{name: int(value) for name, value in totals.items()},
        "findings": findings,
        "findings_with_response": sum(days.values()),
    }
    areas: Counter[int] = Counter(
        dict(
            contributions.filter(area__isnull=False)
            .values("area")
            .annotate(n=Count("pk"))
            .values_list("area", "n")
        )
    )
    return counts, days, areas


def _is_stored(consultation: Consultation, counts: dict[str, int], days: Counter[str]) -> bool:
    return all(getattr(consultation, name) == counts[name] for name in COUNTERS) and (
        dict(consultation.response_days) == dict(days)
    )


@transaction.atomic
def recount(*, write: bool = True) -> Recounted:
    """Count every consultation's and organisation's figures again; with `write` False,
    only say how many consultations are wrong."""
    done = Recounted()
    per_organisation: dict[int, Counter[str]] = defaultdict(Counter)
    per_organisation_days: dict[int, Counter[str]] = defaultdict(Counter)
    per_organisation_area: dict[tuple[int, int], int] = Counter()
    consultation_areas: list[ConsultationArea] = []
    for consultation in Consultation.objects.select_related("organisation").iterator(
        chunk_size=500
    ):
        counts, days, areas = _figures(consultation)
        done.consultations += 1
        if not _is_stored(consultation, counts, days):
            done.changed += 1
            if write:
                Consultation.objects.filter(pk=consultation.pk).update(
                    response_days=dict(days), **counts
                )
        consultation_areas += [
            ConsultationArea(consultation_id=consultation.pk, area_id=area, contributions=n)
            for area, n in areas.items()
        ]
        for organisation in ids_in_path(consultation.organisation.path):
            per_organisation[organisation]["consultations"] += 1
            per_organisation[organisation].update(counts)
            per_organisation_days[organisation].update(days)
            for area, n in areas.items():
                per_organisation_area[(organisation, area)] += n
    done.organisations = len(per_organisation)
    if not write:
        return done
    ConsultationArea.objects.all().delete()
    ConsultationArea.objects.bulk_create(consultation_areas, batch_size=2_000)
    OrganisationEngagement.objects.all().delete()
    OrganisationEngagement.objects.bulk_create(
        [
            OrganisationEngagement(
                organisation_id=organisation,
                response_days=dict(per_organisation_days[organisation]),
                **counts,
            )
            for organisation, counts in per_organisation.items()
        ],
        batch_size=2_000,
    )
    OrganisationArea.objects.all().delete()
    OrganisationArea.objects.bulk_create(
        [
            OrganisationArea(organisation_id=organisation, area_id=area, contributions=n)
            for (organisation, area), n in per_organisation_area.items()
        ],
        batch_size=2_000,
    )
    return done
