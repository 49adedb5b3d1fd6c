"""`manage.py check_translations`: what makes a catalogue incomplete."""

from __future__ import annotations

import polib

from innohub.core.management.commands.check_translations import problems


def catalogue(*entries: polib.POEntry) -> polib.POFile:
    po = polib.POFile()
    for entry in entries:
        po.append(entry)
    return po


def test_a_complete_catalogue_has_no_problems():
    po = catalogue(
        polib.POEntry(msgid="Services", msgstr="Services"),
        polib.POEntry(
            msgid="At most %(n)d characters.",
            msgstr="Au plus %(n)d caractères.",
            flags=["python-format"],
        ),
        polib.POEntry(
            msgid="%(counter)s journey created",
            msgid_plural="%(counter)s journeys created",
            msgstr_plural={0: "একটি যাত্রা তৈরি হয়েছে", 1: "%(counter)s যাত্রা তৈরি হয়েছে"},
            flags=["python-format"],
        ),
        polib.POEntry(msgid="Gone", msgstr="", obsolete=True),
    )
    assert problems(po) == []


def test_untranslated_fuzzy_and_placeholder_faults_are_each_listed():
    po = catalogue(
        polib.POEntry(msgid="Import journeys", msgstr=""),
        polib.POEntry(msgid="Export journeys", msgstr="Exporter", flags=["fuzzy"]),
        polib.POEntry(
            msgid="The file is %(size)s.",
            msgstr="Le fichier fait %(taille)s.",
            flags=["python-format"],
        ),
        polib.POEntry(
            msgid="%(counter)s row",
            msgid_plural="%(counter)s rows",
            msgstr_plural={0: "%(counter)s ligne", 1: ""},
            flags=["python-format"],
        ),
    )
    assert problems(po) == [
        "untranslated: Import journeys",
        "fuzzy: Export journeys",
        "placeholders ['%(taille)s'] instead of ['%(size)s']: The file is %(size)s.",
        "untranslated: %(counter)s row",
    ]
