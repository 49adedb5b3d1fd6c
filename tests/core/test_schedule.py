"""The workers' schedule: a duty due is done once per period, by the first worker that
ticks, when it starts or after a sweep; a restart does not do it again."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from innohub.core import schedule
from innohub.core.models import ScheduledRun

pytestmark = pytest.mark.django_db


def test_the_month_before_is_due_from_the_first():
    zone = timezone.get_current_timezone()
    assert schedule.previous_month(datetime.datetime(2026, 12, 1, 0, 5, tzinfo=zone)) == "2026-11"
    assert schedule.previous_month(datetime.datetime(2026, 1, 31, 23, tzinfo=zone)) == "2025-12"


@pytest.mark.django_db(transaction=True)  # the worker closes its connection when it ends
def test_a_starting_worker_does_the_duties_due_once(monkeypatch):
    done: list[str] = []
    monkeypatch.setattr(schedule, "_duties", {})
    schedule.register("count", due=lambda now: "2026-11", do=done.append)
    call_command("worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    assert done == ["2026-11"]
    assert schedule.tick() == []  # another worker, or this one started again
    assert done == ["2026-11"]
    assert list(ScheduledRun.objects.values_list("name", "period")) == [("count", "2026-11")]


def test_a_duty_with_nothing_due_does_nothing(monkeypatch):
    monkeypatch.setattr(schedule, "_duties", {})
    schedule.register("never", due=lambda now: None, do=lambda period: pytest.fail("done"))
    assert schedule.tick() == []
    assert not ScheduledRun.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_worker_told_not_to_keep_the_schedule_does_not(monkeypatch, settings):
    settings.WORKER_SCHEDULE = False
    monkeypatch.setattr(schedule, "_duties", {})
    schedule.register("count", due=lambda now: "2026-11", do=lambda period: None)
    call_command("worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    assert not ScheduledRun.objects.exists()
