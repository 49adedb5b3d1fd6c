"""Ideas, pilots and what happens to them: moves, spending, risks, lessons, and the journeys
that measure a pilot before and after.

A pilot's status changes only through `innohub.pipeline.pilots.move` (the table of
`moves.MOVES`), which records a `PilotEvent` in the same transaction. `Pilot.spent` is the
sum of its `Spend` rows, written only by `pilots.record_spend` in the transaction that adds
one. A journey counts for a pilot through a `Measurement` (the pipeline owns the link;
services knows nothing of pilots).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from innohub.accounts.models import Skill
from innohub.core.models import TimeStamped
from innohub.core.units import MONEY_DIGITS, MONEY_PLACES
from innohub.geo.models import Area
from innohub.orgs.models import Organisation
from innohub.services.models import Journey, PainPoint, Service

from . import moves
from .limits import BUDGET_CODE_MAX, TITLE_MAX


class Idea(TimeStamped):
    """A proposed change to a public service, visible across organisations."""

    title = models.CharField(_("title"), max_length=TITLE_MAX)
    problem = models.TextField(_("problem"))
    who_suffers = models.TextField(_("who suffers"), blank=True)
    proposed_change = models.TextField(_("proposed change"), blank=True)
    expected_change = models.TextField(_("expected change in time, cost and visits"), blank=True)
    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ideas",
    )
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposer"),
        on_delete=models.PROTECT,
        related_name="ideas",
    )
    # Where the proposer was when they wrote it (SETTLED: ideas count there).
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ideas",
    )
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ideas",
    )
    pain_points = models.ManyToManyField(
        PainPoint, verbose_name=_("pain points"), blank=True, related_name="ideas"
    )
    skills = models.ManyToManyField(
        Skill, verbose_name=_("skills"), blank=True, related_name="ideas"
    )
    supporters = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Support", related_name="supported_ideas", blank=True
    )
    supporters_count = models.PositiveIntegerField(_("supporters"), default=0, editable=False)
    comments_count = models.PositiveIntegerField(_("comments"), default=0, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        indexes = [
            models.Index(fields=["-created", "-id"], name="idea_newest"),
            models.Index(fields=["proposer", "-created"], name="idea_proposer"),
        ]

    def __str__(self) -> str:
        return self.title


class Support(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supports"
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="support_once")]
        verbose_name = _("support")
        verbose_name_plural = _("supports")

    def __str__(self) -> str:
        return f"{self.user_id} supports {self.idea_id}"


class Comment(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="idea_comments"
    )
    text = models.TextField(_("comment"))
    created = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.text[:60]


class JoinRequest(models.Model):
    """Someone asks to join the people working on an idea."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    note = models.TextField(_("note"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created", "id"]
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="join_once")]
        verbose_name = _("request to join")
        verbose_name_plural = _("requests to join")

    def __str__(self) -> str:
        return f"{self.user_id} asks to join {self.idea_id}"


class Status(models.TextChoices):
    DRAFT = moves.DRAFT, _("Draft")
    SUBMITTED = moves.SUBMITTED, _("Submitted")
    APPROVED = moves.APPROVED, _("Approved")
    ONGOING = moves.ONGOING, _("Ongoing")
    COMPLETED = moves.COMPLETED, _("Completed")
    DISCONTINUED = moves.DISCONTINUED, _("Discontinued")


class Pilot(TimeStamped):
    """An idea tried in one area, with a lead, a mentor, a budget and a status."""

    title = models.CharField(_("title"), max_length=TITLE_MAX)
    idea = models.ForeignKey(
        Idea, verbose_name=_("idea"), on_delete=models.PROTECT, related_name="pilots"
    )
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="pilots"
    )
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="pilots"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="pilots",
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead"),
        on_delete=models.PROTECT,
        related_name="pilots_led",
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pilots_mentored",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    budget = models.DecimalField(
        _("budget"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, default=Decimal(0)
    )
    currency = models.CharField(_("currency"), max_length=3, default="BDT")
    budget_code = models.CharField(_("budget code"), max_length=BUDGET_CODE_MAX, blank=True)
    # Σ Spend.amount, kept by `pilots.record_spend`.
    spent = models.DecimalField(
        _("spent"),
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        default=Decimal(0),
        editable=False,
    )
    annual_volume = models.PositiveBigIntegerField(
        _("citizens served a year in the pilot area"), default=0
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    replicates = models.ForeignKey(
        "self",
        verbose_name=_("replicates"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replications",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("pilot")
        verbose_name_plural = _("pilots")
        indexes = [
            models.Index(fields=["-created", "-id"], name="pilot_newest"),
            models.Index(fields=["status", "-created", "-id"], name="pilot_status_newest"),
            models.Index(fields=["lead", "status"], name="pilot_lead_status"),
            models.Index(fields=["mentor", "status"], name="pilot_mentor_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(mentor=models.F("lead")), name="pilot_mentor_not_lead"
            ),
            models.CheckConstraint(
                condition=models.Q(spent__lte=models.F("budget")), name="pilot_within_budget"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PilotEvent(models.Model):
    """One move of a pilot: from which status to which, who, when, why."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("from"), max_length=16, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="pilot_events",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("pilot move")
        verbose_name_plural = _("pilot moves")

    def __str__(self) -> str:
        return f"{self.pilot_id}: {self.from_status} → {self.to_status}"


class Spend(models.Model):
    pilot = models.ForeignKey(Pilot, on_delete=models.PROTECT, related_name="spends")
    amount = models.DecimalField(
        _("amount"),
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    spent_on = models.DateField(_("spent on"))
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pilot_spends"
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["spent_on", "id"]
        verbose_name = _("spending")
        verbose_name_plural = _("spending")

    def __str__(self) -> str:
        return f"{self.amount} on {self.spent_on}"


class ProjectDesign(TimeStamped):
    """The document of an idea's design workshop: what the project will do, when, with what
    money and people, what may go wrong, and how its effect on citizens will be measured."""

    idea = models.OneToOneField(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="design"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    objectives = models.TextField(_("objectives"))
    team = models.TextField(_("team"), blank=True, help_text=_("Who does what."))
    currency = models.CharField(_("currency"), max_length=3, default="BDT")
    # How baseline and after journeys will be measured: which, how many, when.
    measurement_method = models.TextField(_("which journeys"), blank=True)
    baseline_journeys = models.PositiveIntegerField(_("baseline journeys"), default=0)
    after_journeys = models.PositiveIntegerField(_("after journeys"), default=0)
    baseline_from = models.DateField(_("baseline from"), null=True, blank=True)
    baseline_to = models.DateField(_("baseline to"), null=True, blank=True)
    after_from = models.DateField(_("after from"), null=True, blank=True)
    after_to = models.DateField(_("after to"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="project_designs",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project design")
        verbose_name_plural = _("project designs")

    def __str__(self) -> str:
        return self.title


class Activity(models.Model):
    """One line of a design's timeline."""

    design = models.ForeignKey(ProjectDesign, on_delete=models.CASCADE, related_name="activities")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("activity"), max_length=TITLE_MAX)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    who = models.CharField(_("who"), max_length=TITLE_MAX, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return self.title


class BudgetLine(models.Model):
    """A planned cost of a design (not funding: a pilot's budget is its cap)."""

    design = models.ForeignKey(ProjectDesign, on_delete=models.CASCADE, related_name="budget_lines")
    position = models.PositiveSmallIntegerField()
    item = models.CharField(_("item"), max_length=TITLE_MAX)
    amount = models.DecimalField(_("amount"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    note = models.CharField(_("note"), max_length=TITLE_MAX, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self) -> str:
        return f"{self.item}: {self.amount}"


class Risk(TimeStamped):
    """A risk in a pilot's register, or foreseen in a project design."""

    pilot = models.ForeignKey(
        Pilot, null=True, blank=True, on_delete=models.CASCADE, related_name="risks"
    )
    design = models.ForeignKey(
        ProjectDesign, null=True, blank=True, on_delete=models.CASCADE, related_name="risks"
    )
    description = models.TextField(_("description"))
    likelihood = models.PositiveSmallIntegerField(
        _("likelihood"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    impact = models.PositiveSmallIntegerField(
        _("impact"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    exposure = models.TextField(_("exposure agreed"), blank=True)
    course_correction = models.TextField(_("course correction"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pilot_risks"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    likelihood__gte=1, likelihood__lte=5, impact__gte=1, impact__lte=5
                ),
                name="risk_scale_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(pilot__isnull=False, design__isnull=True)
                | models.Q(pilot__isnull=True, design__isnull=False),
                name="risk_of_pilot_or_design",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:60]

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


class Lesson(models.Model):
    """What a pilot taught: kept for completed and discontinued pilots alike."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="lessons")
    text = models.TextField(_("lesson"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pilot_lessons"
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        indexes = [models.Index(fields=["-created", "-id"], name="lesson_newest")]

    def __str__(self) -> str:
        return self.text[:60]


class Phase(models.TextChoices):
    BASELINE = "baseline", _("Baseline")
    AFTER = "after", _("After")


class Measurement(models.Model):
    """A journey counts for a pilot, before (baseline) or after the change."""

    pilot = models.ForeignKey(Pilot, on_delete=models.PROTECT, related_name="measurements")
    journey = models.OneToOneField(Journey, on_delete=models.CASCADE, related_name="measurement")
    phase = models.CharField(_("phase"), max_length=8, choices=Phase.choices)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        indexes = [models.Index(fields=["pilot", "phase"], name="measurement_pilot_phase")]

    def __str__(self) -> str:
        return f"{self.journey_id}: {self.phase} of {self.pilot_id}"


class MentoringNote(models.Model):
    """A mentor's note on a meeting with the pilot's team, dated."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="mentoring_notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mentoring_notes"
    )
    met_on = models.DateField(_("met on"))
    text = models.TextField(_("note"))
    created = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-met_on", "-id"]
        verbose_name = _("mentoring note")
        verbose_name_plural = _("mentoring notes")

    def __str__(self) -> str:
        return f"{self.met_on}: {self.text[:60]}"


class SearchEntry(models.Model):
    """The searchable words of one idea, pilot or lesson (`innohub.pipeline.search`)."""

    kind = models.CharField(max_length=8)
    object_id = models.BigIntegerField()
    text = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class SearchTerm(models.Model):
    """How many search entries hold a word: `search.similar` leaves out the words most
    entries hold, which match everything and would make every query slow. The entry with the
    empty word counts the entries themselves."""

    word = models.CharField(max_length=100, primary_key=True)
    entries = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.word}: {self.entries}"
