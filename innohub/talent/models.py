"""Free Agents: civil servants qualified by an assessment, who move between challenges that
managers across government post, matched by their skills (docs/api.md, "Talent").

- An **Application** is assessed in steps (screening, interview, work sample, references),
  then decided; an accepted one makes the person a **FreeAgent**. A programme manager may
  also make one directly.
- A **Challenge** asks for skills at levels, has seats, a start and a length, a place or
  remote work, and what the host pays back to the agent's home organisation.
- An **Assignment** is an offer of a seat to an agent: offered → accepted → active →
  completed, or declined. Its closing review adds **SkillEvidence** to the agent's skills,
  in a table of its own, which the person's profile edits never touch (SETTLED.md).

The agent's home organisation, gender and grade are kept as they were when they joined, so
the workforce figures describe the intake without joining profiles that change. Stored
counts (a challenge's seats taken and needs, an agent's offers waiting) are kept by
`services` in the transaction that changes them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from innohub.accounts.models import Skill, SkillLevel
from innohub.core.models import TimeStamped
from innohub.core.units import MONEY_DIGITS, MONEY_PLACES
from innohub.orgs.models import Organisation

from .limits import LOCATION_MAX, NOTE_MAX, SEATS_MAX, TEXT_MAX, TITLE_MAX, WEEKS_MAX

LEVEL_VALIDATORS = [
    MinValueValidator(min(SkillLevel.values)),
    MaxValueValidator(max(SkillLevel.values)),
]


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Being assessed")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Not accepted")


class Application(TimeStamped):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="free_agent_applications",
    )
    statement = models.TextField(
        _("why you want to be a free agent"),
        max_length=TEXT_MAX,
        help_text=_("What you would bring, and what you want to learn."),
    )
    available_from = models.DateField(_("available from"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("reason"), max_length=NOTE_MAX, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status="submitted"),
                name="application_one_open",
            )
        ]
        indexes = [models.Index(fields=["status", "-id"], name="application_by_status")]
        verbose_name = _("free agent application")
        verbose_name_plural = _("free agent applications")

    def __str__(self) -> str:
        return str(self.person)


class StepKind(models.TextChoices):
    SCREENING = "screening", _("Screening")
    INTERVIEW = "interview", _("Interview")
    WORK_SAMPLE = "work_sample", _("Work sample")
    REFERENCES = "references", _("References")


class StepOutcome(models.TextChoices):
    PASSED = "passed", _("Passed")
    NOT_PASSED = "not_passed", _("Not passed")


class AssessmentStep(TimeStamped):
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="steps",
    )
    kind = models.CharField(_("step"), max_length=16, choices=StepKind.choices)
    outcome = models.CharField(_("outcome"), max_length=16, choices=StepOutcome.choices)
    note = models.TextField(_("note"), max_length=NOTE_MAX, blank=True)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    done_on = models.DateField(_("done on"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["application", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind"], name="step_once_per_kind")
        ]
        verbose_name = _("assessment step")
        verbose_name_plural = _("assessment steps")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_outcome_display()}"


class AgentStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    ASSIGNED = "assigned", _("On a challenge")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class FreeAgent(TimeStamped):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="free_agent",
    )
    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="free_agent",
    )
    available_from = models.DateField(_("available from"))
    status = models.CharField(
        _("status"), max_length=16, choices=AgentStatus.choices, default=AgentStatus.AVAILABLE
    )
    joined_on = models.DateField(_("joined on"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    # As they were when the person joined (the workforce view's groups).
    home_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("home organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="free_agents",
    )
    home_ministry = models.ForeignKey(
        Organisation,
        verbose_name=_("home ministry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    gender = models.CharField(_("gender"), max_length=16, blank=True)
    grade = models.CharField(_("grade or level"), max_length=40, blank=True)
    offers_waiting = models.PositiveIntegerField(_("offers waiting"), default=0)
    completed = models.PositiveIntegerField(_("challenges completed"), default=0)

    history = HistoricalRecords(excluded_fields=["offers_waiting", "completed"])

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "available_from"], name="agent_by_availability"),
        ]
        verbose_name = _("free agent")
        verbose_name_plural = _("free agents")

    def __str__(self) -> str:
        return str(self.user)


class Challenge(TimeStamped):
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    problem = models.TextField(
        _("the problem"),
        max_length=TEXT_MAX,
        help_text=_("What is wrong today, for whom, and what a good result would be."),
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("host organisation"),
        on_delete=models.PROTECT,
        related_name="talent_challenges",
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        on_delete=models.PROTECT,
        related_name="talent_challenges",
    )
    seats = models.PositiveSmallIntegerField(
        _("seats"), validators=[MinValueValidator(1), MaxValueValidator(SEATS_MAX)]
    )
    starts_on = models.DateField(_("starts on"))
    weeks = models.PositiveSmallIntegerField(
        _("length in weeks"), validators=[MinValueValidator(1), MaxValueValidator(WEEKS_MAX)]
    )
    location = models.CharField(_("location"), max_length=LOCATION_MAX, blank=True)
    remote = models.BooleanField(_("can be done remotely"), default=False)
    cost_recovery = models.DecimalField(
        _("cost recovery"),
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        default=0,
        help_text=_(
            "What the host pays back to the agent's home organisation, for the whole challenge."
        ),
    )
    currency = models.CharField(
        _("currency"), max_length=3, default="BDT", help_text=_("ISO 4217 code, e.g. BDT.")
    )
    # Offers waiting, accepted, active and completed: a declined offer gives its seat back.
    seats_taken = models.PositiveSmallIntegerField(_("seats taken"), default=0)
    needs_count = models.PositiveSmallIntegerField(_("skills asked"), default=0)

    history = HistoricalRecords(excluded_fields=["seats_taken"])

    class Meta:
        ordering = ["starts_on", "id"]
        indexes = [
            models.Index(fields=["starts_on", "id"], name="challenge_by_start"),
            models.Index(fields=["organisation", "starts_on"], name="challenge_by_org"),
        ]
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")

    def __str__(self) -> str:
        return self.title

    @property
    def seats_open(self) -> int:
        return max(self.seats - self.seats_taken, 0)


class ChallengeSkill(models.Model):
    challenge = models.ForeignKey(
        Challenge, verbose_name=_("challenge"), on_delete=models.CASCADE, related_name="needs"
    )
    skill = models.ForeignKey(
        Skill, verbose_name=_("skill"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(
        _("level asked"), choices=SkillLevel.choices, validators=LEVEL_VALIDATORS
    )

    class Meta:
        ordering = ["challenge", "skill__name"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "skill"], name="challenge_skill_once")
        ]
        indexes = [models.Index(fields=["skill", "level"], name="need_by_skill")]
        verbose_name = _("skill asked")
        verbose_name_plural = _("skills asked")

    def __str__(self) -> str:
        return f"{self.skill} ({self.level})"


class AssignmentStatus(models.TextChoices):
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Accepted")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    DECLINED = "declined", _("Declined")


# The assignments that hold a seat.
HOLDING = [
    AssignmentStatus.OFFERED,
    AssignmentStatus.ACCEPTED,
    AssignmentStatus.ACTIVE,
    AssignmentStatus.COMPLETED,
]


class Assignment(TimeStamped):
    challenge = models.ForeignKey(
        Challenge,
        verbose_name=_("challenge"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    agent = models.ForeignKey(
        FreeAgent,
        verbose_name=_("free agent"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.OFFERED,
    )
    # The match when offered: skills held at the level asked, of how many asked.
    match = models.PositiveSmallIntegerField(_("match"))
    of = models.PositiveSmallIntegerField(_("skills asked"))
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("offered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decline_reason = models.CharField(_("reason"), max_length=NOTE_MAX, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    review = models.TextField(_("closing review"), max_length=TEXT_MAX, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "agent"],
                condition=~models.Q(status="declined"),
                name="assignment_once_per_pair",
            )
        ]
        indexes = [
            models.Index(fields=["agent", "status"], name="assignment_by_agent"),
            models.Index(fields=["challenge", "status"], name="assignment_by_challenge"),
        ]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self) -> str:
        return f"{self.agent} · {self.challenge}"


class SkillEvidence(TimeStamped):
    """What a closing review showed of one skill: kept apart from the person's own
    evidence, which `PUT /people/{id}/skills` replaces."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="review_evidence",
    )
    skill = models.ForeignKey(
        Skill, verbose_name=_("skill"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(
        _("level shown"), choices=SkillLevel.choices, validators=LEVEL_VALIDATORS
    )
    text = models.TextField(_("evidence"), max_length=NOTE_MAX)
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["user", "skill__name", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "skill"], name="evidence_once_per_review")
        ]
        verbose_name = _("skill evidence from a review")
        verbose_name_plural = _("skill evidence from reviews")

    def __str__(self) -> str:
        return f"{self.user}: {self.skill} ({self.level})"


class WorkforceSnapshot(models.Model):
    """The workforce figures as counted at one moment by the worker (every day, or when a
    programme manager asks): the page reads the latest, never the agents themselves."""

    made_at = models.DateTimeField(_("counted at"), db_index=True)
    figures = models.JSONField(_("figures"))

    class Meta:
        ordering = ["-made_at"]
        get_latest_by = "made_at"
        verbose_name = _("workforce count")
        verbose_name_plural = _("workforce counts")

    def __str__(self) -> str:
        return str(self.made_at)
