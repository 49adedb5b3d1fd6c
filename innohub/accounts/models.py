"""People: the user, their profile and skills, innovation teams, API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from innohub.core.models import TimeStamped
from innohub.geo.models import Area
from innohub.orgs.models import Organisation


class User(AbstractUser):
    """The project's own user model, in place from the first migration."""

    name_local = models.CharField(_("name in local script"), max_length=200, blank=True)
    # The language the person last chose for the product: their e-mails are written in it.
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, blank=True, editable=False
    )
    # Kept by `innohub.accounts.notifications`, read from the signed-in user: no query a page.
    unread_notifications = models.PositiveIntegerField(default=0, editable=False)

    # Who changed a person's names, status or roles, and when. The password hash stays out of
    # history, and sign-ins (last_login) are not changes.
    history = HistoricalRecords(
        excluded_fields=["password", "last_login", "language", "unread_notifications"],
        m2m_fields=["groups"],
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        # The people list's order (by name, then the key its cursor adds), for active people.
        indexes = [
            models.Index(
                fields=["first_name", "last_name", "username", "id"],
                condition=models.Q(is_active=True),
                name="user_people_order",
            )
        ]

    @property
    def name(self) -> str:
        return self.get_full_name() or self.username

    def role_names(self) -> list[str]:
        return sorted(group.name for group in self.groups.all())


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Another gender")
    UNSAID = "", _("Prefer not to say")


class Profile(TimeStamped):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="profiles",
    )
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="profiles",
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    grade = models.CharField(
        _("grade or level"), max_length=40, blank=True, help_text=_("e.g. Grade 6, P-3")
    )
    languages = models.CharField(
        _("languages"),
        max_length=200,
        blank=True,
        help_text=_("Languages you work in, separated by commas."),
    )
    gender = models.CharField(
        _("gender"),
        max_length=16,
        choices=Gender.choices,
        blank=True,
        help_text=_("Optional; used only for balance reports."),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    bio = models.TextField(_("about me"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return str(self.user)

    def language_list(self) -> list[str]:
        return [lang.strip() for lang in self.languages.split(",") if lang.strip()]


class SkillFamily(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("skill family")
        verbose_name_plural = _("skill families")

    def __str__(self) -> str:
        return self.name


class Skill(models.Model):
    family = models.ForeignKey(
        SkillFamily, verbose_name=_("family"), on_delete=models.PROTECT, related_name="skills"
    )
    name = models.CharField(_("name"), max_length=100)

    history = HistoricalRecords()

    class Meta:
        ordering = ["family__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["family", "name"], name="skill_unique_in_family")
        ]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")

    def __str__(self) -> str:
        return self.name


class SkillLevel(models.IntegerChoices):
    AWARE = 1, _("Aware")
    PRACTISING = 2, _("Practising")
    EXPERIENCED = 3, _("Experienced")
    EXPERT = 4, _("Expert")
    LEADING = 5, _("Leading")


# What a person writes to show a skill: the page's form, the services and the API share it.
EVIDENCE_MAX_LENGTH = 2000


class UserSkill(TimeStamped):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="skills"
    )
    skill = models.ForeignKey(
        Skill, verbose_name=_("skill"), on_delete=models.PROTECT, related_name="holders"
    )
    level = models.PositiveSmallIntegerField(
        _("level"),
        choices=SkillLevel.choices,
        default=SkillLevel.PRACTISING,
        validators=[
            MinValueValidator(min(SkillLevel.values)),
            MaxValueValidator(max(SkillLevel.values)),
        ],
    )
    evidence = models.TextField(
        _("evidence"), blank=True, help_text=_("What you did that shows this skill.")
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "skill"], name="userskill_unique")]
        verbose_name = _("skill held")
        verbose_name_plural = _("skills held")

    def __str__(self) -> str:
        return f"{self.user} · {self.skill}"


class InnovationTeam(TimeStamped):
    """The innovation team of a ministry, department, office or district."""

    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation served"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="innovation_teams",
    )
    area = models.ForeignKey(
        Area,
        verbose_name=_("area served"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="innovation_teams",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="TeamMembership", related_name="innovation_teams"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("innovation team")
        verbose_name_plural = _("innovation teams")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False) | models.Q(area__isnull=False),
                name="team_serves_something",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.organisation_id is None and self.area_id is None:
            raise ValidationError(
                {"organisation": _("A team serves an organisation, an area, or both.")}
            )


class TeamRole(models.TextChoices):
    LEAD = "lead", _("Team lead")
    MEMBER = "member", _("Member")


class TeamMembership(TimeStamped):
    team = models.ForeignKey(InnovationTeam, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships"
    )
    role = models.CharField(
        _("role"), max_length=16, choices=TeamRole.choices, default=TeamRole.MEMBER
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="membership_unique")]
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")

    def __str__(self) -> str:
        return f"{self.user} in {self.team}"


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal API token: shown once, stored as a SHA-256 digest, expiring."""

    PREFIX = "ih_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(_("starts with"), max_length=12, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)
    expires = models.DateTimeField(_("expires"))

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.hint}… ({self.user})"

    @classmethod
    def issue(cls, *, user, name: str = "", days: int | None = None) -> tuple[ApiToken, str]:
        """Create a token; return it and its secret (which is never stored)."""
        secret = cls.PREFIX + secrets.token_urlsafe(32)
        lifetime = timedelta(days=days if days is not None else settings.API_TOKEN_DAYS)
        token = cls.objects.create(
            user=user,
            name=name,
            digest=hash_token(secret),
            hint=secret[:10],
            expires=timezone.now() + lifetime,
        )
        return token, secret

    @property
    def is_expired(self) -> bool:
        return self.expires <= timezone.now()


class Notification(models.Model):
    """Something that needs a person: shown in the product (with an unread count) and sent by
    e-mail by the task worker, in the person's language. `subject` and `body` are kept in
    English with their `params`, and translated when shown or sent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"), blank=True)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "-created", "-id"], name="notification_inbox")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind}"
