"""Writes about people: profiles, skills, API tokens, two-factor devices.

Every function is keyword-only, runs in one transaction, and raises Django's
`ValidationError` (field → message) for input a person can correct, or
`PermissionDenied` when the rules in `rules.py` say no.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from innohub.core.imports import cell_text
from innohub.core.models import MAX_ID
from innohub.core.text import nul_message, refuse_nul
from innohub.geo.models import Area
from innohub.orgs.models import Organisation

from .models import (
    EVIDENCE_MAX_LENGTH,
    ApiToken,
    Profile,
    Skill,
    SkillFamily,
    SkillLevel,
    User,
    UserSkill,
)
from .selectors import skills_held

MAX_TOKEN_DAYS = 365
BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"


# --- API tokens -----------------------------------------------------------------------------


@transaction.atomic
def issue_token(*, user: User, name: str = "", days: int | None = None) -> tuple[ApiToken, str]:
    """Create a personal API token for `user`; return it and its secret.

    The secret is returned once and never stored (only its SHA-256 digest is).
    `days` (default `settings.API_TOKEN_DAYS`) must be a whole number from 1 to 365;
    `name` at most 100 characters.
    """
    refuse_nul(name=name)
    errors: dict[str, Any] = {}
    if len(name) > 100:
        errors["name"] = _("Use at most 100 characters.")
    if days is not None and (
        isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_TOKEN_DAYS
    ):
        errors["days"] = _("Give a whole number of days from 1 to %(max)d.") % {
            "max": MAX_TOKEN_DAYS
        }
    if errors:
        raise ValidationError(errors)
    return ApiToken.issue(user=user, name=name.strip(), days=days)


@transaction.atomic
def revoke_token(*, token: ApiToken, by: User) -> None:
    """Delete `token`; only its owner may (`accounts.manage_token`), else PermissionDenied.

    Callers look the token up among the person's own tokens first, so that another
    person's token answers "not found" rather than revealing that it exists.
    """
    if not rules.has_perm("accounts.manage_token", by, token):
        raise PermissionDenied
    token.delete()


# --- Profiles and skills --------------------------------------------------------------------


@transaction.atomic
def update_profile(
    *,
    person: User,
    by: User,
    first_name: str,
    last_name: str,
    name_local: str = "",
    organisation: Organisation | None = None,
    area: Area | None = None,
    position: str = "",
    grade: str = "",
    languages: str = "",
    gender: str = "",
    phone: str = "",
    bio: str = "",
) -> Profile:
    """Change a person's names and profile; `by` must be them or an administrator.

    Refuses NUL characters and values longer than their fields (ValidationError).
    """
    if not rules.has_perm("accounts.change_profile", by, person):
        raise PermissionDenied
    texts = {
        "first_name": first_name,
        "last_name": last_name,
        "name_local": name_local,
        "position": position,
        "grade": grade,
        "languages": languages,
        "gender": gender,
        "phone": phone,
        "bio": bio,
    }
    refuse_nul(**texts)
    person.first_name, person.last_name, person.name_local = (
        first_name.strip(),
        last_name.strip(),
        name_local.strip(),
    )
    person.full_clean(validate_unique=False, exclude=["password"])
    person.save(update_fields=["first_name", "last_name", "name_local"])

    # A first save creates the profile with its values: one history entry, not two.
    profile = Profile.objects.filter(user=person).first() or Profile(user=person)
    profile.organisation, profile.area = organisation, area
    profile.position, profile.grade = position.strip(), grade.strip()
    # Stored as one comma-separated line; tidy the spacing people type.
    profile.languages = ", ".join(profile_languages(languages))
    profile.gender, profile.phone, profile.bio = gender, phone.strip(), bio.strip()
    profile.full_clean(exclude=["user"])
    profile.save()
    return profile


def profile_languages(text: str) -> list[str]:
    return [lang.strip() for lang in text.split(",") if lang.strip()]


def _held_skill_errors(*, level: int, evidence: str, prefix: str = "") -> dict[str, Any]:
    """What is wrong with a level and evidence, keyed `<prefix>level`, `<prefix>evidence`."""
    errors: dict[str, Any] = {}
    if isinstance(level, bool) or level not in SkillLevel.values:
        errors[f"{prefix}level"] = _("Choose a level.")
    if "\x00" in evidence:
        errors[f"{prefix}evidence"] = nul_message()
    elif len(evidence.strip()) > EVIDENCE_MAX_LENGTH:
        errors[f"{prefix}evidence"] = _("Use at most %(max)d characters.") % {
            "max": EVIDENCE_MAX_LENGTH
        }
    return errors


@transaction.atomic
def set_skill(*, person: User, by: User, skill: Skill, level: int, evidence: str = "") -> UserSkill:
    """Record that `person` holds `skill` at `level` (1 to 5), or update the level and
    evidence if they already list it. `by` must be allowed to change their profile."""
    if not rules.has_perm("accounts.change_profile", by, person):
        raise PermissionDenied
    if errors := _held_skill_errors(level=level, evidence=evidence):
        raise ValidationError(errors)
    held, _created = UserSkill.objects.update_or_create(
        user=person, skill=skill, defaults={"level": level, "evidence": evidence.strip()}
    )
    return held


def _is_id(value: object) -> bool:
    # Larger numbers fit no id column (PostgreSQL would fail the query, not find nothing).
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID


@dataclass(frozen=True)
class HeldSkill:
    """One skill a person says they hold: the skill's id, a level 1 to 5, their own evidence."""

    skill: int
    level: int
    evidence: str = ""


@transaction.atomic
def replace_skills(*, person: User, by: User, skills: Sequence[HeldSkill]) -> list[UserSkill]:
    """Make `skills` the whole list of skills `person` holds; answer it, ordered by family
    and skill name. Skills left out are removed; a listed skill keeps its row (and history)
    and takes the new level and evidence. Only the evidence the person writes is replaced.

    Refuses, with nothing written: anyone but the person or an administrator
    (PermissionDenied); and (ValidationError keyed by the item's JSON path, e.g. `1.skill`,
    `0.level`) a skill listed twice, a skill id nobody has, a level outside 1 to 5 or a boolean,
    evidence with a NUL character or longer than `EVIDENCE_MAX_LENGTH`.
    """
    if not rules.has_perm("accounts.change_profile", by, person):
        raise PermissionDenied(_("Only the person or an administrator may change their skills."))
    wanted = [item.skill for item in skills if _is_id(item.skill)]
    known = set(Skill.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    errors: dict[str, Any] = {}
    first_at: dict[int, int] = {}
    for index, item in enumerate(skills):
        errors |= _held_skill_errors(level=item.level, evidence=item.evidence, prefix=f"{index}.")
        if isinstance(item.skill, bool) or item.skill not in known:
            errors[f"{index}.skill"] = _("No skill has the id %(id)s.") % {"id": item.skill}
        elif item.skill in first_at:
            errors[f"{index}.skill"] = _(
                "This skill is listed twice; the first is at %(index)d."
            ) % {"index": first_at[item.skill]}
        else:
            first_at[item.skill] = index
    if errors:
        raise ValidationError(errors)

    # Two replacements of one person's skills at once would both add the same rows: queue them.
    User.objects.select_for_update().only("pk").get(pk=person.pk)
    held = {row.skill_id: row for row in UserSkill.objects.filter(user=person)}
    # One delete for the skills left out; each removal still leaves its history row.
    UserSkill.objects.filter(user=person).exclude(skill__in=list(first_at)).delete()
    for item in skills:
        row = held.get(item.skill) or UserSkill(user=person, skill_id=item.skill)
        evidence = item.evidence.strip()
        if row.pk is None or (row.level, row.evidence) != (item.level, evidence):
            row.level, row.evidence = item.level, evidence
            row.save()
    return list(skills_held(person=person))


@transaction.atomic
def remove_skill(*, held: UserSkill, by: User) -> None:
    """Remove a skill from a person's profile; `by` must be allowed to change it."""
    if not rules.has_perm("accounts.change_profile", by, held.user):
        raise PermissionDenied
    held.delete()


@transaction.atomic
def create_skill(*, by: User, name: str, family: str) -> Skill:
    """Add a skill to the list people choose from. `family` is a family's name: found
    whatever its capitals, or created.

    Refuses: anyone but programme managers and administrators (PermissionDenied); a name the
    family already has, whatever its capitals, and empty, NUL-holding or over-long names
    (ValidationError on `name` or `family`).
    """
    if not rules.has_perm("accounts.add_skill", by):
        raise PermissionDenied(_("Only programme managers and administrators add skills."))
    refuse_nul(name=name, family=family)
    name, family = cell_text(name), cell_text(family)
    kin = SkillFamily.objects.filter(name__iexact=family).first() if family else None
    if kin is None:
        kin = SkillFamily(name=family)
        try:
            kin.full_clean()
        except ValidationError as error:
            raise ValidationError({"family": error.message_dict["name"]}) from error
        try:
            with transaction.atomic():
                kin.save()
        except IntegrityError:  # the same family, added at the same moment: use it
            kin = SkillFamily.objects.get(name=family)
    elif Skill.objects.filter(family=kin, name__iexact=name).exists():
        raise ValidationError({"name": _taken_skill_name(name, kin)})
    skill = Skill(family=kin, name=name)
    skill.full_clean()
    try:
        with transaction.atomic():
            skill.save()
    except IntegrityError as error:  # the same skill, added at the same moment
        raise ValidationError({"name": _taken_skill_name(name, kin)}) from error
    return skill


def _taken_skill_name(name: str, family: SkillFamily) -> str:
    return _("“%(family)s” has a skill called “%(name)s” already.") % {
        "family": family.name,
        "name": name,
    }


# --- Two-factor -----------------------------------------------------------------------------


@transaction.atomic
def start_totp_setup(*, user: User) -> TOTPDevice:
    """The authenticator-app device being set up for `user`: the unconfirmed one if a
    set-up was started before (so a reload shows the same QR code), else a new one."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by(
        "-pk"
    ).first() or TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def confirm_totp_device(*, device: TOTPDevice, token: str) -> list[str]:
    """Confirm an authenticator app with a code it shows; return new backup codes.

    Refuses a wrong or expired code (ValidationError on `token`; the failure counts
    towards the device's throttling). Any other unconfirmed set-up of the person is
    dropped, and their backup codes are replaced by `BACKUP_CODE_COUNT` new ones, which
    are returned once (django-otp stores them as they are; each works once).
    """
    token = _normalise_code(token)
    if (wait := _throttled_for(device)) is not None:
        raise ValidationError({"token": _wait_message(wait)})
    # Checked outside the write transaction: a failed attempt must stay counted.
    if not (token.isdigit() and len(token) <= 8 and device.verify_token(token)):
        raise ValidationError(
            {"token": _("The code is wrong or has expired. Enter the code your app shows now.")}
        )
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
        return replace_backup_codes(user=device.user)


@transaction.atomic
def replace_backup_codes(*, user: User) -> list[str]:
    """Throw away the person's backup codes and make `BACKUP_CODE_COUNT` new ones."""
    StaticDevice.objects.filter(user=user).delete()
    backup = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _i in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=backup, token=code) for code in codes)
    return codes


def _normalise_code(token: str | None) -> str:
    # People copy codes with spaces ("123 456") or type backup codes in capitals.
    return "".join((token or "").split()).lower()


def check_second_factor(*, user: User, token: str | None, field: str = "otp") -> Device:
    """The confirmed device that accepts `token`: a 6-digit code from the authenticator
    app, or one of the person's backup codes.

    Raises ValidationError on `field` when the code is missing or wrong, or the device is
    throttled after repeated failures. A code is accepted once: an app code cannot be
    replayed and a backup code is used up.
    """
    token = _normalise_code(token)
    if not token:
        raise ValidationError({field: _("Enter the code from your authenticator app.")})
    wrong = ValidationError({field: _("The code is wrong or has expired.")})
    if "\x00" in token or len(token) > 16:
        raise wrong
    # App codes are digits, backup codes letters and digits: ask only the matching kind
    # of device, so a backup code does not count as a failed app code (throttling).
    model: type[Device] = TOTPDevice if token.isdigit() and len(token) <= 8 else StaticDevice
    waits: list[int] = []
    with transaction.atomic():
        devices = model.objects.filter(user=user, confirmed=True).select_for_update()
        for device in devices:
            if (wait := _throttled_for(device)) is not None:
                waits.append(wait)
            elif device.verify_token(token):
                return device
    if waits:
        raise ValidationError({field: _wait_message(min(waits))})
    raise wrong


def _throttled_for(device: Device) -> int | None:
    """Seconds until the device takes codes again after failures (django-otp doubles the
    wait with each failure), or None when it takes them now."""
    allowed, details = device.verify_is_allowed()
    if allowed:
        return None
    until = (details or {}).get("locked_until")
    if until is None:
        return 1
    return max(1, math.ceil((until - timezone.now()).total_seconds()))


def _wait_message(seconds: int) -> str:
    return ngettext(
        "Too many wrong codes. Wait %(seconds)d second, then enter the code again.",
        "Too many wrong codes. Wait %(seconds)d seconds, then enter the code again.",
        seconds,
    ) % {"seconds": seconds}
