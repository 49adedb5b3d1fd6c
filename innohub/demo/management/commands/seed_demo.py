"""Fill the database with believable, deterministic demo data (safe to run twice)."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from innohub.accounts import roles
from innohub.accounts.models import Profile, User
from innohub.demo.data import DEMO_PASSWORD, DEMO_PEOPLE


class Command(BaseCommand):
    help = "Create demo data: one person per role and the places they work in."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        password = make_password(DEMO_PASSWORD)  # hash once, reuse: argon2 is slow on purpose
        for username, first, last, local, role in DEMO_PEOPLE:
            user, _ = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "name_local": local,
                    "email": f"{username}@demo.innohub.local",
                    "password": password,
                    "is_staff": role == roles.ADMINISTRATOR,
                    "is_superuser": role == roles.ADMINISTRATOR,
                },
            )
            user.groups.add(Group.objects.get(name=role))
            Profile.objects.get_or_create(user=user)
        self.stdout.write(f"demo data ready: {User.objects.count()} people")
