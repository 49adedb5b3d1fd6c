"""`manage.py load_areas BD [FR ...]`: a country and its ISO 3166-2 subdivisions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from innohub.geo.loader import load_country


class Command(BaseCommand):
    help = (
        "Create or update countries and their subdivisions from the ISO 3166 lists "
        "(with the names in local script and populations innohub ships). Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("codes", nargs="+", metavar="CODE", help="ISO 3166-1 alpha-2, e.g. BD")

    def handle(self, *args: Any, codes: list[str], **options: Any) -> None:
        for code in codes:
            try:
                result = load_country(code=code)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            self.stdout.write(
                self.style.SUCCESS(
                    f"{result.country}: {result.created} created, {result.updated} updated, "
                    f"{result.unchanged} unchanged."
                )
            )
