"""Administrative areas: country → division → district → subdistrict → union."""

from __future__ import annotations

from typing import Any

import pycountry
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

# Codes are ISO 3166 where one exists, else local; the API and the imports refuse longer ones.
CODE_MAX_LENGTH = 32
# More people than live on Earth is a typing error, not a census.
POPULATION_MAX = 10_000_000_000


def level_label(level: str) -> str:
    """The level's name inside a sentence ("a district")."""
    return str(Level(level).label).lower()


def placement_error(*, level: str, parent_level: str | None) -> str | None:
    """Why an area of `level` may not sit under one of `parent_level` (None: no parent), or None.

    Levels only go down: a child's level is below its parent's, and only a country stands
    alone. Because levels strictly descend, no chain of parents can loop back on itself.
    """
    if parent_level is None:
        if level != Level.COUNTRY:
            return str(_("Give the code of the area above it: only a country has none."))
        return None
    if LEVEL_RANK[level] <= LEVEL_RANK[parent_level]:
        return str(
            _("A %(level)s cannot sit under a %(parent)s.")
            % {"level": level_label(level), "parent": level_label(parent_level)}
        )
    return None


def is_known_currency(code: str) -> bool:
    """An ISO 4217 alphabetic code, upper case (`BDT`, `EUR`)."""
    return (
        len(code) == 3
        and code.isascii()
        and code.isupper()
        and (pycountry.currencies.get(alpha_3=code) is not None)
    )


class Area(TreeNode, TimeStamped):
    code = models.CharField(
        _("code"),
        max_length=CODE_MAX_LENGTH,
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
        # docs/api.md: money has up to 12 digits before the point and 2 after.
        max_digits=14,
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
        if self.level in LEVEL_RANK:
            parent_level = self.parent.level if self.parent is not None else None
            if message := placement_error(level=self.level, parent_level=parent_level):
                errors["parent" if parent_level is None else "level"] = message
        if self.parent is not None and self.pk and self.parent.path.startswith(self.path or "\0"):
            errors["parent"] = _("An area cannot sit under itself or its own sub-areas.")
        if self.hourly_wage is not None and not self.wage_currency:
            errors["wage_currency"] = _("Give the currency of the hourly wage.")
        elif self.wage_currency and not is_known_currency(self.wage_currency):
            errors["wage_currency"] = _(
                "“%(code)s” is not an ISO 4217 currency code (for example BDT)."
            ) % {"code": self.wage_currency}
        if errors:
            raise ValidationError(errors)
