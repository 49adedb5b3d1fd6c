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

from django.db import models
from django.utils.translation import gettext_lazy as _

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


class MonthFigures(models.Model):
    """What happened in one pair in one month (the first of the month), by each event's date."""

    key = models.CharField(max_length=48, editable=False)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("month"))
    trained = models.PositiveIntegerField(_("trained"), default=0)
    ideas = models.PositiveIntegerField(_("ideas"), default=0)
    pilots_started = models.PositiveIntegerField(_("pilots started"), default=0)
    completed = models.PositiveIntegerField(_("pilots completed"), default=0)
    replications = models.PositiveIntegerField(_("replications"), default=0)
    scale_ups = models.PositiveIntegerField(_("scale-ups"), default=0)

    class Meta:
        verbose_name = _("month's figures of a place")
        verbose_name_plural = _("months' figures of places")
        constraints = [models.UniqueConstraint(fields=["key", "month"], name="one_month_a_pair")]
        indexes = [models.Index(fields=["month"], name="month_figures_month")]

    def __str__(self) -> str:
        return f"{self.key} {self.month:%Y-%m}"
