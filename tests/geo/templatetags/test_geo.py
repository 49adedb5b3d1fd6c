"""`named` writes an area's, organisation's or service's name as the page's reader would."""

from __future__ import annotations

from types import SimpleNamespace

from django.utils import translation

from innohub.geo.templatetags.geo import local_name, named

SAVAR = SimpleNamespace(name="Savar", name_local="সাভার")


def test_a_bangla_page_names_things_by_their_bangla_names():
    with translation.override("bn"):
        assert named(SAVAR) == "সাভার"
        assert named(SimpleNamespace(name="Savar", name_local="")) == "Savar"


def test_other_languages_keep_the_name():
    for language in ("en", "fr", "bs"):
        with translation.override(language):
            assert named(SAVAR) == "Savar"
    # A local name in Latin script is no Bangla: an English name stays on a Bangla page.
    with translation.override("bn"):
        assert named(SimpleNamespace(name="Sarajevo", name_local="Sarajevo")) == "Sarajevo"


def test_nothing_is_named_as_nothing_and_local_names_keep_their_language():
    assert named(None) == ""
    assert local_name("সাভার") == '<span lang="bn">সাভার</span>'
