"""The weekly digest: the posts a person follows, e-mailed once a week by the worker, in their
language, never twice, never empty; a worker that dies mid-way leaves nothing half-sent."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from innohub.core import jobs, schedule
from innohub.network import digest, services
from innohub.network.models import Digest, DigestSent, Post
from tests.factories import UserFactory
from tests.network.factories import PostFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 23)


def posted(post: Post, day: datetime.date) -> Post:
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    Post.objects.filter(pk=post.pk).update(created=moment)
    post.refresh_from_db()
    return post


def test_the_week_before_is_due_from_monday():
    tuesday = timezone.make_aware(datetime.datetime(2026, 12, 1, 9))
    assert digest.last_week(tuesday) == "2026-11-23"
    monday_morning = timezone.make_aware(datetime.datetime(2026, 11, 30, 0, 30))
    assert digest.last_week(monday_morning) == "2026-11-23"


def test_a_person_gets_what_they_follow_of_that_week_once_in_their_language():
    reader = UserFactory(email="reader@example.org", language="fr")
    colleague = UserFactory(first_name="Karim")
    services.follow(by=reader, person=colleague)
    posted(PostFactory(author=colleague, title="Queue at the land office"), MONDAY)
    posted(PostFactory(author=colleague, title="Too old"), MONDAY - datetime.timedelta(days=1))
    posted(PostFactory(title="Not followed"), MONDAY)

    assert digest.send_one(reader, MONDAY) == 1
    assert digest.send_one(reader, MONDAY) == 0  # never twice

    [sent] = mail.outbox
    assert sent.to == ["reader@example.org"]
    assert "Queue at the land office" in sent.body and "Karim" in sent.body
    assert "Too old" not in sent.body and "Not followed" not in sent.body
    assert "publication" in sent.subject  # French


def test_nobody_gets_an_empty_digest():
    reader = UserFactory(email="r@example.org")
    services.follow(by=reader, person=UserFactory())
    assert digest.send_one(reader, MONDAY) == 0
    assert mail.outbox == [] and DigestSent.objects.get().posts == 0


def test_the_schedule_queues_one_job_a_week_and_the_worker_sends_it(
    django_capture_on_commit_callbacks,
):
    readers = [UserFactory(email=f"r{n}@example.org") for n in range(3)]
    author = UserFactory()
    for reader in readers:
        services.follow(by=reader, person=author)
    posted(PostFactory(author=author), MONDAY)
    now = timezone.make_aware(datetime.datetime(2026, 12, 1, 9))

    with django_capture_on_commit_callbacks(execute=False):
        done = schedule.tick(now)
        assert f"{digest.DUTY} 2026-11-23" in done
        assert schedule.tick(now) == []  # once a week, however many workers tick
    job = Digest.objects.get()
    assert (job.week, job.rows_total) == (MONDAY, 3)

    assert jobs.run(Digest, job.pk, digest._send_week) == "done"
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.sent) == ("done", 3, 3)
    assert len(mail.outbox) == 3


def test_a_run_after_a_dead_worker_sends_only_the_rest():
    readers = [UserFactory(email=f"r{n}@example.org") for n in range(3)]
    author = UserFactory()
    for reader in readers:
        services.follow(by=reader, person=author)
    posted(PostFactory(author=author), MONDAY)
    digest.send_one(readers[0], MONDAY)  # the first run got this far, then died
    job = Digest.objects.create(week=MONDAY, rows_total=3)

    jobs.run(Digest, job.pk, digest._send_week)

    job.refresh_from_db()
    assert len(mail.outbox) == 3 and job.sent == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in readers)
