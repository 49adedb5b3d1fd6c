from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from innohub.geo.selectors import area_from_ref, area_list, areas_below
from tests.factories import AreaFactory

pytestmark = pytest.mark.django_db


def test_an_area_is_found_by_id_or_by_code(bangladesh):
    dhaka = bangladesh["BD-13"]

    assert area_from_ref(dhaka.pk) == dhaka
    assert area_from_ref(str(dhaka.pk)) == dhaka
    assert area_from_ref("BD-13") == dhaka
    assert area_from_ref(" BD-13 ") == dhaka


def test_a_code_is_found_in_any_case(bangladesh):
    assert area_from_ref("bd-13") == bangladesh["BD-13"]
    assert area_from_ref("Bd-13-Savar") == bangladesh["BD-13-SAVAR"]


def test_a_code_of_digits_is_found_when_no_area_has_that_id(bangladesh):
    union = AreaFactory(code="2647", level="union", parent=bangladesh["BD-13-SAVAR"])

    assert area_from_ref("2647") == union


@pytest.mark.parametrize("ref", ["BD-99", 999_999, "999999", 0, -3, 2**70])
def test_an_unknown_reference_is_404(bangladesh, ref):
    with pytest.raises(Http404):
        area_from_ref(ref)


@pytest.mark.parametrize("ref", ["", "   ", "BD\x00", "X" * 33, True, None, 1.5])
def test_a_reference_that_cannot_be_one_is_a_validation_error(ref):
    with pytest.raises(ValidationError):
        area_from_ref(ref)


def test_areas_below_include_the_area_and_its_whole_subtree(bangladesh):
    below = set(areas_below(bangladesh["BD-C"]).values_list("code", flat=True))

    assert below == {"BD-C", "BD-13", "BD-13-SAVAR", "BD-13-SAVAR-ASHULIA"}
    assert bangladesh["BD-C"] not in areas_below(bangladesh["BD-C"], include_self=False)


def test_search_finds_bangla_typed_with_decomposed_characters(bangladesh):
    # য় typed as য + nukta (two code points) still finds the name stored in NFC.
    decomposed = "আশুলি\u09af\u09bc"

    assert [area.code for area in area_list(q=decomposed)] == ["BD-13-SAVAR-ASHULIA"]


def test_an_unknown_filter_reference_names_the_filter(bangladesh):
    with pytest.raises(ValidationError) as caught:
        area_list(area="nowhere")
    assert list(caught.value.message_dict) == ["area"]
