"""Roll-ups the national figures are read from (docs/api.md, "Insights"), kept current as the
data changes (`rollups.py`): one `Standing` per pair of organisation and area that pilots,
ideas or trained people count in, and one `MonthFigures` per pair and month with what
happened in it. A figure for a tree node sums the rows of the pairs below it — a few
thousand rows nationally, never the pilots, ideas or people themselves.

A pair's organisation or area may be empty (an idea whose proposer named none); such rows
count in the national figure and in filters on the other tree only.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from innohub.core.jobs import Job, JobStatus
from innohub.core.models import TimeStamped
from innohub.core.units import MONEY_DIGITS, MONEY_PLACES
from innohub.geo.models import Area
from innohub.orgs.models import Organisation

# Sums of many pilots' money: room for a nation's.
TOTAL_DIGITS = MONEY_DIGITS + 4


def pair_key(organisation_id: int | None, area_id: int | None) -> str:
    return f"{organisation_id or '-'}/{area_id or '-'}"


class Standing(models.Model):
    """Where things stand in one pair: counts and sums as of now."""

    key = models.CharField(max_length=48, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    trained = models.PositiveIntegerField(_("trained"), default=0)
    ideas = models.PositiveIntegerField(_("ideas"), default=0)
    # Pilots not started yet (not in the funnel's `pilots`; the monthly review shows them).
    draft = models.PositiveIntegerField(_("draft"), default=0)
    submitted = models.PositiveIntegerField(_("submitted"), default=0)
    approved = models.PositiveIntegerField(_("approved"), default=0)
    ongoing = models.PositiveIntegerField(_("ongoing"), default=0)
    completed = models.PositiveIntegerField(_("completed"), default=0)
    discontinued = models.PositiveIntegerField(_("discontinued"), default=0)
    replicated = models.PositiveIntegerField(_("replicated"), default=0)
    scaled = models.PositiveIntegerField(_("scaled"), default=0)
    citizens_reached = models.PositiveBigIntegerField(_("citizens reached"), default=0)
    budget = models.DecimalField(
        _("budget"), max_digits=TOTAL_DIGITS, decimal_places=MONEY_PLACES, default=Decimal(0)
    )
    spent = models.DecimalField(
        _("spent"), max_digits=TOTAL_DIGITS, decimal_places=MONEY_PLACES, default=Decimal(0)
    )
    other_currency_pilots = models.PositiveIntegerField(_("pilots in another currency"), default=0)
    refreshed = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("standing of a place")
        verbose_name_plural = _("standings of places")

    def __str__(self) -> str:
        return self.key


class Flows(models.Model):
    """What happened in a month: each event counted in the month of its date."""

    trained = models.PositiveIntegerField(_("trained"), default=0)
    ideas = models.PositiveIntegerField(_("ideas"), default=0)
    pilots_started = models.PositiveIntegerField(_("pilots started"), default=0)
    completed = models.PositiveIntegerField(_("pilots completed"), default=0)
    replications = models.PositiveIntegerField(_("replications"), default=0)
    scale_ups = models.PositiveIntegerField(_("scale-ups"), default=0)

    class Meta:
        abstract = True


class MonthFigures(Flows):
    """What happened in one pair in one month (the first of the month), by each event's date."""

    key = models.CharField(max_length=48, editable=False)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("month"))

    class Meta:
        verbose_name = _("month's figures of a place")
        verbose_name_plural = _("months' figures of places")
        constraints = [models.UniqueConstraint(fields=["key", "month"], name="one_month_a_pair")]
        indexes = [models.Index(fields=["month"], name="month_figures_month")]

    def __str__(self) -> str:
        return f"{self.key} {self.month:%Y-%m}"


class NationalMonth(Flows):
    """The nation's figures of one month: the sum of every pair's `MonthFigures` of that
    month, kept in step with them (`rollups.refresh` adds what a pair's recount changed, in
    the same transaction), so that the national trend reads one row a month however many
    places count."""

    month = models.DateField(_("month"), unique=True)

    class Meta:
        verbose_name = _("nation's month")
        verbose_name_plural = _("nation's months")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


# --- Action plans (docs/api.md, "Insights"; SETTLED.md, "Action plans") ----------------------


class Measure(models.TextChoices):
    """What a KPI counts: computed from innohub's data for the organisation and everything
    below it, for events dated within the plan's dates and not after today — or `manual`,
    entered with evidence."""

    SHOWCASES_HELD = "showcases_held", _("Showcases held")
    PILOTS_COMPLETED = "pilots_completed", _("Pilots completed")
    PILOTS_STARTED = "pilots_started", _("Pilots started")
    OFFICERS_TRAINED = "officers_trained", _("Officers trained")
    REPLICATIONS_STARTED = "replications_started", _("Replications started")
    CITIZEN_DAYS_SAVED = "citizen_days_saved", _("Citizen-days saved a year")
    MANUAL = "manual", _("Entered with evidence")


class ActionPlan(TimeStamped):
    """An organisation's innovation targets for a period (usually a ministry's year), scored
    out of 100 from its KPIs' weights and achievements (`plans.py`)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="action_plans",
    )
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "organisation__name", "id"]
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        indexes = [models.Index(fields=["starts_on", "id"], name="actionplan_period")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="actionplan_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Kpi(models.Model):
    """One target of a plan: what it measures, the target, its weight out of 100 and — for a
    manual measure — the actual figure with its evidence."""

    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("action plan"), on_delete=models.CASCADE, related_name="kpis"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=200)
    measure = models.CharField(_("measure"), max_length=24, choices=Measure.choices)
    target = models.DecimalField(_("target"), max_digits=MONEY_DIGITS, decimal_places=2)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2)
    actual = models.DecimalField(
        _("actual"), max_digits=MONEY_DIGITS, decimal_places=2, null=True, blank=True
    )
    evidence = models.TextField(_("evidence"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position", "id"]
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        constraints = [
            models.CheckConstraint(condition=models.Q(target__gt=0), name="kpi_target_positive"),
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="kpi_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.name


# --- Monthly reviews ---------------------------------------------------------------------------


class MonthlyReport(Job):
    """The monthly review of one organisation (a ministry) or of the nation (`organisation`
    empty) for one month, made by the worker into a PDF and a spreadsheet (`reports.py`).
    Asked for by a person (`by`) or made on the 1st for the month before (`by` empty).
    Reports are the cabinet's archive: their figures and files are kept."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="monthly_reports",
    )
    month = models.DateField(_("month"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The language the report is written in: the asker's, or the deployment's on the 1st.
    language = models.CharField(_("language"), max_length=8, default="en")
    figures = models.JSONField(_("figures"), default=dict, blank=True, editable=False)
    pdf_path = models.CharField(_("PDF"), max_length=500, blank=True, editable=False)
    xlsx_path = models.CharField(_("spreadsheet"), max_length=500, blank=True, editable=False)

    class Meta:
        ordering = ["-month", "-id"]
        verbose_name = _("monthly review")
        verbose_name_plural = _("monthly reviews")
        indexes = [
            models.Index(fields=["status", "lease_until"], name="monthlyreport_lease"),
            models.Index(fields=["-month", "-id"], name="monthlyreport_newest"),
            models.Index(fields=["organisation", "-month", "-id"], name="monthlyreport_org"),
        ]

    def __str__(self) -> str:
        place = self.organisation.name if self.organisation is not None else _("National")
        return f"{place} {self.month:%Y-%m}"

    @property
    def downloadable(self) -> bool:
        return self.status == JobStatus.DONE and bool(self.pdf_path)

    def file_name(self, extension: str) -> str:
        place = f"organisation-{self.organisation_id}" if self.organisation_id else "national"
        return f"monthly-review-{self.month:%Y-%m}-{place}-{self.pk}.{extension}"

    def ended(self) -> None:
        """A failed report leaves no files (a done one keeps them: the archive)."""
        if self.status != JobStatus.DONE:
            for path in (self.pdf_path, self.xlsx_path):
                if path:
                    Path(path).unlink(missing_ok=True)
