"""Fill the database with believable, deterministic demo data (safe to run twice)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from innohub.accounts.models import User
from innohub.demo.seed import seed
from innohub.geo.models import Area
from innohub.orgs.models import Organisation


class Command(BaseCommand):
    help = "Create demo data: areas of Bangladesh, organisations, people with skills, innovation teams."

    def handle(self, *args, **options) -> None:
        seed(log=self.stdout.write)
        self.stdout.write(
            f"demo data ready: {Area.objects.count()} areas, "
            f"{Organisation.objects.count()} organisations, {User.objects.count()} people"
        )
