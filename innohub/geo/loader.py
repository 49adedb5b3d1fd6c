"""Loading a country and its ISO 3166-2 subdivisions from pycountry and the data innohub
ships (`data/<country>_areas.csv`: names in local script, populations)."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pycountry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from innohub.core.imports import cell_text

from .models import Area, Level
from .selectors import areas_by_code

DATA_DIR = Path(__file__).resolve().parent / "data"

# Depth in pycountry's subdivision hierarchy → our level (the country itself is above).
LEVELS_BY_DEPTH = [Level.DIVISION, Level.DISTRICT, Level.SUBDISTRICT, Level.UNION]


@dataclass(frozen=True)
class LoadResult:
    country: str
    created: int
    updated: int
    unchanged: int


def _shipped_data(country: str) -> dict[str, tuple[str, int | None]]:
    """`code → (name_local, population)` from `data/<country>_areas.csv`, if innohub has one."""
    path = DATA_DIR / f"{country.lower()}_areas.csv"
    if not path.exists():
        return {}
    data: dict[str, tuple[str, int | None]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            population = row["population"].strip()
            data[row["code"].strip()] = (
                cell_text(row["name_local"]),
                int(population) if population else None,
            )
    return data


def _pycountry_depth(subdivision: Any, by_code: dict[str, Any]) -> int:
    depth, parent_code = 0, subdivision.parent_code
    while parent_code in by_code:
        depth += 1
        parent_code = by_code[parent_code].parent_code
        if depth > len(LEVELS_BY_DEPTH):
            break
    return depth


@transaction.atomic
def load_country(*, code: str) -> LoadResult:
    """Create or update a country and its ISO 3166-2 subdivisions, by code.

    Levels follow pycountry's hierarchy (top → division, next → district, next →
    subdistrict). Bangla names and populations come from the data file shipped for the
    country (`data/bd_areas.csv`); an empty value there leaves the area's own value alone.
    Idempotent: an area that already has these values is not written again. Refuses an
    unknown ISO 3166-1 alpha-2 code (ValidationError on `code`).
    """
    alpha_2 = (code or "").strip().upper()
    country = (
        pycountry.countries.get(alpha_2=alpha_2) if re.fullmatch(r"[A-Z]{2}", alpha_2) else None
    )
    if country is None:
        raise ValidationError(
            {
                "code": _(
                    "“%(code)s” is not an ISO 3166-1 country code: use two letters, such as BD."
                )
                % {"code": code}
            }
        )
    subdivisions = list(pycountry.subdivisions.get(country_code=alpha_2) or [])
    by_code = {sub.code: sub for sub in subdivisions}
    depths = {sub.code: _pycountry_depth(sub, by_code) for sub in subdivisions}
    if any(depth >= len(LEVELS_BY_DEPTH) for depth in depths.values()):
        raise ValidationError(
            {
                "code": _("%(code)s has more levels of subdivisions than innohub knows.")
                % {"code": alpha_2}
            }
        )

    # (code, name, level, parent code), every parent before its children.
    wanted: list[tuple[str, str, str, str | None]] = [(alpha_2, country.name, Level.COUNTRY, None)]
    for sub in sorted(subdivisions, key=lambda s: (depths[s.code], s.code)):
        parent_code = sub.parent_code if sub.parent_code in by_code else alpha_2
        wanted.append((sub.code, sub.name, LEVELS_BY_DEPTH[depths[sub.code]], parent_code))

    shipped = _shipped_data(alpha_2)
    existing = areas_by_code(entry[0] for entry in wanted)
    areas: dict[str, Area] = {}
    created = updated = unchanged = 0
    for area_code, name, level, parent_code in wanted:
        parent = areas[parent_code] if parent_code else None
        values: dict[str, Any] = {"name": name, "level": str(level)}
        name_local, population = shipped.get(area_code, ("", None))
        if name_local:
            values["name_local"] = name_local
        if population is not None:
            values["population"] = population
        area = existing.get(area_code)
        same = (
            area is not None
            and area.parent_id == (parent.pk if parent else None)
            and all(getattr(area, key) == value for key, value in values.items())
        )
        if area is None:
            area = Area(code=area_code, parent=parent, **values)
            created += 1
        elif same:
            unchanged += 1
        else:
            area.parent = parent
            for key, value in values.items():
                setattr(area, key, value)
            updated += 1
        if not same:
            area.clean()
            area.save()
        areas[area_code] = area
    return LoadResult(country=alpha_2, created=created, updated=updated, unchanged=unchanged)
