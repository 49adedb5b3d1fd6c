"""Writes for single areas. Loading a country is `loader`; the CSV import is `importer`."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from innohub.core.imports import cell_text

from .models import Area

if TYPE_CHECKING:  # the user model lives above this app: type with Django's base
    from django.contrib.auth.models import AbstractUser


@transaction.atomic
def create_area(
    *,
    by: AbstractUser,
    code: str,
    name: str,
    level: str,
    parent: Area | None = None,
    name_local: str = "",
    population: int | None = None,
    hourly_wage: Decimal | None = None,
    wage_currency: str = "",
) -> Area:
    """Create one area. Refuses (ValidationError, by field) a code in use or longer than 32
    characters, a level not below the parent's, a non-country without a parent, a wage
    without a currency; PermissionDenied unless `by` may add areas."""
    if not by.has_perm("geo.add_area"):
        raise PermissionDenied(_("Only programme managers and administrators add areas."))
    area = Area(
        code=cell_text(code),
        name=cell_text(name),
        name_local=cell_text(name_local),
        level=level,
        parent=parent,
        population=population,
        hourly_wage=hourly_wage,
        wage_currency=wage_currency.strip().upper(),
    )
    area.full_clean()
    area.save()
    return area
