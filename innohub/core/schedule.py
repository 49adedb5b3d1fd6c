"""The worker's schedule: duties done once a period (the monthly reviews on the 1st of each
month), by whichever worker gets there first.

Every worker ticks the schedule when it starts and with every sweep (`JOB_SWEEP_SECONDS`,
innohub/core/jobs.py). A tick asks each duty which period is due now ("2026-11" for the
reviews of November, from 1 December on) and, in one transaction, inserts the
`ScheduledRun` row of that period and does the duty — which queues jobs, each of which always
ends and is safe to run again. The row's unique (name, period) makes the duty happen once
across several workers (the loser's insert fails, its transaction rolls back); a worker that
dies mid-tick rolls back with it, and the next tick does it. State lives in the database,
so restarts and deploys lose nothing; a worker that was down on the 1st catches up at its
next tick. No extra daemon, no cron: decision record 0022.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import ScheduledRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Duty:
    """`due(now)` names the period due now (None for none); `do(period)` does the duty."""

    name: str
    due: Callable[[datetime.datetime], str | None]
    do: Callable[[str], object]


_duties: dict[str, Duty] = {}


def register(
    name: str, *, due: Callable[[datetime.datetime], str | None], do: Callable[[str], object]
) -> None:
    """Make a duty known to every worker (from `AppConfig.ready`)."""
    _duties[name] = Duty(name, due, do)


def duties() -> list[Duty]:
    return list(_duties.values())


def previous_month(now: datetime.datetime) -> str:
    """From the 1st of a month on, the month before is due ("YYYY-MM")."""
    first = timezone.localtime(now).date().replace(day=1)
    return f"{first - datetime.timedelta(days=1):%Y-%m}"


def tick(now: datetime.datetime | None = None) -> list[str]:
    """Do every duty whose period is due and not yet done; what was done ("name period")."""
    now = now or timezone.now()
    done: list[str] = []
    for duty in duties():
        period = duty.due(now)
        if period is None or ScheduledRun.objects.filter(name=duty.name, period=period).exists():
            continue
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(name=duty.name, period=period)
                duty.do(period)
        except IntegrityError:
            continue  # another worker did it first
        except Exception:  # the duty failed: nothing is marked, the next tick tries again
            logger.exception("The scheduled %s of %s failed", duty.name, period)
            continue
        logger.info("Scheduled %s of %s done", duty.name, period)
        done.append(f"{duty.name} {period}")
    return done
