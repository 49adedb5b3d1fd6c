"""Personal data erased by the worker once the retention has passed, and the rate limit's
counts forgotten (innohub/engagement/retention.py, quota.py)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from innohub.core import jobs, schedule
from innohub.core.errors import RateLimited
from innohub.core.jobs import JobStatus
from innohub.engagement import quota, retention
from innohub.engagement.models import Contribution, ContributionQuota, Erasure
from tests.engagement.conftest import days_from_today
from tests.engagement.test_contributions import say

pytestmark = pytest.mark.django_db


def test_the_worker_erases_names_and_contacts_past_their_day(consultation):
    kept = say(consultation, name="Rahima", contact="01711000000", consent=True)
    due = say(consultation, name="Karim", consent=True)
    Contribution.objects.filter(pk=due.pk).update(erase_after=days_from_today(-1))
    plain = say(consultation)
    erasure = Erasure.objects.create(due_on=timezone.localdate())
    assert jobs.run(Erasure, erasure.pk, retention.erase) == "done"
    due.refresh_from_db()
    kept.refresh_from_db()
    assert (due.name, due.contact, due.erase_after, due.erased_on) == (
        "",
        "",
        None,
        timezone.localdate(),
    )
    assert due.text  # the words stay: only the person goes
    assert (kept.name, kept.contact) == ("Rahima", "01711000000")
    erasure.refresh_from_db()
    assert (erasure.status, erasure.rows_done) == (JobStatus.DONE, 1)
    assert Contribution.objects.get(pk=plain.pk).erased_on is None


def test_the_schedule_queues_one_erasure_a_day(db):
    now = timezone.now()
    done = [entry for entry in schedule.tick(now) if entry.startswith(retention.DUTY)]
    assert done == [f"{retention.DUTY} {timezone.localdate().isoformat()}"]
    assert schedule.tick(now) == []  # once a day, whichever worker ticks
    assert Erasure.objects.get().due_on == timezone.localdate()


def test_the_limit_is_held_between_10_and_30(settings):
    for wanted, held in ((1, 10), (20, 20), (500, 30)):
        settings.ENGAGEMENT_CONTRIBUTIONS_PER_HOUR = wanted
        assert quota.per_hour() == held


def test_a_client_gets_its_hour_and_no_more(db, settings):
    settings.ENGAGEMENT_CONTRIBUTIONS_PER_HOUR = 10
    now = datetime.datetime(2026, 12, 2, 10, 45, tzinfo=datetime.UTC)
    for _ in range(10):
        quota.take("192.0.2.1", now=now)
    with pytest.raises(RateLimited) as refused:
        quota.take("192.0.2.1", now=now)
    assert refused.value.retry_after == 15 * 60 + 1
    quota.take("192.0.2.2", now=now)  # another client
    quota.take("192.0.2.1", now=now + datetime.timedelta(minutes=16))  # the next hour
    # Hashed: the address itself is never stored (a hex digest may hold "192" by chance).
    assert not ContributionQuota.objects.filter(client__contains="192.0.2").exists()
    assert quota.forget_past(now + datetime.timedelta(hours=1)) == 2
    assert ContributionQuota.objects.count() == 1
