"""The weekly digest: on Monday the worker e-mails every person who follows people, topics or
areas the posts of the week before that they follow (at most `DIGEST_POSTS_MAX`), in their
own language.

A schedule duty (`core.schedule`, decision record 0022) queues one `Digest` job a week; the job
goes through the followers in batches by id, and each person's e-mail is sent in its own small
transaction with its `DigestSent` row — so a worker that dies mid-way leaves the job to be
queued again by the sweep, and the second run skips everyone already written to. Nobody gets
an empty digest.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from innohub.accounts.models import User
from innohub.core import jobs, schedule

from . import selectors
from .limits import DIGEST_POSTS_MAX
from .models import Digest, DigestSent, Follow, Post

DUTY = "network-digest"
BATCH = 500


def last_week(now: datetime.datetime) -> str:
    """From Monday on, the week before is due: its Monday ("YYYY-MM-DD")."""
    today = timezone.localtime(now).date()
    monday = today - datetime.timedelta(days=today.weekday())
    return (monday - datetime.timedelta(days=7)).isoformat()


def queue_week(period: str) -> Digest:
    """The digest job of the week starting `period` (made once, whoever asks again)."""
    week = datetime.date.fromisoformat(period)
    digest, made = Digest.objects.get_or_create(
        week=week, defaults={"rows_total": _followers().count()}
    )
    if made:
        jobs.enqueue(digest)
    return digest


def _followers() -> Any:
    return Follow.objects.order_by().values_list("follower_id", flat=True).distinct()


def posts_for(user: User, week: datetime.date) -> list[Post]:
    """What `user` follows that was posted in the week starting `week`, newest first."""
    start = timezone.make_aware(datetime.datetime.combine(week, datetime.time.min))
    end = start + datetime.timedelta(days=7)
    posts = selectors.feed(user, scope=selectors.FOLLOWING).filter(
        created__gte=start, created__lt=end, hidden_at__isnull=True
    )
    return list(posts.exclude(author=user)[:DIGEST_POSTS_MAX])


def message(user: User, posts: list[Post]) -> tuple[str, str]:
    """The subject and text of a person's digest, in the active language."""
    site = settings.SITE_URL.rstrip("/")
    lines = [
        _("This week in the innohub network, from the people, topics and areas you follow:"),
        "",
    ]
    for post in posts:
        lines.append(f"* {post.get_kind_display()}: {post.title}")
        byline = post.author.name
        if post.organisation is not None:
            byline = f"{byline}, {post.organisation.name}"
        lines.append(f"  {byline}")
        lines.append(f"  {site}{reverse('network:post_detail', args=[post.pk])}")
    lines += [
        "",
        _("Change what you follow: %(url)s") % {"url": f"{site}{reverse('network:feed')}"},
    ]
    subject = ngettext(
        "innohub: %(n)d new post you follow", "innohub: %(n)d new posts you follow", len(posts)
    ) % {"n": len(posts)}
    return subject, "\n".join(lines)


def send_one(user: User, week: datetime.date) -> int:
    """E-mail `user` the digest of `week` unless already done; how many posts it had (0 for
    none, or when it went before)."""
    if not user.is_active or not user.email:
        return 0
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = DigestSent.objects.create(user=user, week=week)
        except IntegrityError:
            return 0  # sent by an earlier run
        with translation.override(user.language or settings.LANGUAGE_CODE):
            posts = posts_for(user, week)
            if not posts:
                return 0  # the record stays: nothing to send this week
            subject, body = message(user, posts)
            send_mail(subject=subject, message=body, from_email=None, recipient_list=[user.email])
        record.posts = len(posts)
        record.save(update_fields=["posts"])
    return len(posts)


def _send_week(job: Digest) -> None:
    done = after = 0
    while True:
        ids = list(_followers().filter(follower_id__gt=after).order_by("follower_id")[:BATCH])
        if not ids:
            break
        for user in User.objects.filter(pk__in=ids).order_by("pk"):
            send_one(user, job.week)
        done += len(ids)
        after = ids[-1]
        jobs.report_progress(job, min(done, job.rows_total or done))
    # Counted over every run of the job (a run after a dead worker sends only the rest).
    sent = DigestSent.objects.filter(week=job.week, posts__gt=0).count()
    jobs.finish(job, ok=True, rows_done=done, rows_total=max(done, job.rows_total), sent=sent)


@task()
def send_digest(digest_id: int) -> str:
    return jobs.run(Digest, digest_id, _send_week)


def register_duty() -> None:
    schedule.register(DUTY, due=last_week, do=queue_week)
    jobs.register("network-digest", Digest, send_digest)
