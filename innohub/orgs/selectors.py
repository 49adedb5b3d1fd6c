"""Reads for organisations."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from innohub.core.imports import cell_text
from innohub.core.models import MAX_ID
from innohub.geo.models import Area
from innohub.geo.selectors import resolve_area_filter

from .models import Organisation


def organisations_below(organisation: Organisation, *, include_self: bool = True) -> QuerySet:
    """The organisation and all its departments and offices, however deep."""
    return Organisation.objects.descendants_of(organisation, include_self=include_self)


def organisations_in_area(area: Area) -> QuerySet[Organisation]:
    """Organisations whose area is this one or any area below it, by name, with their area."""
    return (
        Organisation.objects.select_related("area")
        .filter(area__path__startswith=area.path)
        .order_by("name", "pk")
    )


def organisation_from_ref(field: str, value: str | int | None) -> Organisation | None:
    """The organisation with this id, for a filter or input named `field`; None for none.
    A value that is not an id, or an id nobody has, is a ValidationError on `field`."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = value.strip()
        number = int(value) if value.isascii() and value.isdigit() else None
    else:
        number = value if not isinstance(value, bool) else None
    if number is None or not 1 <= number <= MAX_ID:
        raise ValidationError({field: _("Give an organisation's id (a number).")})
    organisation = Organisation.objects.filter(pk=number).first()
    if organisation is None:
        raise ValidationError({field: _("No organisation has the id %(id)s.") % {"id": number}})
    return organisation


def organisation_list(
    *,
    kind: str | None = None,
    parent: str | int | None = None,
    area: Area | str | int | None = None,
    organisation: str | int | None = None,
    q: str | None = None,
) -> QuerySet[Organisation]:
    """Organisations in tree order, each with its area and parent. `parent` (an id) keeps its
    direct sub-units; `organisation` (an id) it and everything below; `area` (an id or a
    code) the organisations in that area or below; `q` matches the name, local or short
    name. An unknown reference is a ValidationError naming the filter."""
    organisations = Organisation.objects.select_related("area", "parent").order_by("path")
    if kind:
        organisations = organisations.filter(kind=kind)
    if (parent_org := organisation_from_ref("parent", parent)) is not None:
        organisations = organisations.filter(parent=parent_org)
    if (within_area := resolve_area_filter("area", area)) is not None:
        organisations = organisations.filter(area__path__startswith=within_area.path)
    if (within := organisation_from_ref("organisation", organisation)) is not None:
        organisations = organisations.filter(path__startswith=within.path)
    if q and (text := cell_text(q)):
        organisations = organisations.filter(
            Q(name__icontains=text) | Q(name_local__icontains=text) | Q(short_name__icontains=text)
        )
    return organisations


def organisation_for_page(organisation_id: int) -> Organisation | None:
    """An organisation with its area and its parent."""
    return Organisation.objects.select_related("area", "parent").filter(pk=organisation_id).first()


def organisation_children(organisation: Organisation) -> QuerySet[Organisation]:
    """The departments or offices directly below, by name, with their area."""
    return organisation.children.select_related("area").order_by("name", "pk")
