"""Citizen engagement (docs/api.md, "Citizen engagement"): a consultation on a service or a
policy, what citizens said in it (online, or taken by an officer face to face, by phone or
at a digital centre), what the organisation heard in it (findings, each with its evidence)
and what it did about them (responses, linked to a pilot, a service change or a policy).

The KPIs are kept on write, in the transaction that changes what they count: counters on
the consultation, on its organisation and every organisation above it
(`OrganisationEngagement`), and reach by area (`ConsultationArea`, `OrganisationArea`) —
so that no page counts contributions to draw a figure.

Personal data (MODEL.md, "Rules that cut across"): a contribution keeps a name or a way to
reach the citizen only when they give one and agree to it being kept; the worker erases
those fields once the consultation's retention period has passed (`retention.py`). Names and
contacts are never in the history tables and never in open data.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from innohub.core.jobs import Job
from innohub.core.models import TimeStamped
from innohub.geo.models import Area
from innohub.orgs.models import Organisation
from innohub.pipeline.models import Pilot
from innohub.services.models import Service

from .limits import (
    CONTACT_MAX,
    NAME_MAX,
    RETENTION_DAYS_MAX,
    RETENTION_DAYS_MIN,
    SATISFACTION_MAX,
    SATISFACTION_MIN,
    TITLE_MAX,
)


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    FACE_TO_FACE = "face_to_face", _("Face to face")
    PHONE = "phone", _("By phone")
    DIGITAL_CENTRE = "digital_centre", _("At a digital centre")


CHANNELS = [choice.value for choice in Channel]
# Channels an officer enters for a citizen met there (online is the citizen's own form).
OFFICER_CHANNELS = [Channel.FACE_TO_FACE, Channel.PHONE, Channel.DIGITAL_CENTRE]


class ConsultationStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Not open yet")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


def default_retention_days() -> int:
    return int(getattr(settings, "ENGAGEMENT_RETENTION_DAYS", 365))


class Counts(models.Model):
    """What a consultation and an organisation count alike, kept on write."""

    contributions = models.PositiveIntegerField(_("contributions"), default=0, editable=False)
    online = models.PositiveIntegerField(_("online"), default=0, editable=False)
    face_to_face = models.PositiveIntegerField(_("face to face"), default=0, editable=False)
    phone = models.PositiveIntegerField(_("by phone"), default=0, editable=False)
    digital_centre = models.PositiveIntegerField(
        _("at a digital centre"), default=0, editable=False
    )
    satisfaction_n = models.PositiveIntegerField(default=0, editable=False)
    satisfaction_sum = models.PositiveIntegerField(default=0, editable=False)
    findings = models.PositiveIntegerField(_("findings"), default=0, editable=False)
    findings_with_response = models.PositiveIntegerField(
        _("findings with a response"), default=0, editable=False
    )
    # Findings with a response by their days to the first one ({"12": 3, "-2": 1}): the
    # median is read from it without reading the findings.
    response_days = models.JSONField(default=dict, editable=False)

    class Meta:
        abstract = True


class Consultation(Counts, TimeStamped):
    """A question put to citizens about a service or a policy, open between two days, in
    some channels."""

    title = models.CharField(_("title"), max_length=TITLE_MAX)
    question = models.TextField(_("question"))
    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    channels = models.JSONField(_("channels"), default=list)
    retention_days = models.PositiveSmallIntegerField(
        _("days personal data is kept"),
        default=default_retention_days,
        validators=[MinValueValidator(RETENTION_DAYS_MIN), MaxValueValidator(RETENTION_DAYS_MAX)],
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="consultations_created",
    )

    history = HistoricalRecords(
        excluded_fields=[
            "contributions", "online", "face_to_face", "phone", "digital_centre",
            "satisfaction_n", "satisfaction_sum", "findings", "findings_with_response",
            "response_days",
        ]
    )  # fmt: skip

    class Meta:
        ordering = ["-opens_on", "-id"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        indexes = [
            models.Index(fields=["-opens_on", "-id"], name="consultation_newest"),
            models.Index(fields=["organisation", "-opens_on", "-id"], name="consultation_org"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="consultation_closes_after_it_opens",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def status_on(self, day: datetime.date) -> str:
        if day < self.opens_on:
            return ConsultationStatus.UPCOMING
        if day > self.closes_on:
            return ConsultationStatus.CLOSED
        return ConsultationStatus.OPEN

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    @property
    def is_open(self) -> bool:
        return self.status == ConsultationStatus.OPEN

    def channel_labels(self) -> list[str]:
        labels = dict(Channel.choices)
        return [str(labels.get(channel, channel)) for channel in self.channels]


class Finding(TimeStamped):
    """What the organisation heard ("what we heard"), made from contributions: its evidence."""

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="finding_set",
    )
    title = models.CharField(_("what we heard"), max_length=TITLE_MAX)
    evidence_count = models.PositiveIntegerField(_("contributions"), default=0, editable=False)
    # The first response's day, and its days after the consultation closed (negative before).
    first_responded_on = models.DateField(null=True, blank=True, editable=False)
    days_to_response = models.IntegerField(null=True, blank=True, editable=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["evidence_count"])

    class Meta:
        ordering = ["consultation", "id"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return self.title


class ResponseKind(models.TextChoices):
    PILOT = "pilot", _("A pilot")
    SERVICE_CHANGE = "service_change", _("A change to the service")
    POLICY = "policy", _("A policy")


class Response(TimeStamped):
    """What the organisation did about a finding ("what we did")."""

    finding = models.ForeignKey(
        Finding, verbose_name=_("finding"), on_delete=models.CASCADE, related_name="responses"
    )
    text = models.TextField(_("what we did"))
    kind = models.CharField(
        _("kind"), max_length=16, choices=ResponseKind.choices, default=ResponseKind.SERVICE_CHANGE
    )
    responded_on = models.DateField(_("responded on"))
    pilot = models.ForeignKey(
        Pilot,
        verbose_name=_("pilot"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="engagement_responses",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["finding", "responded_on", "id"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return self.text[:80]


class Contribution(models.Model):
    """What one citizen said in a consultation, in one channel. `name` and `contact` are kept
    only with `consent`, until `erase_after`; `words` are the text's words for grouping."""

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="contributions_set",
    )
    text = models.TextField(_("what the citizen said"))
    words = models.TextField(blank=True, editable=False)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"),
        null=True,
        blank=True,
        validators=[MinValueValidator(SATISFACTION_MIN), MaxValueValidator(SATISFACTION_MAX)],
    )
    name = models.CharField(_("name"), max_length=NAME_MAX, blank=True)
    contact = models.CharField(_("phone or e-mail"), max_length=CONTACT_MAX, blank=True)
    consent = models.BooleanField(_("agreed to their name and contact being kept"), default=False)
    erase_after = models.DateField(_("personal data erased after"), null=True, blank=True)
    erased_on = models.DateField(_("personal data erased on"), null=True, blank=True)
    finding = models.ForeignKey(
        Finding,
        verbose_name=_("finding"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evidence",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(_("received"), auto_now_add=True)

    # Names and contacts stay out of history: erasing them must leave no copy behind.
    history = HistoricalRecords(excluded_fields=["name", "contact", "words"])

    class Meta:
        ordering = ["-id"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        indexes = [
            models.Index(fields=["consultation", "-id"], name="contribution_newest"),
            models.Index(fields=["consultation", "finding", "-id"], name="contribution_unfiled"),
            models.Index(
                fields=["erase_after"],
                condition=models.Q(erase_after__isnull=False),
                name="contribution_to_erase",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(satisfaction__isnull=True)
                | models.Q(satisfaction__gte=SATISFACTION_MIN, satisfaction__lte=SATISFACTION_MAX),
                name="contribution_satisfaction_1_to_5",
            ),
            # Personal fields only with consent (and so with a day they are erased after).
            models.CheckConstraint(
                condition=(models.Q(name="") & models.Q(contact=""))
                | models.Q(consent=True, erase_after__isnull=False),
                name="contribution_personal_data_with_consent",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def has_personal_data(self) -> bool:
        return bool(self.name or self.contact)


class OrganisationEngagement(Counts):
    """An organisation's engagement figures, its whole tree below included, kept on write."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="engagement"
    )
    consultations = models.PositiveIntegerField(_("consultations"), default=0, editable=False)

    class Meta:
        verbose_name = _("engagement figures of an organisation")
        verbose_name_plural = _("engagement figures of organisations")

    def __str__(self) -> str:
        return str(self.organisation)


class ConsultationArea(models.Model):
    """Contributions to a consultation from one area (as given), kept on write."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="areas_reached"
    )
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    contributions = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consultation", "area"], name="consultation_area_once")
        ]
        indexes = [
            models.Index(fields=["consultation", "-contributions"], name="consultation_area_most")
        ]

    def __str__(self) -> str:
        return f"{self.consultation_id} {self.area_id}: {self.contributions}"


class OrganisationArea(models.Model):
    """Contributions to an organisation's consultations (its tree's) from one area."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    contributions = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "area"], name="organisation_area_once")
        ]
        indexes = [
            models.Index(fields=["organisation", "-contributions"], name="organisation_area_most")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.area_id}: {self.contributions}"


class ContributionQuota(models.Model):
    """Unsigned contributions a client address sent in one clock hour (the rate limit,
    `quota.py`). The address is kept only as a keyed hash, and rows an hour old go."""

    client = models.CharField(max_length=64)
    hour = models.DateTimeField()
    sent = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "hour"], name="contribution_quota_once")
        ]
        indexes = [models.Index(fields=["hour"], name="contribution_quota_hour")]

    def __str__(self) -> str:
        return f"{self.hour:%Y-%m-%d %H}h: {self.sent}"


class Erasure(Job):
    """The worker's erasure of the personal data due on or before `due_on` (`retention.py`):
    queued once a day by the schedule; `rows_done` counts the contributions erased."""

    due_on = models.DateField(_("due on"))

    class Meta:
        ordering = ["-due_on", "-id"]
        verbose_name = _("erasure of personal data")
        verbose_name_plural = _("erasures of personal data")
        indexes = [models.Index(fields=["status", "lease_until"], name="erasure_lease")]

    def __str__(self) -> str:
        return str(self.due_on)


def channel_counts(counts: Counts | Any) -> dict[str, int]:
    """Contributions by channel, every channel named."""
    return {channel: int(getattr(counts, channel)) for channel in CHANNELS}
