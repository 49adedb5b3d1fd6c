from __future__ import annotations

from django.core.management.base import BaseCommand

from innohub.demo.data import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Print the demo logins that seed_demo created."

    def handle(self, *args, **options) -> None:
        self.stdout.write(
            "\n  innohub is starting on http://127.0.0.1:8000\n"
            f"  civil servant:  officer / {DEMO_PASSWORD}\n"
            f"  administrator:  admin / {DEMO_PASSWORD}  (sets up two-factor at first sign-in)\n"
            "  other roles:    mentor, trainer, teamlead, manager, reviewer (same password)\n"
        )
