"""Training: programmes (templates), cohorts, applications and selection, sessions and
attendance, the people trained, and the exercises of a course (hopes and fears, secret
shopper assignments, Policy Lab concepts) — docs/api.md, "Training".

Stored counts are kept by the domain functions in the transaction that changes what they
count: a cohort's applications and selected participants, a participant's sessions attended.
A person is `Trained` once, from their first completed cohort (SETTLED.md, "Counting").
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from innohub.core.models import TimeStamped
from innohub.geo.models import Area
from innohub.orgs.models import Organisation
from innohub.pipeline.models import Idea
from innohub.services.models import Service

from .criteria import every_criterion
from .limits import NAME_MAX, TITLE_MAX, TRACK_MAX

COMPLETION_PCT_DEFAULT = 80


class Programme(TimeStamped):
    """A course as a template: its days, modules and tracks. Cohorts run it."""

    name = models.CharField(_("name"), max_length=NAME_MAX, unique=True)
    # A stable handle for the templates `migrate` creates ("empathy", "policy-lab").
    key = models.SlugField(_("key"), max_length=40, unique=True, null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    days = models.PositiveSmallIntegerField(
        _("days"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    tracks = models.JSONField(_("tracks"), default=list, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name


class Module(models.Model):
    """A part of a programme's day, with what participants should leave knowing."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="modules"
    )
    day = models.PositiveSmallIntegerField(_("day"), validators=[MinValueValidator(1)])
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    goals = models.TextField(_("learning goals"), blank=True)
    track = models.CharField(_("track"), max_length=TRACK_MAX, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "day", "position", "id"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def __str__(self) -> str:
        return self.title


class CohortStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open for applications")
    RUNNING = "running", _("Running")
    CLOSED = "closed", _("Closed")


class Cohort(TimeStamped):
    """One run of a programme: dates, venue, institute, trainers, capacity and the share of
    sessions a participant attends to complete it."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="cohorts"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    institute = models.ForeignKey(
        Organisation,
        verbose_name=_("training institute"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cohorts",
    )
    venue = models.CharField(_("venue"), max_length=TITLE_MAX, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    # The last day applications are taken; by default the day before the start.
    applications_close_on = models.DateField(_("applications close on"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), validators=[MinValueValidator(1), MaxValueValidator(10_000)]
    )
    completion_pct = models.PositiveSmallIntegerField(
        _("attendance needed to complete (%)"),
        default=COMPLETION_PCT_DEFAULT,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    # The selection criteria scored for this cohort (keys of `criteria.CRITERIA`).
    criteria = models.JSONField(_("selection criteria"), default=every_criterion, blank=True)
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainers"),
        blank=True,
        related_name="cohorts_trained",
    )
    applications_count = models.PositiveIntegerField(_("applications"), default=0, editable=False)
    selected_count = models.PositiveIntegerField(_("selected"), default=0, editable=False)
    completed_count = models.PositiveIntegerField(_("completed"), default=0, editable=False)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cohorts_created"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        indexes = [models.Index(fields=["-starts_on", "-id"], name="cohort_newest")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="cohort_dates_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(selected_count__lte=models.F("capacity")),
                name="cohort_within_capacity",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def last_application_day(self) -> datetime.date:
        return self.applications_close_on or self.starts_on - datetime.timedelta(days=1)

    def status_on(self, day: datetime.date) -> str:
        if self.closed_on is not None:
            return CohortStatus.CLOSED
        if day >= self.starts_on:
            return CohortStatus.RUNNING
        if day <= self.last_application_day:
            return CohortStatus.OPEN
        return CohortStatus.PLANNED

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.selected_count, 0)


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    SELECTED = "selected", _("Selected")
    WAITLISTED = "waitlisted", _("Waitlisted")


class Application(TimeStamped):
    """A civil servant asks for a place, with their motivation; the programme manager scores
    it on the selection criteria and selects or waitlists it."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="applications"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.CASCADE,
        related_name="training_applications",
    )
    motivation = models.TextField(_("motivation"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.APPLIED,
        db_index=True,
    )
    # Scores 1-5 by criterion key (the cohort's `criteria`) and their mean, for ranking.
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    score = models.DecimalField(
        _("score"), max_digits=4, decimal_places=2, null=True, blank=True, editable=False
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["cohort", "id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "applicant"], name="one_application_each")
        ]

    def __str__(self) -> str:
        return f"{self.applicant} → {self.cohort}"


class Participant(TimeStamped):
    """Someone selected for a cohort (through an application, or enrolled directly by a
    programme manager); `attended` counts their sessions, kept with the attendance."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="training_places",
    )
    track = models.CharField(_("track"), max_length=TRACK_MAX, blank=True)
    application = models.OneToOneField(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="participant"
    )
    attended = models.PositiveIntegerField(_("sessions attended"), default=0, editable=False)
    completed = models.BooleanField(_("completed"), default=False, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["cohort", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [models.UniqueConstraint(fields=["cohort", "user"], name="one_place_each")]

    def __str__(self) -> str:
        return f"{self.user} ({self.cohort})"


class Session(TimeStamped):
    """A scheduled part of a cohort; a track's session counts only for that track."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="sessions"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    track = models.CharField(_("track"), max_length=TRACK_MAX, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["cohort", "starts_at", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="attendance"
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="present_once")
        ]

    def __str__(self) -> str:
        return f"{self.participant} @ {self.session}"


class Trained(models.Model):
    """A person counts as trained once, from their first completed cohort: its close date,
    and the organisation and area they had then (SETTLED.md, "Counting")."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trained"
    )
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="first_trained")
    on = models.DateField(_("trained on"), db_index=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person trained")
        verbose_name_plural = _("people trained")

    def __str__(self) -> str:
        return f"{self.user} ({self.on})"


# --- Exercises ------------------------------------------------------------------------------


class NoteKind(models.TextChoices):
    HOPE = "hope", _("Hope")
    FEAR = "fear", _("Fear")


class Theme(TimeStamped):
    """A group of hopes and fears the facilitator named."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="themes")
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["cohort", "id"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.title


class Note(TimeStamped):
    """A participant's hope or fear for the course, on a sticky note."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_notes"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=NoteKind.choices)
    text = models.CharField(_("text"), max_length=TITLE_MAX)
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="notes"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["cohort", "id"]
        verbose_name = _("hope or fear")
        verbose_name_plural = _("hopes and fears")

    def __str__(self) -> str:
        return self.text


class Assignment(TimeStamped):
    """A secret-shopper assignment: a participant goes through a real service as a citizen
    would; their journeys of that service observed during the cohort count for it."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="assignments")
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shopper_assignments"
    )
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="+"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["cohort", "id"]
        verbose_name = _("secret-shopper assignment")
        verbose_name_plural = _("secret-shopper assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "participant", "service"], name="assigned_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.service}"


class Concept(TimeStamped):
    """A Policy Lab team's concept; it becomes an idea in one action (training owns the link,
    SETTLED.md)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="concepts")
    track = models.CharField(_("track"), max_length=TRACK_MAX, blank=True)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    problem = models.TextField(_("problem"))
    users = models.TextField(_("who suffers"), blank=True)
    proposal = models.TextField(_("proposal"), blank=True)
    next_step = models.TextField(_("next step"), blank=True)
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("team"), blank=True, related_name="concepts"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    idea = models.OneToOneField(
        Idea, null=True, blank=True, on_delete=models.SET_NULL, related_name="concept"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["cohort", "id"]
        verbose_name = _("concept")
        verbose_name_plural = _("concepts")

    def __str__(self) -> str:
        return self.title


class Feedback(TimeStamped):
    """A participant's end-of-course survey: three ratings 1-5 and a comment, once."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="feedback")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_feedback"
    )
    overall = models.PositiveSmallIntegerField(
        _("overall"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    relevance = models.PositiveSmallIntegerField(
        _("useful for my work"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    facilitation = models.PositiveSmallIntegerField(
        _("facilitation"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    recommend = models.BooleanField(_("would recommend it to a colleague"))
    comment = models.TextField(_("comment"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["cohort", "id"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [models.UniqueConstraint(fields=["cohort", "user"], name="feedback_once")]

    def __str__(self) -> str:
        return f"{self.user} ({self.cohort})"
