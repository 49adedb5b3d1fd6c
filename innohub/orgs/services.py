"""Writes for organisations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from innohub.core.imports import cell_text
from innohub.geo.models import Area

from .models import Organisation

if TYPE_CHECKING:  # the user model lives above this app: type with Django's base
    from django.contrib.auth.models import AbstractUser


@transaction.atomic
def create_organisation(
    *,
    by: AbstractUser,
    name: str,
    kind: str,
    area: Area,
    parent: Organisation | None = None,
    name_local: str = "",
    short_name: str = "",
    partner_type: str = "",
) -> Organisation:
    """Create one organisation in `area`. Refuses (ValidationError, by field) a kind that is
    not below the parent's (an office sits under a department or a ministry, never above);
    PermissionDenied unless `by` may add organisations."""
    if not by.has_perm("orgs.add_organisation"):
        raise PermissionDenied(_("Only programme managers and administrators add organisations."))
    organisation = Organisation(
        name=cell_text(name),
        name_local=cell_text(name_local),
        short_name=cell_text(short_name),
        kind=kind,
        partner_type=partner_type,
        area=area,
        parent=parent,
    )
    organisation.full_clean()
    organisation.save()
    return organisation
