"""factory-boy factories for the foundation's models. Later apps add their own modules."""

from __future__ import annotations

import factory
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from innohub.accounts.models import InnovationTeam, Profile, Skill, SkillFamily, User
from innohub.geo.models import Area, Level
from innohub.orgs.models import Kind, Organisation

PASSWORD = "correct horse battery staple"
_PASSWORD_HASH: list[str] = []


def password_hash() -> str:
    # Argon2 is slow by design: hash the shared test password once.
    if not _PASSWORD_HASH:
        _PASSWORD_HASH.append(make_password(PASSWORD))
    return _PASSWORD_HASH[0]


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    code = factory.Sequence(lambda n: f"XA-{n}")
    name = factory.Sequence(lambda n: f"Area {n}")
    name_local = factory.Sequence(lambda n: f"এলাকা {n}")
    level = Level.COUNTRY
    parent = None


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Ministry {n}")
    kind = Kind.MINISTRY
    parent = None
    area = factory.SubFactory(AreaFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.LazyFunction(password_hash)

    @factory.post_generation
    def roles(self, create: bool, extracted: list[str] | None, **kwargs) -> None:
        if create and extracted:
            # get_or_create: transactional tests flush the groups the migration made.
            self.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in extracted))


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    position = "Assistant Commissioner (Land)"


class SkillFamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkillFamily
        django_get_or_create = ("name",)

    name = "Service design"


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill

    family = factory.SubFactory(SkillFamilyFactory)
    name = factory.Sequence(lambda n: f"Skill {n}")


class InnovationTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InnovationTeam

    name = factory.Sequence(lambda n: f"Innovation team {n}")
    area = factory.SubFactory(AreaFactory)
