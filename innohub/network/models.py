"""The peer network: posts across the hierarchy (a challenge, an idea, a story of a rule bent
for good), comments, follows of people, topics and areas, and moderation — docs/api.md,
"Network and getting out of the office".

A field officer and a secretary post in the same space: a post carries its author's
organisation and area as they were when it was written, so that the feed can be read by
ministry or district without joining through profiles that change. Stored counts (a post's
comments and open reports) are kept by `services` in the transaction that changes them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from innohub.core.jobs import Job
from innohub.core.models import TimeStamped
from innohub.geo.models import Area
from innohub.orgs.models import Organisation

from .limits import BODY_MAX, REASON_MAX, TITLE_MAX, TOPIC_MAX


class Topic(models.Model):
    """A subject people post about and follow ("land records", "ভূমি"); named once,
    whatever the case."""

    name = models.CharField(_("name"), max_length=TOPIC_MAX)
    posts_count = models.PositiveIntegerField(_("posts"), default=0)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="topic_name_once")]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name


class Moderated(models.Model):
    """What a moderator hid, when and why: a hidden post or comment is seen only by its
    author (with the reason) and by moderators."""

    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=REASON_MAX, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hidden by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class PostKind(models.TextChoices):
    CHALLENGE = "challenge", _("A challenge")
    IDEA = "idea", _("An idea")
    STORY = "story", _("A story of a rule bent for good")


class Post(Moderated, TimeStamped):
    kind = models.CharField(_("kind"), max_length=16, choices=PostKind.choices)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    body = models.TextField(_("text"), max_length=BODY_MAX)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="posts",
    )
    # The author's, when the post was written.
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
    )
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
    )
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="posts"
    )
    comments_count = models.PositiveIntegerField(_("comments"), default=0)
    open_reports = models.PositiveIntegerField(_("open reports"), default=0)

    history = HistoricalRecords(excluded_fields=["comments_count", "open_reports"])

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["author", "-id"], name="post_by_author"),
            models.Index(fields=["kind", "-id"], name="post_by_kind"),
        ]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self) -> str:
        return self.title


class Comment(Moderated, TimeStamped):
    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="post_comments",
    )
    body = models.TextField(_("comment"), max_length=BODY_MAX)

    history = HistoricalRecords()

    class Meta:
        ordering = ["post", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.body[:60]


class Follow(models.Model):
    """One person following one person, topic or area (exactly one of the three)."""

    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("follower"),
        on_delete=models.CASCADE,
        related_name="follows",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="followers",
    )
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="followers",
    )
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="followers",
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(person__isnull=False, topic__isnull=True, area__isnull=True)
                    | models.Q(person__isnull=True, topic__isnull=False, area__isnull=True)
                    | models.Q(person__isnull=True, topic__isnull=True, area__isnull=False)
                ),
                name="follow_one_thing",
            ),
            models.UniqueConstraint(
                fields=["follower", "person"],
                condition=models.Q(person__isnull=False),
                name="follow_person_once",
            ),
            models.UniqueConstraint(
                fields=["follower", "topic"],
                condition=models.Q(topic__isnull=False),
                name="follow_topic_once",
            ),
            models.UniqueConstraint(
                fields=["follower", "area"],
                condition=models.Q(area__isnull=False),
                name="follow_area_once",
            ),
        ]
        verbose_name = _("follow")
        verbose_name_plural = _("follows")

    def __str__(self) -> str:
        return f"{self.follower_id} follows {self.person or self.topic or self.area}"


class Report(TimeStamped):
    """Someone asks the moderators to look at a post or a comment, saying why."""

    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="reports"
    )
    comment = models.ForeignKey(
        Comment,
        verbose_name=_("comment"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reports",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=REASON_MAX)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(
                fields=["-id"],
                condition=models.Q(resolved_at__isnull=True),
                name="report_open",
            )
        ]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return self.reason[:60]


class Digest(Job):
    """The weekly digest of the week starting `week` (a Monday): one job that e-mails every
    person who follows something the posts of that week they follow (`digest.py`)."""

    week = models.DateField(_("week"), unique=True)
    sent = models.PositiveIntegerField(_("e-mails sent"), default=0)

    class Meta:
        ordering = ["-week"]
        verbose_name = _("weekly digest")
        verbose_name_plural = _("weekly digests")

    def __str__(self) -> str:
        return f"{self.week:%Y-%m-%d}"


class DigestSent(models.Model):
    """The digest of `week` went to `user`: what makes a digest run again (a worker died, an
    operator retried it) send nobody the same week twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    posts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "week"], name="digest_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.week}"


# --- Fellowship and recognition ----------------------------------------------------------------


class Fellowship(TimeStamped):
    """A call for fellows: people nominate colleagues, mostly for what they are trying to
    achieve; a panel scores each nomination; the decision takes the best `seats` nominees.
    The fellows are then a cohort with its own peer-support circle."""

    title = models.CharField(_("title"), max_length=TITLE_MAX)
    description = models.TextField(_("description"), max_length=BODY_MAX, blank=True)
    seats = models.PositiveSmallIntegerField(_("seats"))
    closes_on = models.DateField(_("nominations close on"))
    panel = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("panel"), related_name="fellowship_panels"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    nominations_count = models.PositiveIntegerField(_("nominations"), default=0)

    history = HistoricalRecords(excluded_fields=["nominations_count"])

    class Meta:
        ordering = ["-closes_on", "-id"]
        verbose_name = _("fellowship")
        verbose_name_plural = _("fellowships")

    def __str__(self) -> str:
        return self.title


class Nomination(TimeStamped):
    """One person nominates another, saying what the nominee is trying to achieve."""

    fellowship = models.ForeignKey(
        Fellowship,
        verbose_name=_("fellowship"),
        on_delete=models.CASCADE,
        related_name="nominations",
    )
    nominee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nominee"),
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    nominator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nominated by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    aims = models.TextField(_("what they are trying to achieve"), max_length=BODY_MAX)
    reviews_count = models.PositiveSmallIntegerField(_("reviews"), default=0)
    score_sum = models.PositiveIntegerField(_("sum of scores"), default=0)

    history = HistoricalRecords(excluded_fields=["reviews_count", "score_sum"])

    class Meta:
        ordering = ["fellowship", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["fellowship", "nominator", "nominee"], name="nominate_once"
            )
        ]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")

    def __str__(self) -> str:
        return f"{self.nominee} ({self.fellowship})"


class NominationReview(TimeStamped):
    """A panel member's score (1-5) of one nomination, with a comment."""

    nomination = models.ForeignKey(
        Nomination, verbose_name=_("nomination"), on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), max_length=BODY_MAX, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["nomination", "reviewer"], name="nomination_review_once"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="review_score_1_to_5"
            ),
        ]
        verbose_name = _("review of a nomination")
        verbose_name_plural = _("reviews of nominations")

    def __str__(self) -> str:
        return f"{self.nomination_id}: {self.score}"


class Fellow(models.Model):
    """A person the decision chose: the fellowship's cohort."""

    fellowship = models.ForeignKey(
        Fellowship, verbose_name=_("fellowship"), on_delete=models.CASCADE, related_name="fellows"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("fellow"),
        on_delete=models.PROTECT,
        related_name="fellowships",
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    mean_score = models.DecimalField(_("mean score"), max_digits=4, decimal_places=2)

    class Meta:
        ordering = ["fellowship", "rank"]
        constraints = [models.UniqueConstraint(fields=["fellowship", "user"], name="fellow_once")]
        verbose_name = _("fellow")
        verbose_name_plural = _("fellows")

    def __str__(self) -> str:
        return f"{self.user} ({self.fellowship})"


class CircleKind(models.TextChoices):
    CHECK_IN = "check_in", _("A check-in")
    ASK = "ask", _("An ask")
    OFFER = "offer", _("An offer")


class CircleEntry(TimeStamped):
    """The fellows' peer-support circle: check-ins, asks and offers, and replies to them (the
    feedback loop: an ask is closed by its author when it was answered)."""

    fellowship = models.ForeignKey(
        Fellowship, verbose_name=_("fellowship"), on_delete=models.CASCADE, related_name="circle"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CircleKind.choices)
    text = models.TextField(_("text"), max_length=BODY_MAX)
    reply_to = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["fellowship", "id"]
        verbose_name = _("circle entry")
        verbose_name_plural = _("circle entries")

    def __str__(self) -> str:
        return self.text[:60]


class RecognitionKind(models.TextChoices):
    AWARD = "award", _("Award")
    ENDORSEMENT = "endorsement", _("Endorsement")
    FELLOWSHIP = "fellowship", _("Fellowship")


class Recognition(TimeStamped):
    """Recognition that reaches a person's profile and their ministry's report to promotion
    boards: an award, a colleague's endorsement, or being chosen as a fellow."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recognised"),
        on_delete=models.CASCADE,
        related_name="recognitions",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=RecognitionKind.choices)
    citation = models.TextField(_("citation"), max_length=BODY_MAX)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("given by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The recipient's organisation when it was given: a ministry's report reads it.
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    fellowship = models.ForeignKey(
        Fellowship,
        verbose_name=_("fellowship"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recognitions",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["user", "-id"], name="recognition_by_user")]
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.user}"


# --- Out of the office --------------------------------------------------------------------------


class ExchangeKind(models.TextChoices):
    FIELD_DAY = "field_day", _("A field day")
    LEARNING_VISIT = "learning_visit", _("A learning visit")
    SECONDMENT = "secondment", _("A secondment")
    CITY_EXCHANGE = "city_exchange", _("A city exchange")


class Exchange(TimeStamped):
    """Time out of the office — a field day, a learning visit, a secondment, a city
    exchange — hosted by an organisation or a partner (a university, an NGO, a company,
    another city, abroad): a plan before, a reflection after, and `follow_up_due` weeks later
    what changed at home, which the worker reminds the person of."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="exchanges",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ExchangeKind.choices)
    host = models.CharField(_("host"), max_length=TITLE_MAX)
    host_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("host organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_exchanges",
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    plan = models.TextField(_("plan"), max_length=BODY_MAX)
    reflection = models.TextField(_("reflection"), max_length=BODY_MAX, blank=True)
    reflected_at = models.DateTimeField(_("reflected at"), null=True, blank=True)
    follow_up_due = models.DateField(_("follow-up due"))
    follow_up = models.TextField(_("what changed at home"), max_length=BODY_MAX, blank=True)
    followed_up_at = models.DateTimeField(_("followed up at"), null=True, blank=True)
    reminded_on = models.DateField(_("last reminded on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "-id"]
        indexes = [
            models.Index(
                fields=["follow_up_due"],
                condition=models.Q(followed_up_at__isnull=True),
                name="exchange_follow_up_open",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="exchange_ends_after"
            )
        ]
        verbose_name = _("exchange")
        verbose_name_plural = _("exchanges")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.host}"
