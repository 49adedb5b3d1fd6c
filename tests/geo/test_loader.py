from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from innohub.geo.loader import load_country
from innohub.geo.models import Area, Level

pytestmark = pytest.mark.django_db


def test_bangladesh_has_its_country_8_divisions_and_64_districts():
    result = load_country(code="BD")

    assert (result.created, result.updated, result.unchanged) == (73, 0, 0)
    assert Area.objects.filter(level=Level.COUNTRY).count() == 1
    assert Area.objects.filter(level=Level.DIVISION, parent__code="BD").count() == 8
    assert Area.objects.filter(level=Level.DISTRICT).count() == 64
    assert Area.objects.count() == 73


def test_dhaka_district_sits_under_dhaka_division_with_its_bangla_name():
    load_country(code="bd")

    dhaka = Area.objects.select_related("parent").get(code="BD-13")
    assert dhaka.name == "Dhaka"
    assert dhaka.level == Level.DISTRICT
    assert dhaka.parent.code == "BD-C"
    assert dhaka.name_local == "ঢাকা"
    assert dhaka.parent.name_local == "ঢাকা"
    assert Area.objects.get(code="BD-A").name == "Barishal"
    assert Area.objects.get(code="BD-A").name_local == "বরিশাল"
    assert Area.objects.get(code="BD-H").name_local == "ময়মনসিংহ"
    # Every area of Bangladesh has its name in Bangla.
    assert not Area.objects.filter(name_local="").exists()
    assert set(Area.objects.descendants_of(dhaka.parent).values_list("level", flat=True)) == {
        Level.DIVISION,
        Level.DISTRICT,
    }


def test_census_populations_of_the_divisions_add_up_to_the_country():
    load_country(code="BD")

    country = Area.objects.get(code="BD")
    divisions = Area.objects.filter(level=Level.DIVISION)
    assert country.population == 165_158_616
    assert Area.objects.get(code="BD-C").population == 44_215_107
    assert sum(division.population for division in divisions) == country.population
    # District figures are left empty rather than guessed (see innohub/geo/data/README.md).
    assert not Area.objects.filter(level=Level.DISTRICT, population__isnull=False).exists()


def test_loading_twice_changes_nothing():
    load_country(code="BD")
    before = list(Area.objects.values_list("code", "path", "modified").order_by("code"))

    result = load_country(code="BD")

    assert (result.created, result.updated, result.unchanged) == (0, 0, 73)
    assert list(Area.objects.values_list("code", "path", "modified").order_by("code")) == before


def test_loading_again_repairs_a_changed_name_and_keeps_a_population_it_does_not_know():
    load_country(code="BD")
    Area.objects.filter(code="BD-13").update(name="Dacca", population=14_000_000)

    result = load_country(code="BD")

    assert (result.created, result.updated, result.unchanged) == (0, 1, 72)
    dhaka = Area.objects.get(code="BD-13")
    assert dhaka.name == "Dhaka"
    assert dhaka.population == 14_000_000


def test_a_country_without_shipped_data_loads_from_iso_alone():
    result = load_country(code="FR")

    france = Area.objects.get(code="FR")
    assert france.level == Level.COUNTRY
    assert result.created == Area.objects.count() > 100
    # Up to three levels deep in ISO 3166-2: region → department (some via a collectivity).
    assert Area.objects.get(code="FR-IDF").level == Level.DIVISION
    assert Area.objects.get(code="FR-75C").level == Level.DISTRICT
    assert Area.objects.get(code="FR-75C").parent.code == "FR-IDF"
    assert Area.objects.filter(level=Level.SUBDISTRICT).exists()
    assert not Area.objects.exclude(code="FR").filter(parent__isnull=True).exists()


@pytest.mark.parametrize("code", ["XX", "BGD", "", "B\x00"])
def test_an_unknown_country_code_is_refused(code):
    with pytest.raises(ValidationError) as caught:
        load_country(code=code)
    assert "code" in caught.value.message_dict
    assert not Area.objects.exists()


def test_command_loads_several_countries_and_reports_counts(capsys):
    call_command("load_areas", "BD", "BA")

    out = capsys.readouterr().out
    assert "BD: 73 created, 0 updated, 0 unchanged." in out
    assert "BA: 4 created, 0 updated, 0 unchanged." in out


def test_command_stops_with_a_clear_message_for_an_unknown_code():
    with pytest.raises(CommandError, match="“ZZ” is not an ISO 3166-1 country code"):
        call_command("load_areas", "ZZ")
