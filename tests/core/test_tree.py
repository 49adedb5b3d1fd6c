from __future__ import annotations

import pytest

from innohub.geo.models import Area, Level
from tests.factories import AreaFactory

pytestmark = pytest.mark.django_db


def test_paths_follow_the_tree():
    country = AreaFactory(code="BD", level=Level.COUNTRY)
    division = AreaFactory(code="BD-C", level=Level.DIVISION, parent=country)
    district = AreaFactory(code="BD-13", level=Level.DISTRICT, parent=division)

    assert country.path == f"/{country.pk}/"
    assert district.path == f"/{country.pk}/{division.pk}/{district.pk}/"
    assert [a.depth for a in (country, division, district)] == [0, 1, 2]
    assert list(district.ancestors()) == [country, division]


def test_descendants_include_everything_below_and_nothing_beside():
    country = AreaFactory(code="BD", level=Level.COUNTRY)
    dhaka = AreaFactory(code="BD-C", level=Level.DIVISION, parent=country)
    district = AreaFactory(code="BD-13", level=Level.DISTRICT, parent=dhaka)
    other = AreaFactory(code="BD-A", level=Level.DIVISION, parent=country)

    below = set(Area.objects.descendants_of(dhaka).values_list("code", flat=True))
    assert below == {"BD-C", "BD-13"}
    assert other.code not in below
    assert set(Area.objects.descendants_of(dhaka, include_self=False)) == {district}


def test_moving_a_subtree_rewrites_every_path_below():
    country = AreaFactory(code="BD", level=Level.COUNTRY)
    a = AreaFactory(code="BD-A", level=Level.DIVISION, parent=country)
    b = AreaFactory(code="BD-B", level=Level.DIVISION, parent=country)
    district = AreaFactory(code="BD-99", level=Level.DISTRICT, parent=a)
    sub = AreaFactory(code="BD-99-1", level=Level.SUBDISTRICT, parent=district)

    district.parent = b
    district.save()
    sub.refresh_from_db()

    assert sub.path == f"/{country.pk}/{b.pk}/{district.pk}/{sub.pk}/"
    assert sub.depth == 3
    assert set(Area.objects.descendants_of(a)) == {a}
