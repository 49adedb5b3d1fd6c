"""Reads for areas."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from innohub.core.imports import cell_text
from innohub.core.models import MAX_ID

from .models import CODE_MAX_LENGTH, Area

# Query parameters per `code IN (...)`, well under every backend's limit.
LOOKUP_CHUNK = 500


def area_from_ref(value: str | int) -> Area:
    """The area with this id or code.

    An int is an id. A text of digits is tried as an id first, then as a code (ids are what
    programs send; local codes may be digits too); any other text is a code, in any case. Raises
    ValidationError for a value that can be neither (empty, too long, a NUL, a boolean), and
    Http404 when no area has it.
    """
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValidationError(_("Give an area's id or code."))
    if isinstance(value, int):
        if not 1 <= value <= MAX_ID:
            raise Http404(_("No area has the id %(id)s.") % {"id": value})
        area = Area.objects.filter(pk=value).first()
    else:
        ref = value.strip()
        if not ref or "\x00" in ref or len(ref) > CODE_MAX_LENGTH:
            raise ValidationError(_("Give an area's id or code (at most 32 characters)."))
        area = None
        if ref.isdigit() and ref.isascii() and int(ref) <= MAX_ID:
            area = Area.objects.filter(pk=int(ref)).first()
        if area is None:
            # Codes are accepted in any case (SETTLED.md): the exact code first (its index),
            # then any case.
            area = (
                Area.objects.filter(code=ref).first()
                or Area.objects.filter(code__iexact=ref).first()
            )
    if area is None:
        raise Http404(_("No area has the id or code “%(ref)s”.") % {"ref": value})
    return area


def areas_below(area: Area, *, include_self: bool = True) -> QuerySet[Area]:
    """The area and everything below it (one indexed prefix query on the path)."""
    return Area.objects.descendants_of(area, include_self=include_self)


def resolve_area_filter(field: str, value: Area | str | int | None) -> Area | None:
    """`area_from_ref` for a filter named `field`: an unknown or malformed reference is a
    ValidationError on that field (the API answers 422 naming it, a form shows it)."""
    if value is None or value == "":
        return None
    if isinstance(value, Area):
        return value
    try:
        return area_from_ref(value)
    except Http404:
        message = _("No area has the id or code “%(ref)s”.") % {"ref": value}
    except ValidationError as error:
        message = error.messages[0]
    raise ValidationError({field: message})


def areas_by_code(codes: Iterable[str]) -> dict[str, Area]:
    """The areas with these codes, in a few queries however many codes there are."""
    wanted = sorted(set(codes))
    found: dict[str, Area] = {}
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        chunk = wanted[start : start + LOOKUP_CHUNK]
        found.update((area.code, area) for area in Area.objects.filter(code__in=chunk))
    return found


def area_list(
    *,
    level: str | None = None,
    parent: Area | str | int | None = None,
    code: str | None = None,
    area: Area | str | int | None = None,
    q: str | None = None,
) -> QuerySet[Area]:
    """Areas in tree order, each with its parent. `parent` and `area` are ids or codes:
    `parent` keeps its direct children, `area` it and everything below it; `q` matches the
    name or the local name. An unknown reference is a ValidationError naming the filter."""
    areas = Area.objects.select_related("parent").order_by("path")
    if level:
        areas = areas.filter(level=level)
    if (parent_area := resolve_area_filter("parent", parent)) is not None:
        areas = areas.filter(parent=parent_area)
    if code:
        areas = areas.filter(code=code.strip())
    if (within := resolve_area_filter("area", area)) is not None:
        areas = areas.filter(path__startswith=within.path)
    # A search as typed, in the form names are stored in (trimmed, Unicode NFC).
    if q and (text := cell_text(q)):
        areas = areas.filter(Q(name__icontains=text) | Q(name_local__icontains=text))
    return areas


SUGGESTIONS = 10


def area_suggestions(text: str, *, limit: int = SUGGESTIONS) -> list[Area]:
    """Areas for a picker as someone types: codes that start with the text (any case) first,
    then names or local names that contain it; the larger areas first within each."""
    text = cell_text(text)
    if not text or "\x00" in text:  # PostgreSQL refuses a NUL in a query: nothing has one
        return []
    by_code = list(Area.objects.filter(code__istartswith=text).order_by("depth", "code")[:limit])
    seen = {area.pk for area in by_code}
    by_name = (
        Area.objects.filter(Q(name__icontains=text) | Q(name_local__icontains=text))
        .exclude(pk__in=seen)
        .order_by("depth", "name", "code")[: limit - len(by_code)]
        if len(by_code) < limit
        else []
    )
    return [*by_code, *by_name]


def area_for_page(area_id: int) -> Area | None:
    """An area with its parent."""
    return Area.objects.select_related("parent").filter(pk=area_id).first()


def area_children(area: Area) -> QuerySet[Area]:
    """The areas directly below, by name."""
    return area.children.order_by("name", "code")


def area_ancestors(area: Area) -> list[Area]:
    """The areas above, from the top (one query)."""
    return list(area.ancestors())
