"""Count every roll-up again: after a bulk load that skipped Django's signals, or to mend a
pair a crash left stale. Safe to run at any time, and again."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from innohub.insights.rollups import rebuild


class Command(BaseCommand):
    help = "Count the national figures' roll-ups again from the pilots, ideas and people trained."

    def handle(self, *args, **options) -> None:
        pairs = rebuild()
        self.stdout.write(f"counted {pairs} pairs of organisation and area again")
