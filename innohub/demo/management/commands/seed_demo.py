"""Fill the database with believable, deterministic demo data (safe to run twice); or, with
`--profile a2i-2019`, with data whose national funnel shows exactly a2i's 2019 figures,
`--scale N` times (innohub/demo/profile_a2i.py)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from innohub.accounts.models import User
from innohub.demo import profile_a2i
from innohub.demo.seed import seed
from innohub.geo.models import Area
from innohub.orgs.models import Organisation


class Command(BaseCommand):
    help = (
        "Create demo data: areas of Bangladesh, organisations, people with skills, innovation "
        "teams, services, ideas, pilots, training. With --profile a2i-2019: a2i's 2019 figures "
        "exactly (--scale N: N times), in an empty database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--profile",
            choices=[profile_a2i.PROFILE],
            help="Build a reference profile instead of the demo (in a database without pilots).",
        )
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="With --profile: make N times the profile (100: about 110,000 pilots).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["profile"]:
            if options["scale"] < 1:
                raise CommandError("--scale is a whole number, 1 or more.")
            try:
                made = profile_a2i.build(scale=options["scale"], log=self.stdout.write)
            except profile_a2i.ProfileRefused as refusal:
                raise CommandError(str(refusal)) from refusal
            self.stdout.write(
                f"{profile_a2i.PROFILE} x{made['scale']}: {made['people']:,} people, "
                f"{made['pilots']:,} pilots, {made['journeys']:,} journeys in {made['seconds']} s"
            )
            return
        if options["scale"] != 1:
            raise CommandError("--scale goes with --profile.")
        seed(log=self.stdout.write)
        self.stdout.write(
            f"demo data ready: {Area.objects.count()} areas, "
            f"{Organisation.objects.count()} organisations, {User.objects.count()} people"
        )
