"""The KPIs' counters, kept in the transaction of the write that changes what they count
(docs/api.md, "Citizen engagement"): on the consultation, and on its organisation and every
organisation above it (so a ministry's figures are one row). Each change is one UPDATE with
`F()` per table — concurrent writers add up, never overwrite — except the histogram of days
to respond, changed under a row lock (findings and responses are officers' writes, few).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F

from innohub.core.models import ids_in_path

from .models import (
    Consultation,
    ConsultationArea,
    OrganisationArea,
    OrganisationEngagement,
)


def _organisation_ids(consultation: Consultation) -> list[int]:
    return ids_in_path(consultation.organisation.path)


def _rows_for(organisation_ids: Iterable[int]) -> None:
    OrganisationEngagement.objects.bulk_create(
        [OrganisationEngagement(organisation_id=pk) for pk in organisation_ids],
        ignore_conflicts=True,
    )


def consultation_created(consultation: Consultation) -> None:
    ids = _organisation_ids(consultation)
    _rows_for(ids)
    OrganisationEngagement.objects.filter(organisation_id__in=ids).update(
        consultations=F("consultations") + 1
    )


def contribution_added(
    consultation: Consultation, *, channel: str, area_id: int | None, satisfaction: int | None
) -> None:
    """One more contribution in `channel`, from `area_id`, with its satisfaction."""
    changes = {"contributions": F("contributions") + 1, channel: F(channel) + 1}
    if satisfaction is not None:
        changes["satisfaction_n"] = F("satisfaction_n") + 1
        changes["satisfaction_sum"] = F("satisfaction_sum") + satisfaction
    ids = _organisation_ids(consultation)
    Consultation.objects.filter(pk=consultation.pk).update(**changes)
    _rows_for(ids)
    OrganisationEngagement.objects.filter(organisation_id__in=ids).update(**changes)
    if area_id is None:
        return
    ConsultationArea.objects.bulk_create(
        [ConsultationArea(consultation_id=consultation.pk, area_id=area_id)],
        ignore_conflicts=True,
    )
    ConsultationArea.objects.filter(consultation_id=consultation.pk, area_id=area_id).update(
        contributions=F("contributions") + 1
    )
    OrganisationArea.objects.bulk_create(
        [OrganisationArea(organisation_id=pk, area_id=area_id) for pk in ids],
        ignore_conflicts=True,
    )
    OrganisationArea.objects.filter(organisation_id__in=ids, area_id=area_id).update(
        contributions=F("contributions") + 1
    )


def finding_added(consultation: Consultation) -> None:
    Consultation.objects.filter(pk=consultation.pk).update(findings=F("findings") + 1)
    ids = _organisation_ids(consultation)
    _rows_for(ids)
    OrganisationEngagement.objects.filter(organisation_id__in=ids).update(
        findings=F("findings") + 1
    )


def response_days_changed(consultation: Consultation, *, before: int | None, after: int) -> None:
    """A finding's days to its first response became `after` (`before`: None when it had no
    response until now, which makes it one more finding with a response)."""
    ids = _organisation_ids(consultation)
    _rows_for(ids)
    rows: list[Consultation | OrganisationEngagement] = [
        *Consultation.objects.select_for_update().filter(pk=consultation.pk),
        *OrganisationEngagement.objects.select_for_update().filter(organisation_id__in=ids),
    ]
    for row in rows:
        days = dict(row.response_days)
        if before is not None:
            left = days.get(str(before), 0) - 1
            if left > 0:
                days[str(before)] = left
            else:
                days.pop(str(before), None)
        days[str(after)] = days.get(str(after), 0) + 1
        more = 0 if before is not None else 1
        # An UPDATE, not save(): no history row for a counter, no other field rewritten.
        type(row).objects.filter(pk=row.pk).update(
            response_days=days, findings_with_response=F("findings_with_response") + more
        )
