"""Administrative areas: country → division → district → subdistrict → union."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from innohub.core.models import TimeStamped, TreeNode


class Level(models.TextChoices):
    COUNTRY = "country", _("Country")
    DIVISION = "division", _("Division")
    DISTRICT = "district", _("District")
    SUBDISTRICT = "subdistrict", _("Subdistrict")
    UNION = "union", _("Union")


LEVEL_RANK = {level.value: rank for rank, level in enumerate(Level)}


class Area(TreeNode, TimeStamped):
    code = models.CharField(
        _("code"),
        max_length=32,
        unique=True,
        help_text=_("ISO 3166 / 3166-2 code where one exists, else a local code."),
    )
    name = models.CharField(_("name"), max_length=200)
    name_local = models.CharField(_("local name"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    population = models.PositiveBigIntegerField(_("population"), null=True, blank=True)
    hourly_wage = models.DecimalField(
        _("hourly wage"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Used for the opportunity cost of citizens' time, in the wage currency."),
    )
    wage_currency = models.CharField(
        _("wage currency"), max_length=3, blank=True, help_text=_("ISO 4217 code, e.g. BDT.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["path"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.parent is not None:
            if LEVEL_RANK.get(self.level, 0) <= LEVEL_RANK[self.parent.level]:
                errors["level"] = _("A %(level)s cannot sit under a %(parent)s.") % {
                    "level": self.get_level_display(),
                    "parent": self.parent.get_level_display(),
                }
            if self.pk and self.parent.path.startswith(self.path or "\0"):
                errors["parent"] = _("An area cannot sit under itself or its own sub-areas.")
        if self.hourly_wage is not None and not self.wage_currency:
            errors["wage_currency"] = _("Give the currency of the hourly wage.")
        if errors:
            raise ValidationError(errors)
