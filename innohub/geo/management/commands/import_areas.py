"""`manage.py import_areas areas.csv`: areas of any level from a CSV file, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from innohub.geo.importer import import_areas_csv
from innohub.geo.importer.rows import COLUMNS


class Command(BaseCommand):
    help = (
        f"Import areas from a UTF-8 CSV file with the columns {','.join(COLUMNS)}. "
        "Nothing is imported if any line is wrong; importing the same file again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the CSV file")

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            source = path.open("rb")
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror or error}") from error
        with source:  # streamed: the file is never whole in memory
            result = import_areas_csv(file=source, by=None, file_name=path.name)
        if not result.ok:
            for problem in result.errors:
                column = f", column {problem.field}" if problem.field else ""
                self.stderr.write(f"line {problem.line}{column}: {problem.message}")
            if result.errors_total > len(result.errors):
                self.stderr.write(f"… and {result.errors_total - len(result.errors)} more.")
            raise CommandError(
                f"Nothing imported: {result.errors_total} problem(s) in {path.name}."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged."
            )
        )
