from __future__ import annotations

from django.core.management.base import BaseCommand

from innohub.demo.data import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Print the demo logins that seed_demo created."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000", help="Where innohub is served."
        )

    def handle(self, *args, **options) -> None:
        self.stdout.write(
            f"\n  innohub is starting on {options['url']}\n"
            f"  civil servant:  officer / {DEMO_PASSWORD}\n"
            f"  administrator:  admin / {DEMO_PASSWORD}  (sets up two-factor at first sign-in)\n"
            "  other roles:    mentor, trainer, teamlead, manager, reviewer (same password)\n"
        )
