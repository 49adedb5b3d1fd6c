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
from typing import Any

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
    # A university (or another partner) that hosts the pilot as a testbed.
    partner = models.ForeignKey(
        Organisation,
        verbose_name=_("testbed partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pilots_hosted",
        limit_choices_to={"kind": "partner"},
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
    # The latest reach figure by date after a scale-up, kept by `scaling.record_reach`.
    citizens_reached = models.PositiveBigIntegerField(
        _("citizens reached"), null=True, blank=True, editable=False
    )
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
        # The monthly review reads a month's moves.
        indexes = [models.Index(fields=["at"], name="pilotevent_at")]

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


# --- The innovation fund -------------------------------------------------------------------


class FundingCall(TimeStamped):
    """A round of the innovation fund: a budget in one currency, open between two dates, with
    criteria proposals are judged by. `awarded` is the sum of its awards, kept by
    `funding.award` in the transaction that makes one; it never passes `budget`."""

    title = models.CharField(_("title"), max_length=TITLE_MAX)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="funding_calls",
    )
    budget = models.DecimalField(_("budget"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    currency = models.CharField(_("currency"), max_length=3, default="BDT")
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    criteria = models.TextField(_("what the call looks for"), blank=True)
    awarded = models.DecimalField(
        _("awarded"),
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        default=Decimal(0),
        editable=False,
    )
    proposals_count = models.PositiveIntegerField(_("proposals"), default=0, editable=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="funding_calls"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-opens_on", "-id"]
        verbose_name = _("funding call")
        verbose_name_plural = _("funding calls")
        indexes = [models.Index(fields=["-opens_on", "-id"], name="funding_call_newest")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(awarded__lte=models.F("budget")), name="call_within_budget"
            ),
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")), name="call_dates_in_order"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.awarded


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    AWARDED = "awarded", _("Awarded")
    DECLINED = "declined", _("Declined")


class Proposal(TimeStamped):
    """An idea (and, if it has one, its pilot) asking a funding call for money. `reviews`,
    `score_sum` (Σ of each review's four scores), `mean_score`, `rank_score` and `spread` are kept by
    `funding.review` when a review is added."""

    call = models.ForeignKey(
        FundingCall,
        verbose_name=_("funding call"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    idea = models.ForeignKey(
        Idea, verbose_name=_("idea"), on_delete=models.PROTECT, related_name="proposals"
    )
    pilot = models.ForeignKey(
        Pilot,
        verbose_name=_("pilot"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    requested = models.DecimalField(
        _("requested"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES
    )
    summary = models.TextField(_("summary"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ProposalStatus.choices,
        default=ProposalStatus.SUBMITTED,
        editable=False,
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="proposals_sent",
    )
    assessors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Assessor",
        through_fields=("proposal", "user"),
        related_name="proposals_to_assess",
    )
    reviews = models.PositiveIntegerField(_("reviews"), default=0, editable=False)
    score_sum = models.PositiveIntegerField(default=0, editable=False)
    mean_score = models.DecimalField(
        _("mean score"), max_digits=4, decimal_places=2, null=True, blank=True, editable=False
    )
    spread = models.DecimalField(
        _("spread"), max_digits=4, decimal_places=2, null=True, blank=True, editable=False
    )
    # The mean score, 0 without reviews: the ranked table's key, never null so that it pages
    # by keyset (unreviewed proposals rank last, as every mean is at least 1).
    rank_score = models.DecimalField(
        max_digits=4, decimal_places=2, default=Decimal(0), editable=False
    )
    amount = models.DecimalField(
        _("amount awarded"),
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        null=True,
        blank=True,
        editable=False,
    )
    decision_note = models.TextField(_("note on the decision"), blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals_decided",
        editable=False,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [
            models.Index(fields=["call", "-rank_score", "id"], name="proposal_call_ranked"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["call", "idea"], name="proposal_once_per_call"),
        ]

    def __str__(self) -> str:
        return f"{self.idea} ({self.call})"


class Assessor(models.Model):
    """A person a programme manager asked to review a proposal."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessments"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessors_assigned"
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessor")
        verbose_name_plural = _("assessors")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="assessor_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.proposal_id}"


def _score(verbose: Any) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        verbose, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )


class Review(models.Model):
    """An assessor's scores of a proposal on the fund's four criteria, 1 to 5 each; once."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="review_set")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews_written"
    )
    impact = _score(_("impact"))
    feasibility = _score(_("feasibility"))
    replicability = _score(_("replicability"))
    value_for_money = _score(_("value for money"))
    note = models.TextField(_("note"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "assessor"], name="review_once"),
        ]

    def __str__(self) -> str:
        return f"{self.assessor_id} on {self.proposal_id}"

    @property
    def total(self) -> int:
        return self.impact + self.feasibility + self.replicability + self.value_for_money


# --- Showcases ------------------------------------------------------------------------------


class Showcase(TimeStamped):
    """An event where an organisation's completed pilots are presented and scored, to decide
    which are replicated, which go national and which stop."""

    title = models.CharField(_("title"), max_length=TITLE_MAX)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="showcases",
    )
    held_on = models.DateField(_("held on"))
    venue = models.CharField(_("venue"), max_length=TITLE_MAX, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="showcases"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("showcase")
        verbose_name_plural = _("showcases")
        indexes = [models.Index(fields=["-held_on", "-id"], name="showcase_newest")]

    def __str__(self) -> str:
        return self.title


class Recommendation(models.TextChoices):
    REPLICATE = "replicate", _("Replicate")
    SCALE = "scale", _("Scale up nationally")
    STOP = "stop", _("Stop")


class Presentation(models.Model):
    """A completed pilot presented at a showcase, with its scores rolled up: `n` scores,
    `total_sum` (Σ of each score's four criteria), `mean_total` and the count of each
    recommendation — kept by `showcases.score` when a score is added."""

    showcase = models.ForeignKey(Showcase, on_delete=models.CASCADE, related_name="presentations")
    pilot = models.ForeignKey(Pilot, on_delete=models.PROTECT, related_name="presentations")
    n = models.PositiveIntegerField(default=0, editable=False)
    total_sum = models.PositiveIntegerField(default=0, editable=False)
    mean_total = models.DecimalField(
        max_digits=4, decimal_places=2, null=True, blank=True, editable=False
    )
    replicate = models.PositiveIntegerField(default=0, editable=False)
    scale = models.PositiveIntegerField(default=0, editable=False)
    stop = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("presentation")
        verbose_name_plural = _("presentations")
        constraints = [
            models.UniqueConstraint(fields=["showcase", "pilot"], name="presented_once"),
        ]
        indexes = [
            models.Index(fields=["showcase", "-mean_total"], name="presentation_ranked"),
        ]

    def __str__(self) -> str:
        return f"{self.pilot_id} at {self.showcase_id}"


class ShowcaseScore(models.Model):
    """A reviewer's scores of one pilot at one showcase, with a recommendation; once."""

    presentation = models.ForeignKey(Presentation, on_delete=models.CASCADE, related_name="scores")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="showcase_scores"
    )
    impact = _score(_("impact"))
    cost = _score(_("cost"))
    replicability = _score(_("replicability"))
    readiness = _score(_("readiness"))
    recommendation = models.CharField(
        _("recommendation"), max_length=16, choices=Recommendation.choices
    )
    note = models.TextField(_("note"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("showcase score")
        verbose_name_plural = _("showcase scores")
        constraints = [
            models.UniqueConstraint(
                fields=["presentation", "reviewer"], name="showcase_score_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer_id} on {self.presentation_id}"

    @property
    def total(self) -> int:
        return self.impact + self.cost + self.replicability + self.readiness


# --- National scale-up ----------------------------------------------------------------------


class ScaleUp(models.Model):
    """The national decision to take a completed pilot to the whole country."""

    pilot = models.OneToOneField(Pilot, on_delete=models.PROTECT, related_name="scale_up")
    decided_on = models.DateField(_("decided on"))
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="scale_ups"
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scale-up")
        verbose_name_plural = _("scale-ups")
        indexes = [models.Index(fields=["decided_on"], name="scale_up_decided")]

    def __str__(self) -> str:
        return f"{self.pilot_id} on {self.decided_on}"


class Reach(models.Model):
    """How many citizens a scaled pilot reached, as of a date; one figure a date (a second
    one corrects the first)."""

    scale_up = models.ForeignKey(ScaleUp, on_delete=models.CASCADE, related_name="reaches")
    on = models.DateField(_("as of"))
    citizens_reached = models.PositiveBigIntegerField(_("citizens reached"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["on"]
        verbose_name = _("reach")
        verbose_name_plural = _("reach figures")
        constraints = [
            models.UniqueConstraint(fields=["scale_up", "on"], name="reach_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.citizens_reached} on {self.on}"


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
