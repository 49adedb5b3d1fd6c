"""`manage.py check_journey_totals`: recompute every journey's TCV from its steps and compare
it with the stored one (ADR 0015), then each service's catalogue figures (journeys observed,
mean days, cost and visits) from its journeys; `--repair` stores the recomputed ones where
they differ.

Exits 1 when a total differs and was not repaired: run it after restoring a backup, after
writing steps by hand in SQL, or from monitoring.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from innohub.services import totals
from innohub.services.tcv import Tcv

# Journeys listed in full at most; the count covers them all.
SHOW = 20


class Command(BaseCommand):
    help = "Compare every journey's stored TCV with its steps'; --repair fixes those that differ."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--repair", action="store_true", help="store the TCV computed from the steps"
        )

    def handle(self, *args: Any, repair: bool, **options: Any) -> None:
        self._journeys(repair=repair)
        self._services(repair=repair)

    def _services(self, *, repair: bool) -> None:
        found = list(totals.catalogue_drift())
        if not found:
            self.stdout.write("Every service's catalogue figures match its journeys.")
            return
        shown = ", ".join(str(pk) for pk in found[:SHOW])
        self.stdout.write(f"services whose catalogue figures differ: {shown}")
        if repair:
            with transaction.atomic():
                totals.bump(*found)
            self.stdout.write(f"Repaired {len(found)} service(s).")
            return
        raise CommandError(
            f"{len(found)} service(s) store catalogue figures their journeys do not give: "
            "run with --repair."
        )

    def _journeys(self, *, repair: bool) -> None:
        found = list(totals.drift())
        for item in found[:SHOW]:
            self.stdout.write(
                f"journey {item.journey_id}: stored {_text(item.stored)}, "
                f"steps give {_text(item.computed)}"
            )
        if len(found) > SHOW:
            self.stdout.write(f"… and {len(found) - SHOW} more")
        if not found:
            self.stdout.write("Every journey's stored TCV matches its steps.")
            return
        if repair:
            with transaction.atomic():
                repaired = totals.repair(item.journey_id for item in found)
            self.stdout.write(f"Repaired {repaired} journey(s).")
            return
        raise CommandError(
            f"{len(found)} journey(s) store a TCV their steps do not give: run with --repair."
        )


def _text(total: Tcv) -> str:
    return (
        f"days {total.days}, hours {total.hours}, cost {total.cost}, "
        f"visits {total.visits}, documents {total.documents}"
    )
