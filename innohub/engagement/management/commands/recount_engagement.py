"""Count every consultation's and organisation's engagement figures again from the rows:
after a bulk load, an organisation moved in the tree, or to check them (`--check`: say how
many consultations are wrong, change nothing; exit 1 when any is)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from innohub.engagement.recount import recount


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="Only say what is wrong; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        done = recount(write=not options["check"])
        verb = "wrong" if options["check"] else "corrected"
        self.stdout.write(
            f"{done.consultations} consultations counted, {done.changed} {verb}; "
            f"{done.organisations} organisations' figures "
            f"{'read' if options['check'] else 'written'}"
        )
        if options["check"] and done.changed:
            raise SystemExit(1)
