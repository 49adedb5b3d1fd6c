"""Organisations: ministry → department → office, each tied to an area."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from innohub.core.models import TimeStamped, TreeNode
from innohub.geo.models import Area


class Kind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    DEPARTMENT = "department", _("Department")
    OFFICE = "office", _("Office")
    # Outside the ministry tree (SETTLED.md): no parent needed, nothing sits under them.
    INSTITUTE = "institute", _("Training institute")
    PARTNER = "partner", _("Partner")


class PartnerType(models.TextChoices):
    UNIVERSITY = "university", _("University")
    NGO = "ngo", _("NGO")
    COMPANY = "company", _("Company")
    CITY = "city", _("City")
    FOREIGN_GOVERNMENT = "foreign_government", _("Foreign government")


KIND_RANK = {kind.value: rank for rank, kind in enumerate(Kind)}
OUTSIDE_THE_TREE = (Kind.INSTITUTE, Kind.PARTNER)


class Organisation(TreeNode, TimeStamped):
    name = models.CharField(_("name"), max_length=200)
    name_local = models.CharField(_("local name"), max_length=200, blank=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, db_index=True)
    partner_type = models.CharField(
        _("type of partner"), max_length=24, choices=PartnerType.choices, blank=True
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="organisations"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["path"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.kind == Kind.PARTNER and not self.partner_type:
            errors["partner_type"] = _("Say what kind of partner this is.")
        if self.kind != Kind.PARTNER and self.partner_type:
            errors["partner_type"] = _("Only a partner has a type of partner.")
        if self.parent is not None:
            if self.parent.kind in OUTSIDE_THE_TREE:
                errors["parent"] = _("Nothing sits under a training institute or a partner.")
            elif KIND_RANK.get(self.kind, 0) <= KIND_RANK[self.parent.kind]:
                errors["kind"] = _("A %(kind)s cannot sit under a %(parent)s.") % {
                    "kind": str(self.get_kind_display()).lower(),
                    "parent": str(self.parent.get_kind_display()).lower(),
                }
            if self.pk and self.parent.path.startswith(self.path or "\0"):
                errors["parent"] = _(
                    "An organisation cannot sit under itself or its own sub-units."
                )
        if errors:
            raise ValidationError(errors)
