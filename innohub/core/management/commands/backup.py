"""A backup of the database (`pg_dump` or SQLite's online backup), and the drill that restores
one into a scratch database and checks it (innohub/core/backups.py).

    manage.py backup --to /backups            # prints the file it wrote
    manage.py backup --drill /backups/innohub-2026-12-02T074100Z.dump
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from innohub.core import backups


class Command(BaseCommand):
    help = "Back up the database, or restore a backup into a scratch database and check it."

    def add_arguments(self, parser: CommandParser) -> None:
        what = parser.add_mutually_exclusive_group(required=True)
        what.add_argument("--to", type=Path, help="the folder to write the backup in")
        what.add_argument("--drill", type=Path, help="a backup to restore and check")

    def handle(self, *args, **options) -> None:
        try:
            if options["to"] is not None:
                path = backups.backup(options["to"])
                self.stdout.write(str(path))
                return
            report = backups.drill(options["drill"])
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"restored {report.backup.name} into a scratch {report.engine} database")
        self.stdout.write(f"integrity: {report.integrity}")
        self.stdout.write(f"{'table':24} {'backup':>10} {'live':>10}")
        for table, (restored, live) in report.counts.items():
            self.stdout.write(f"{table:24} {restored:10,} {live:10,}")
        if report.migrations_missing:
            missing = ", ".join(report.migrations_missing[:10])
            raise CommandError(f"the backup lacks migrations of this release: {missing}")
        if not report.passed:
            raise CommandError("the backup did not restore cleanly")
        self.stdout.write("the drill passed: the backup restores and matches this release")
