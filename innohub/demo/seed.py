"""Believable, deterministic demo data. Every step is idempotent: running it twice adds nothing.

Later apps add their own step to `STEPS`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from innohub.accounts.models import (
    InnovationTeam,
    Profile,
    Skill,
    SkillFamily,
    SkillLevel,
    TeamMembership,
    TeamRole,
    User,
    UserSkill,
)
from innohub.core import roles
from innohub.geo.loader import load_country
from innohub.geo.models import Area, Level
from innohub.orgs.models import Kind, Organisation

from . import data
from .seed_engagement import seed_engagement
from .seed_fund import seed_fund
from .seed_network import seed_exchanges, seed_fellowship, seed_network
from .seed_pipeline import seed_pipeline
from .seed_services import seed_services
from .seed_talent import seed_talent
from .seed_training import seed_training


def seed_insights(seeder: Seeder) -> None:
    # Some demo rows are written in bulk, past the signals: count every pair once at the end.
    from innohub.insights.rollups import rebuild

    rebuild()


@dataclass
class Seeder:
    rng: random.Random = field(default_factory=lambda: random.Random(data.SEED))
    password_hash: str = ""

    def password(self) -> str:
        # Argon2 is slow on purpose: hash the demo password once and reuse it.
        if not self.password_hash:
            self.password_hash = make_password(data.DEMO_PASSWORD)
        return self.password_hash


def seed_areas(seeder: Seeder) -> None:
    load_country(code="BD")
    Area.objects.filter(code="BD").update(hourly_wage=data.BD_HOURLY_WAGE, wage_currency="BDT")
    districts = Area.objects.in_bulk(list(data.SUBDISTRICTS), field_name="code")
    for district_code, rows in data.SUBDISTRICTS.items():
        for suffix, name, local in rows:
            Area.objects.get_or_create(
                code=f"{district_code}-{suffix}",
                defaults={
                    "name": name,
                    "name_local": local,
                    "level": Level.SUBDISTRICT,
                    "parent": districts[district_code],
                },
            )


def seed_organisations(seeder: Seeder) -> None:
    country = Area.objects.get(code="BD")
    subdistricts = list(Area.objects.filter(level=Level.SUBDISTRICT).order_by("code"))
    for name, local, short, departments in data.ORGANISATIONS:
        ministry = _organisation(name, local, Kind.MINISTRY, None, country, short)
        for dept_name, dept_local, office_kind in departments:
            department = _organisation(dept_name, dept_local, Kind.DEPARTMENT, ministry, country)
            if office_kind is None:
                continue
            for area in subdistricts:
                _organisation(f"{office_kind}, {area.name}", "", Kind.OFFICE, department, area)


def _organisation(name, local, kind, parent, area, short="") -> Organisation:
    org = Organisation.objects.filter(name=name, parent=parent).first()
    if org is None:
        org = Organisation(name=name, name_local=local, kind=kind, parent=parent, area=area)
        org.short_name = short
        org.save()
    return org


def seed_skills(seeder: Seeder) -> None:
    for family_name, skills in data.SKILLS.items():
        family, _ = SkillFamily.objects.get_or_create(name=family_name)
        for skill_name in skills:
            Skill.objects.get_or_create(family=family, name=skill_name)


def seed_people(seeder: Seeder) -> None:
    rng = seeder.rng
    offices = list(Organisation.objects.filter(kind=Kind.OFFICE).order_by("path"))
    ministries = list(Organisation.objects.filter(kind=Kind.MINISTRY).order_by("path"))
    skills = list(Skill.objects.order_by("family__name", "name"))
    group_by_name = {name: Group.objects.get_or_create(name=name)[0] for name in roles.ROLES}

    # (person, grade); the generated civil servants' organisation is drawn below.
    people: list[tuple[data.DemoPerson, str]] = [(person, "") for person in data.DEMO_PEOPLE]
    for n in range(data.GENERATED_PEOPLE):
        first, first_bn = rng.choice(data.FIRST_NAMES)
        last, last_bn = rng.choice(data.LAST_NAMES)
        position, grade = rng.choice(data.POSITIONS)
        person = data.DemoPerson(
            f"cs{n + 1:03d}",
            first,
            last,
            f"{first_bn} {last_bn}",
            roles.CIVIL_SERVANT,
            position,
            "",
        )
        people.append((person, grade))

    for (username, first, last, local, role, position, organisation_name), grade in people:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "name_local": local,
                "email": f"{username}@demo.innohub.local",
                "password": seeder.password(),
                # Programme managers keep areas, organisations and teams in the admin.
                "is_staff": role in (roles.ADMINISTRATOR, roles.PROGRAMME_MANAGER),
                "is_superuser": role == roles.ADMINISTRATOR,
            },
        )
        # Draw for every person, created or not, so the sequence stays the same on re-runs.
        organisation = rng.choice(offices if role == roles.CIVIL_SERVANT else ministries)
        if organisation_name:  # the demo person of each role works where the role fits
            organisation = Organisation.objects.get(name=organisation_name)
        held = rng.sample(skills, k=3)
        levels = [rng.choice(list(SkillLevel)) for _ in held]
        if not created:
            continue
        user.groups.add(group_by_name[role])
        Profile.objects.update_or_create(
            user=user,
            defaults={
                "organisation": organisation,
                "area": organisation.area,
                "position": position,
                "grade": grade,
                "languages": "Bangla, English",
            },
        )
        UserSkill.objects.bulk_create(
            [
                UserSkill(user=user, skill=skill, level=level, evidence="")
                for skill, level in zip(held, levels, strict=True)
            ]
        )


def seed_teams(seeder: Seeder) -> None:
    land = Organisation.objects.get(name="Ministry of Land", parent=None)
    teams: list[tuple[str, Organisation | None, Area | None]] = [
        ("Ministry of Land innovation team", land, None)
    ]
    for code in ("BD-13", "BD-18", "BD-10"):
        district = Area.objects.get(code=code)
        teams.append((f"{district.name} district innovation team", None, district))
    people = list(User.objects.filter(username__startswith="cs").order_by("username"))
    lead = User.objects.get(username="teamlead")
    for index, (name, organisation, area) in enumerate(teams):
        team, created = InnovationTeam.objects.get_or_create(
            name=name, defaults={"organisation": organisation, "area": area}
        )
        if not created:
            continue
        TeamMembership.objects.create(team=team, user=lead, role=TeamRole.LEAD)
        members = people[index * 4 : index * 4 + 4]
        TeamMembership.objects.bulk_create(
            [TeamMembership(team=team, user=user, role=TeamRole.MEMBER) for user in members]
        )


STEPS: list[tuple[str, Callable[[Seeder], None]]] = [
    ("areas", seed_areas),
    ("organisations", seed_organisations),
    ("skills", seed_skills),
    ("people", seed_people),
    ("innovation teams", seed_teams),
    ("services and journeys", seed_services),
    ("ideas and pilots", seed_pipeline),
    ("fund, showcases, replication and scale-up", seed_fund),
    ("training cohorts", seed_training),
    ("the peer network", seed_network),
    ("fellowship and recognition", seed_fellowship),
    ("exchanges out of the office", seed_exchanges),
    ("consultations", seed_engagement),
    ("free agents and challenges", seed_talent),
    ("national figures", seed_insights),
]


@transaction.atomic
def seed(*, log: Callable[[str], None] = lambda message: None) -> None:
    """Create the demo data, step by step, in one transaction."""
    seeder = Seeder()
    for label, step in STEPS:
        step(seeder)
        log(f"  {label}: ok")
