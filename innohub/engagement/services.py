"""The writes of citizen engagement (docs/api.md, "Citizen engagement"): keyword-only, each
one transaction with the KPI counters it changes (`rollups.py`). A wrong value is a
ValidationError keyed by field (all of them at once), a person who may not act
PermissionDenied, a contribution outside the consultation's dates Conflict (409), one
contribution too many from one address RateLimited (429)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from innohub.core.errors import Conflict
from innohub.core.text import collect_text
from innohub.core.words import words
from innohub.geo.models import Area
from innohub.orgs.models import Organisation
from innohub.pipeline.models import Pilot
from innohub.services.models import Service

from . import quota, rollups
from .limits import (
    CONTACT_MAX,
    EVIDENCE_MAX,
    NAME_MAX,
    QUESTION_MAX,
    RETENTION_DAYS_MAX,
    RETENTION_DAYS_MIN,
    SATISFACTION_MAX,
    SATISFACTION_MIN,
    TEXT_MAX,
    TITLE_MAX,
)
from .models import (
    CHANNELS,
    Channel,
    Consultation,
    ConsultationStatus,
    Contribution,
    Finding,
    Response,
    ResponseKind,
    default_retention_days,
)

if TYPE_CHECKING:
    from innohub.accounts.models import User


def _refuse(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def channels_error(channels: Any) -> str:
    if not isinstance(channels, list | tuple) or not channels:
        return _("Choose at least one channel.")
    unknown = [str(channel) for channel in channels if channel not in CHANNELS]
    if unknown:
        return _("Unknown channel %(channel)s: choose from %(channels)s.") % {
            "channel": unknown[0],
            "channels": ", ".join(CHANNELS),
        }
    return ""


def _consultation_values(
    *,
    title: Any,
    question: Any,
    opens_on: datetime.date,
    closes_on: datetime.date,
    channels: Any,
    retention_days: int | None,
) -> dict[str, Any]:
    """A consultation's own fields, checked together: every refusal at once."""
    errors: dict[str, str] = {}
    title = collect_text(errors, title, "title", max_length=TITLE_MAX, required=True)
    question = collect_text(errors, question, "question", max_length=QUESTION_MAX, required=True)
    if message := channels_error(channels):
        errors["channels"] = message
    if closes_on < opens_on:
        errors["closes_on"] = _("A consultation closes on or after the day it opens.")
    if retention_days is None:
        retention_days = default_retention_days()
    if not RETENTION_DAYS_MIN <= retention_days <= RETENTION_DAYS_MAX:
        errors["retention_days"] = _("Between %(least)d and %(most)d days.") % {
            "least": RETENTION_DAYS_MIN,
            "most": RETENTION_DAYS_MAX,
        }
    _refuse(errors)
    return {
        "title": title,
        "question": question,
        "opens_on": opens_on,
        "closes_on": closes_on,
        "channels": [channel for channel in CHANNELS if channel in channels],
        "retention_days": retention_days,
    }


@transaction.atomic
def create_consultation(
    *,
    by: User,
    title: str,
    question: str,
    organisation: Organisation,
    opens_on: datetime.date,
    closes_on: datetime.date,
    channels: list[str],
    service: Service | None = None,
    retention_days: int | None = None,
) -> Consultation:
    """A consultation of `organisation` (its officers, teams and programme managers, and
    administrators: PermissionDenied otherwise). Refuses an empty title or question, no or
    unknown channels, a close before the opening, a retention outside 1 to 3,650 days."""
    if not by.has_perm("engagement.add_consultation", organisation):
        raise PermissionDenied(
            _("Only the organisation's officers, teams and programme managers consult for it.")
        )
    values = _consultation_values(
        title=title,
        question=question,
        opens_on=opens_on,
        closes_on=closes_on,
        channels=channels,
        retention_days=retention_days,
    )
    consultation = Consultation.objects.create(
        organisation=organisation, service=service, by=by, **values
    )
    rollups.consultation_created(consultation)
    return consultation


@transaction.atomic
def update_consultation(
    *,
    by: User,
    consultation: Consultation,
    title: str,
    question: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    channels: list[str],
    service: Service | None = None,
    retention_days: int | None = None,
) -> Consultation:
    """Change what a consultation asks, its dates, channels, service and retention (its
    organisation stays: its figures are counted there). The closing day is settled once a
    finding has a response, since the time to respond is counted from it (409). A new
    retention applies to contributions given after it: each keeps what its citizen agreed."""
    if not by.has_perm("engagement.change_consultation", consultation):
        raise PermissionDenied(
            _("Only the organisation's officers, teams and programme managers consult for it.")
        )
    values = _consultation_values(
        title=title,
        question=question,
        opens_on=opens_on,
        closes_on=closes_on,
        channels=channels,
        retention_days=retention_days,
    )
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if values["closes_on"] != locked.closes_on and locked.findings_with_response:
        raise Conflict(_("The closing day is settled: the time to respond is counted from it."))
    for name, value in {**values, "service": service}.items():
        setattr(locked, name, value)
    locked.save()
    return locked


def satisfaction_error(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int):
        return _("Give a whole number from 1 to 5.")
    if not SATISFACTION_MIN <= value <= SATISFACTION_MAX:
        return _("Give a whole number from 1 to 5.")
    return ""


def _dates_conflict(consultation: Consultation, today: datetime.date, *, online: bool) -> None:
    status = consultation.status_on(today)
    if status == ConsultationStatus.UPCOMING:
        raise Conflict(
            _("This consultation opens on %(day)s.") % {"day": consultation.opens_on.isoformat()}
        )
    if online and status == ConsultationStatus.CLOSED:
        raise Conflict(
            _("This consultation closed on %(day)s.") % {"day": consultation.closes_on.isoformat()}
        )


@transaction.atomic
def contribute(
    *,
    consultation: Consultation,
    text: str,
    channel: str,
    by: User | None = None,
    client: str | None = None,
    area: Area | None = None,
    satisfaction: int | None = None,
    name: str = "",
    contact: str = "",
    consent: bool = False,
    today: datetime.date | None = None,
) -> Contribution:
    """What a citizen said. Online: anyone (`by` None for a citizen without an account),
    while the consultation is open (Conflict before and after); unsigned contributions count
    against `client`'s hourly limit (RateLimited). Another channel: an officer of the
    consultation (`engagement.add_contribution`) enters the words of a citizen met there, from
    the day it opens (after the close too: words taken on paper are typed later).

    The channel must be one of the consultation's; `satisfaction` 1 to 5 or None. A name or a
    contact is kept only with `consent` (422 naming `consent`), and erased by the worker
    `retention_days` after today."""
    today = today or timezone.localdate()
    online = channel == Channel.ONLINE
    if (
        not online
        and channel in CHANNELS
        and (by is None or not by.has_perm("engagement.add_contribution", consultation))
    ):
        raise PermissionDenied(
            _("Only the consultation's officers enter what citizens said in this channel.")
        )
    errors: dict[str, str] = {}
    text = collect_text(errors, text, "text", max_length=TEXT_MAX, required=True)
    if channel not in CHANNELS:
        errors["channel"] = _("Choose one of %(channels)s.") % {"channels": ", ".join(CHANNELS)}
    elif channel not in consultation.channels:
        errors["channel"] = _("This consultation takes contributions in %(channels)s.") % {
            "channels": ", ".join(consultation.channel_labels())
        }
    if message := satisfaction_error(satisfaction):
        errors["satisfaction"] = message
    name = collect_text(errors, name or "", "name", max_length=NAME_MAX)
    contact = collect_text(errors, contact or "", "contact", max_length=CONTACT_MAX)
    if (name or contact) and consent is not True:
        errors["consent"] = _(
            "Tick that you agree to your name and contact being kept, or leave them empty."
        )
    _refuse(errors)
    _dates_conflict(consultation, today, online=online)
    if online and by is None:
        quota.take(client)
    personal = bool(name or contact)
    contribution = Contribution.objects.create(
        consultation=consultation,
        text=text,
        words=" ".join(words(text)),
        channel=channel,
        area=area,
        satisfaction=satisfaction,
        name=name,
        contact=contact,
        consent=bool(consent) and personal,
        erase_after=today + datetime.timedelta(days=consultation.retention_days)
        if personal
        else None,
        entered_by=None if online else by,
    )
    rollups.contribution_added(
        consultation,
        channel=channel,
        area_id=area.pk if area is not None else None,
        satisfaction=satisfaction,
    )
    return contribution


def _evidence(
    consultation: Consultation, ids: list[int], *, field: str = "contributions"
) -> list[Contribution]:
    """The contributions `ids` of `consultation` not yet in a finding, locked; 422 naming each
    one that is not."""
    if not ids:
        raise ValidationError({field: _("Choose at least one contribution: its evidence.")})
    if len(ids) > EVIDENCE_MAX:
        raise ValidationError({field: _("At most %(n)d at once.") % {"n": EVIDENCE_MAX}})
    found = {
        row.pk: row
        for row in Contribution.objects.select_for_update().filter(
            pk__in=ids, consultation=consultation
        )
    }
    errors: dict[str, str] = {}
    for index, pk in enumerate(ids):
        row = found.get(pk)
        if row is None:
            errors[f"{field}.{index}"] = _(
                "No contribution to this consultation has the id %(id)s."
            ) % {"id": pk}
        elif row.finding_id is not None:
            errors[f"{field}.{index}"] = _(
                "Contribution %(id)s is already the evidence of another finding."
            ) % {"id": pk}
    _refuse(errors)
    return [found[pk] for pk in dict.fromkeys(ids)]


@transaction.atomic
def create_finding(
    *, by: User, consultation: Consultation, title: str, contributions: list[int]
) -> Finding:
    """What was heard, made from contributions of the consultation that are in no finding
    yet (each becomes its evidence). The consultation's officers (PermissionDenied)."""
    if not by.has_perm("engagement.add_finding", consultation):
        raise PermissionDenied(_("Only the consultation's officers write its findings."))
    errors: dict[str, str] = {}
    title = collect_text(errors, title, "title", max_length=TITLE_MAX, required=True)
    _refuse(errors)
    evidence = _evidence(consultation, list(contributions))
    finding = Finding.objects.create(
        consultation=consultation, title=title, by=by, evidence_count=len(evidence)
    )
    Contribution.objects.filter(pk__in=[row.pk for row in evidence]).update(finding=finding)
    rollups.finding_added(consultation)
    return finding


@transaction.atomic
def add_evidence(*, by: User, finding: Finding, contributions: list[int]) -> Finding:
    """More contributions of the finding's consultation as its evidence."""
    consultation = finding.consultation
    if not by.has_perm("engagement.add_finding", consultation):
        raise PermissionDenied(_("Only the consultation's officers write its findings."))
    evidence = _evidence(consultation, list(contributions))
    Contribution.objects.filter(pk__in=[row.pk for row in evidence]).update(finding=finding)
    finding.evidence_count = Contribution.objects.filter(finding=finding).count()
    Finding.objects.filter(pk=finding.pk).update(evidence_count=finding.evidence_count)
    return finding


@transaction.atomic
def respond(
    *,
    by: User,
    finding: Finding,
    text: str,
    responded_on: datetime.date,
    pilot: Pilot | None = None,
    kind: str | None = None,
    today: datetime.date | None = None,
) -> Response:
    """What was done about a finding: a pilot, a change to the service or a policy (a pilot
    named makes it `pilot`). `responded_on` may not be in the future. The first response of a
    finding (the earliest `responded_on`) sets its days to respond, counted from the
    consultation's close."""
    consultation = finding.consultation
    if not by.has_perm("engagement.add_response", consultation):
        raise PermissionDenied(_("Only the consultation's officers write its responses."))
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    text = collect_text(errors, text, "text", max_length=TEXT_MAX, required=True)
    if responded_on > today:
        errors["responded_on"] = _("A response is recorded once it is made: not in the future.")
    if pilot is not None:
        kind = ResponseKind.PILOT
    elif kind is None:
        kind = ResponseKind.SERVICE_CHANGE
    if kind not in ResponseKind.values:
        errors["kind"] = _("Choose one of %(kinds)s.") % {"kinds": ", ".join(ResponseKind.values)}
    elif kind == ResponseKind.PILOT and pilot is None:
        errors["pilot"] = _("Name the pilot this finding led to.")
    _refuse(errors)
    locked = Finding.objects.select_for_update().get(pk=finding.pk)
    response = Response.objects.create(
        finding=locked, text=text, kind=kind, responded_on=responded_on, pilot=pilot, by=by
    )
    first = locked.first_responded_on
    if first is None or responded_on < first:
        days = (responded_on - consultation.closes_on).days
        rollups.response_days_changed(consultation, before=locked.days_to_response, after=days)
        Finding.objects.filter(pk=locked.pk).update(
            first_responded_on=responded_on, days_to_response=days
        )
        finding.first_responded_on, finding.days_to_response = responded_on, days
    return response
