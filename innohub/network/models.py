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
