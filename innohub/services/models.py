"""Public services, their process maps (variants) and observed citizen journeys, made of steps.

TCV (Time, Cost and Visits) is never typed in: `innohub.services.tcv` computes it from the
steps, and each journey stores its own (`Journey.tcv_*`), written only by
`innohub.services.totals` with every change to its steps. A journey knows nothing of pilots: the pipeline owns that link.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from innohub.core.jobs import Job, JobStatus
from innohub.core.models import TimeStamped
from innohub.core.units import (
    DURATION_DIGITS,
    DURATION_PLACES,
    MAX_COUNT_PER_STEP,
    MAX_DURATION,
    MAX_MONEY,
    MONEY_DIGITS,
    MONEY_PLACES,
)
from innohub.geo.models import CODE_MAX_LENGTH, Area
from innohub.orgs.models import Organisation

from .limits import ACTOR_MAX, NAME_MAX, OFFICE_MAX, REF_MAX, TITLE_MAX

if TYPE_CHECKING:  # django-stubs-ext is a development dependency
    from django_stubs_ext import StrOrPromise


class Channel(models.TextChoices):
    OFFICE = "office", _("Office")
    ONLINE = "online", _("Online")
    PHONE = "phone", _("Phone")
    ASSISTED = "assisted", _("Assisted digital centre")


# Service fields that `totals.bump` writes (never a form, the admin or the API).
CATALOGUE_FIGURES = ("observed_journeys", "mean_days", "mean_cost", "mean_visits")


class Service(TimeStamped):
    name = models.CharField(_("name"), max_length=NAME_MAX)
    name_local = models.CharField(_("local name"), max_length=NAME_MAX, blank=True)
    description = models.TextField(_("description"), blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    currency = models.CharField(
        _("currency"), max_length=3, default="BDT", help_text=_("ISO 4217 code, e.g. BDT.")
    )
    annual_volume = models.PositiveBigIntegerField(
        _("citizens served per year"),
        default=0,
        help_text=_("How many citizens use the service in a year, nationally."),
    )
    # Bumped in the transaction of every write to its journeys or their steps: the key of
    # its cached TCV distribution (`innohub.services.totals`, ADR 0015).
    journeys_version = models.PositiveBigIntegerField(default=0, editable=False)
    # The catalogue's figures: how many final journeys were observed and their mean TCV
    # (none without journeys), kept current in the same transactions by `totals.bump`, so
    # that the catalogue shows and sorts services by burden without reading their journeys.
    observed_journeys = models.PositiveBigIntegerField(
        _("journeys observed"), default=0, editable=False
    )
    mean_days = models.DecimalField(
        _("mean days"), max_digits=16, decimal_places=2, null=True, editable=False
    )
    mean_cost = models.DecimalField(
        _("mean cost"), max_digits=20, decimal_places=2, null=True, editable=False
    )
    mean_visits = models.DecimalField(
        _("mean visits"), max_digits=12, decimal_places=2, null=True, editable=False
    )

    history = HistoricalRecords(excluded_fields=[*CATALOGUE_FIGURES, "journeys_version"])

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        indexes = [
            models.Index(fields=["organisation", "name"]),
            models.Index(fields=["name", "id"], name="service_catalogue_order"),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceChannel(models.Model):
    """A channel through which a service is offered (a service has one or more)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="channels")
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "channel"], name="service_channel_unique")
        ]
        indexes = [models.Index(fields=["channel", "service"])]
        verbose_name = _("service channel")
        verbose_name_plural = _("service channels")

    def __str__(self) -> str:
        return f"{self.service} · {self.get_channel_display()}"


class Variant(models.TextChoices):
    EXISTING = "existing", _("Existing")
    SIMPLIFIED = "simplified", _("Proposed (simplified)")
    DIGITAL = "digital", _("Proposed (digital)")
    PILOTED = "piloted", _("As piloted")


class ProcessMap(TimeStamped):
    """How a service is meant to work, in one variant: an ordered list of steps."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="process_maps")
    variant = models.CharField(_("variant"), max_length=16, choices=Variant.choices)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["service", "variant"]
        constraints = [
            models.UniqueConstraint(fields=["service", "variant"], name="one_map_per_variant")
        ]
        verbose_name = _("process map")
        verbose_name_plural = _("process maps")

    def __str__(self) -> str:
        return f"{self.service} · {self.get_variant_display()}"


def _amount(
    verbose: StrOrPromise, *, digits: int, places: int, maximum: Decimal
) -> models.DecimalField:
    """A step's money or duration: a decimal from 0 to `maximum`, 0 when nothing was spent."""
    return models.DecimalField(
        verbose,
        max_digits=digits,
        decimal_places=places,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(maximum)],
    )


def _money(verbose: StrOrPromise) -> models.DecimalField:
    return _amount(verbose, digits=MONEY_DIGITS, places=MONEY_PLACES, maximum=MAX_MONEY)


def _duration(verbose: StrOrPromise) -> models.DecimalField:
    return _amount(verbose, digits=DURATION_DIGITS, places=DURATION_PLACES, maximum=MAX_DURATION)


def _count(verbose: StrOrPromise) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(
        verbose, default=0, validators=[MaxValueValidator(MAX_COUNT_PER_STEP)]
    )


class Step(models.Model):
    """What a citizen goes through at one step: the fields TCV is computed from.

    Units: `elapsed_days` calendar days, `citizen_hours` hours of the citizen's own time,
    money in the service's currency.
    """

    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    office = models.CharField(_("office"), max_length=OFFICE_MAX, blank=True)
    actor = models.CharField(
        _("who acts"), max_length=ACTOR_MAX, blank=True, help_text=_("Citizen, clerk, officer, …")
    )
    documents = _count(_("documents"))
    elapsed_days = _duration(_("elapsed days"))
    citizen_hours = _duration(_("citizen hours"))
    fees = _money(_("fees"))
    travel_cost = _money(_("travel cost"))
    other_cost = _money(_("other cost"))
    visits = _count(_("visits"))

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class MapStep(Step):
    # No index of its own: the (process_map, position) index below serves lookups by map too.
    process_map = models.ForeignKey(
        ProcessMap, on_delete=models.CASCADE, related_name="steps", db_index=False
    )

    history = HistoricalRecords()

    class Meta(Step.Meta):
        verbose_name = _("process map step")
        verbose_name_plural = _("process map steps")
        indexes = [models.Index(fields=["process_map", "position"])]


# A journey's totals have room for a few thousand steps at each step's largest values.
TOTAL_EXTRA_DIGITS = 4
TOTAL_FIELDS = ("tcv_days", "tcv_hours", "tcv_cost", "tcv_visits", "tcv_documents")


def _total(verbose: StrOrPromise, *, digits: int, places: int) -> models.DecimalField:
    return models.DecimalField(
        verbose, max_digits=digits, decimal_places=places, default=Decimal("0"), editable=False
    )


class Method(models.TextChoices):
    SECRET_SHOPPER = "secret_shopper", _("Secret shopper")
    CITIZEN_INTERVIEW = "citizen_interview", _("Citizen interview")
    ADMINISTRATIVE_RECORD = "administrative_record", _("Administrative record")


class JourneyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Final")


class VisibleJourneys(models.Manager["Journey"]):
    """Journeys as everyone sees them: never those an import has staged and not yet published
    (ADR 0014)."""

    def get_queryset(self) -> models.QuerySet[Journey]:
        return super().get_queryset().filter(staged_by__isnull=True)


class Journey(TimeStamped):
    """A citizen's journey through a service, as observed: only final ones count in TCV.

    `Journey.objects` never shows a staged journey (one an import is still writing, its
    `staged_by` set); only the importer reads them, through `Journey.with_staged`.
    """

    # No index of their own: the composite indexes below start with each of these columns and
    # serve their lookups; three fewer indexes to write on every imported journey.
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="journeys", db_index=False
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="journeys", db_index=False
    )
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("observer"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="journeys_observed",
        db_index=False,
    )
    ref = models.CharField(
        _("reference"),
        max_length=REF_MAX,
        blank=True,
        help_text=_("Your own reference; unique for the service (journey_ref in files)."),
    )
    observed_on = models.DateField(_("observed on"), help_text=_("The day the journey began."))
    method = models.CharField(_("method"), max_length=32, choices=Method.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=JourneyStatus.choices, default=JourneyStatus.FINAL
    )
    # Made by the recorder on the phone (a UUID): the same journey sent again — an answer
    # lost on a bad connection, a sync retried — is the journey already recorded.
    client_id = models.UUIDField(_("client id"), null=True, blank=True, unique=True, editable=False)
    notes = models.TextField(_("notes"), blank=True)
    # The import writing this journey, until it publishes it (then null): while set, the
    # journey is staged, seen by no one (its status already the one it will have). Indexed
    # for staged journeys only (`journey_staged`), so that publishing touches two indexes.
    staged_by = models.ForeignKey(
        "JourneyImport",
        verbose_name=_("staged by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )

    # The journey's TCV, the sum over its steps as `innohub.services.tcv` defines it, stored
    # in the transaction of every write to them (`innohub.services.totals`, ADR 0015): the
    # distributions and lists read these, never the steps.
    tcv_days = _total(
        _("days"), digits=DURATION_DIGITS + TOTAL_EXTRA_DIGITS, places=DURATION_PLACES
    )
    tcv_hours = _total(
        _("citizen hours"), digits=DURATION_DIGITS + TOTAL_EXTRA_DIGITS, places=DURATION_PLACES
    )
    tcv_cost = _total(_("cost"), digits=MONEY_DIGITS + TOTAL_EXTRA_DIGITS, places=MONEY_PLACES)
    tcv_visits = models.PositiveBigIntegerField(_("visits"), default=0, editable=False)
    tcv_documents = models.PositiveBigIntegerField(_("documents"), default=0, editable=False)

    # The import that wrote this journey (kept after publishing, unlike `staged_by`): the way
    # from an import's result to what it created.
    source_import = models.ForeignKey(
        "JourneyImport",
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )

    objects = VisibleJourneys()
    with_staged = models.Manager()  # the importer's own: staged journeys too

    history = HistoricalRecords(excluded_fields=["staged_by", "source_import", *TOTAL_FIELDS])

    class Meta:
        ordering = ["-observed_on", "-id"]
        verbose_name = _("journey")
        verbose_name_plural = _("journeys")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "ref"],
                # A staged journey holds no reference yet: an officer recording a journey of
                # the same reference meanwhile wins, and the import's publish then fails.
                condition=~models.Q(ref="") & models.Q(staged_by__isnull=True),
                name="journey_ref_unique_per_service",
            )
        ]
        indexes = [
            models.Index(fields=["service", "status", "observed_on"]),
            # The lists' order (latest observed first), of a service and of all journeys:
            # a page at any depth, and the count, walk an index of the journeys seen, never
            # the table (staged journeys, which nothing lists, are left out).
            models.Index(
                fields=["service", "observed_on", "id"],
                condition=models.Q(staged_by__isnull=True),
                name="journey_service_order",
            ),
            models.Index(
                fields=["observed_on", "id"],
                condition=models.Q(staged_by__isnull=True),
                name="journey_order",
            ),
            models.Index(fields=["area", "observed_on"]),
            models.Index(fields=["method"]),
            models.Index(fields=["observer", "status"]),
            models.Index(
                fields=["staged_by"],
                condition=models.Q(staged_by__isnull=False),
                name="journey_staged",
            ),
            models.Index(
                fields=["source_import", "id"],
                condition=models.Q(source_import__isnull=False),
                name="journey_source_import",
            ),
        ]

    def __str__(self) -> str:
        return self.ref or f"{self.service} · {self.observed_on}"


class JourneyStep(Step):
    # No index of its own: the (journey, position) index below serves lookups by journey
    # too, and every imported step would otherwise update two indexes where one will do.
    journey = models.ForeignKey(
        Journey, on_delete=models.CASCADE, related_name="steps", db_index=False
    )
    # Made by the recorder (a UUID): a step sent again is the step already saved.
    client_id = models.UUIDField(_("client id"), null=True, blank=True, editable=False)

    class Meta(Step.Meta):
        verbose_name = _("journey step")
        verbose_name_plural = _("journey steps")
        indexes = [models.Index(fields=["journey", "position"])]
        constraints = [
            models.UniqueConstraint(
                fields=["journey", "client_id"],
                condition=models.Q(client_id__isnull=False),
                name="journeystep_client_id_once",
            )
        ]


class PainCategory(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    DOCUMENTS = "documents", _("Documents asked for")
    TRAVEL = "travel", _("Travel")
    COST = "cost", _("Cost")
    INFORMAL_PAYMENT = "informal_payment", _("Informal payment")
    INFORMATION = "information", _("Missing or wrong information")
    REPEAT_VISIT = "repeat_visit", _("Had to come back")
    STAFF = "staff", _("Treatment by staff")
    OTHER = "other", _("Other")


class PainPoint(models.Model):
    """Something that hurt at a step, of a journey or of a process map."""

    journey_step = models.ForeignKey(
        JourneyStep, null=True, blank=True, on_delete=models.CASCADE, related_name="pain_points"
    )
    map_step = models.ForeignKey(
        MapStep, null=True, blank=True, on_delete=models.CASCADE, related_name="pain_points"
    )
    category = models.CharField(_("category"), max_length=32, choices=PainCategory.choices)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("pain point")
        verbose_name_plural = _("pain points")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(journey_step__isnull=False, map_step__isnull=True)
                    | models.Q(journey_step__isnull=True, map_step__isnull=False)
                ),
                name="pain_point_on_exactly_one_step",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.description[:40]}"


# The statuses of a background import are those of every job.
ImportStatus = JobStatus


class JourneyImport(Job):
    """A journey file imported in the background (files too large for one request).

    `rows_done` counts the rows checked so far out of `rows_total`; when `done`, `result`
    holds `{"created", "skipped_duplicates"}`; when `failed`, `errors` lists the first
    MAX_ERRORS bad rows as `{"line", "field", "message"}`, `errors_total` counts them all,
    and nothing was written. The lease and the statuses are those of every job
    (`innohub.core.jobs`). A file imported within a request has one too, from the moment its
    write starts (it stages journeys under it; `stored_path` is then empty).
    """

    result = models.JSONField(_("result"), default=dict, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    errors_total = models.PositiveIntegerField(_("errors in all"), default=0)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="journey_imports",
    )
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    digest = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True)
    # Where the upload waits for the worker; removed once the import has ended.
    stored_path = models.CharField(_("stored file"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("journey import")
        verbose_name_plural = _("journey imports")
        indexes = [models.Index(fields=["status", "lease_until"], name="journeyimport_lease")]

    def __str__(self) -> str:
        return f"{self.file_name or self.pk} · {self.get_status_display()}"

    @property
    def more_errors(self) -> int:
        """How many errors there are beyond those listed."""
        return max(self.errors_total - len(self.errors), 0)

    def ended(self) -> None:
        """Once the import has ended, either way, neither its upload nor anything it staged
        and did not publish (a failed or cancelled import's journeys) is needed."""
        from .importer.staging import discard_staged

        discard_staged(import_id=self.pk)
        if self.stored_path:
            Path(self.stored_path).unlink(missing_ok=True)


class JourneyExport(Job):
    """An export of more than MAX_ROWS_IN_REQUEST rows, built by the worker into a file.

    Asked for with the export's filters (`format`, `service`, `area`); `rows_done` of
    `rows_total` rows written so far. Once `done`, `file_path` holds the file for the person
    who asked (and administrators) until `expires`; a failed export leaves no file.
    """

    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="journey_exports",
    )
    format = models.CharField(_("format"), max_length=4, default="csv")
    # The filters as asked (an id and a code, not links): a service or area removed meanwhile
    # fails the export with a reason, and never widens it to every journey.
    service = models.PositiveBigIntegerField(_("service id"), null=True, blank=True)
    area_code = models.CharField(_("area"), max_length=CODE_MAX_LENGTH, blank=True)
    file_path = models.CharField(_("file"), max_length=500, blank=True, editable=False)
    expires = models.DateTimeField(_("kept until"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("journey export")
        verbose_name_plural = _("journey exports")
        indexes = [models.Index(fields=["status", "lease_until"], name="journeyexport_lease")]

    def __str__(self) -> str:
        return f"{self.pk} · {self.format} · {self.get_status_display()}"

    @property
    def file_name(self) -> str:
        """The name the download is saved under."""
        return f"journeys-{self.created:%Y-%m-%d}-{self.pk}.{self.format}"

    @property
    def downloadable(self) -> bool:
        return self.status == JobStatus.DONE and bool(self.file_path)

    def ended(self) -> None:
        """A failed export leaves no file (a done one keeps it until it expires)."""
        if self.status != JobStatus.DONE and self.file_path:
            Path(self.file_path).unlink(missing_ok=True)

    @classmethod
    def expire(cls, now: datetime) -> int:
        """Remove the files kept past their day (`JOB_FILE_DAYS`); the exports stay listed."""
        removed = 0
        for pk, path in (
            cls.objects.filter(expires__lt=now)
            .exclude(file_path="")
            .values_list("pk", "file_path")[:500]
        ):
            Path(path).unlink(missing_ok=True)
            removed += cls.objects.filter(pk=pk, file_path=path).update(file_path="")
        return removed
