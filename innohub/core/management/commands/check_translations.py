"""Check that every catalogue translates every string of the source, as it is now.

Extracts the strings the way `makemessages` does, into a temporary copy of the package (the
catalogues in the checkout are left alone), then lists, per language, each string without a
translation, each fuzzy one, and each translation whose placeholders differ from its
English. Exits with status 1 if anything is listed. Needs GNU gettext (`xgettext`,
`msgmerge`), as `makemessages` does.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

PLACEHOLDER = re.compile(r"%\([A-Za-z_]+\)[sdif]|%[sdif]|\{[A-Za-z_]*\}")
SKIP = shutil.ignore_patterns("__pycache__", "*.mo")


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def problems(catalogue: polib.POFile) -> list[str]:
    """What is wrong with one language's catalogue, a line each."""
    found = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        where = entry.msgid if len(entry.msgid) <= 70 else entry.msgid[:67] + "..."
        if "fuzzy" in entry.flags:
            found.append(f"fuzzy: {where}")
            continue
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if not all(translations):
            found.append(f"untranslated: {where}")
            continue
        if "python-format" not in entry.flags and "python-brace-format" not in entry.flags:
            continue
        expected = placeholders(entry.msgid)
        expected_plural = placeholders(entry.msgid_plural) if entry.msgid_plural else expected
        for translation in translations:
            # A plural form may leave out the count ("one journey"), never add or rename one.
            mine = placeholders(translation)
            if not set(mine) <= set(expected) | set(expected_plural) or (
                not entry.msgid_plural and mine != expected
            ):
                found.append(f"placeholders {mine} instead of {expected}: {where}")
                break
    return found


class Command(BaseCommand):
    help = "Fail if a catalogue lacks a translation of a string in the source (needs gettext)."

    def handle(self, *args: object, **options: object) -> None:
        package = Path(settings.BASE_DIR) / "innohub"
        locale = package / "locale"
        languages = sorted(path.name for path in locale.iterdir() if path.is_dir())
        if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
            raise CommandError("GNU gettext is needed (apt-get install gettext).")
        report: list[str] = []
        with tempfile.TemporaryDirectory() as scratch:
            copy = Path(scratch) / "innohub"
            shutil.copytree(package, copy, ignore=SKIP)
            here = Path.cwd()
            os.chdir(scratch)
            try:
                with override_settings(LOCALE_PATHS=[copy / "locale"]):
                    call_command("makemessages", locale=languages, verbosity=0)
            finally:
                os.chdir(here)
            for language in languages:
                catalogue = polib.pofile(str(copy / "locale" / language / "LC_MESSAGES/django.po"))
                report += [f"{language}: {line}" for line in problems(catalogue)]
        if report:
            self.stderr.write("\n".join(report))
            raise CommandError(
                f"{len(report)} problem(s). Run `make translations`, fill the new entries "
                "and check again (see the README)."
            )
        self.stdout.write(f"{len(languages)} catalogues translate every string")
