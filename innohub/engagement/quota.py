"""The rate limit of unsigned contributions (docs/api.md: at least 10 and at most 60 an hour
per client address, then 429): decision record 0028.

A client may send `per_hour()` contributions in each clock hour. Counted per clock hour, a
client who sends 10 in any 60 minutes is never refused (one clock hour holds at most those
10), and no client gets more than twice the limit into any 60 minutes (two clock hours
meet in it): so the limit is held between 10 and 30 whatever the setting says.

The count is a row per (client, hour) in the database, added to by one
`INSERT … ON CONFLICT DO UPDATE … RETURNING` (SQLite and PostgreSQL alike): every app server
sees the same count, and two requests at once cannot both take the last one. The address is
kept only as a keyed hash (HMAC with the secret key), and rows of past hours are removed by
the daily erasure (`retention.py`).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from innohub.core.errors import RateLimited

from .models import ContributionQuota

LEAST, MOST = 10, 30


def per_hour() -> int:
    """The setting `ENGAGEMENT_CONTRIBUTIONS_PER_HOUR` (default 20), held between 10 and 30."""
    wanted = int(getattr(settings, "ENGAGEMENT_CONTRIBUTIONS_PER_HOUR", 20))
    return min(max(wanted, LEAST), MOST)


def client_key(address: str | None) -> str:
    secret = str(settings.SECRET_KEY).encode()
    return hmac.new(secret, (address or "unknown").encode(), hashlib.sha256).hexdigest()


def take(address: str | None, *, now: datetime.datetime | None = None) -> None:
    """Count one contribution of `address` in this hour; RateLimited (with the seconds to
    the next hour) when that makes more than `per_hour()`. Inside the caller's transaction:
    a contribution refused for another reason does not count."""
    now = now or timezone.now()
    hour = now.replace(minute=0, second=0, microsecond=0)
    table = connection.ops.quote_name(ContributionQuota._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (client, hour, sent) VALUES (%s, %s, 1) "  # noqa: S608 - ours
            f"ON CONFLICT (client, hour) DO UPDATE SET sent = {table}.sent + 1 RETURNING sent",
            [client_key(address), hour],
        )
        sent = int(cursor.fetchone()[0])
    if sent > per_hour():
        wait = int((hour + datetime.timedelta(hours=1) - now).total_seconds()) + 1
        raise RateLimited(
            _(
                "You have sent %(n)d contributions in this hour, the most we take from one "
                "connection. Please try again in %(minutes)d minutes."
            )
            % {"n": per_hour(), "minutes": max(1, -(-wait // 60))},
            retry_after=wait,
        )


def forget_past(now: datetime.datetime | None = None) -> int:
    """Remove the counts of hours that have ended; how many rows."""
    now = now or timezone.now()
    hour = now.replace(minute=0, second=0, microsecond=0)
    deleted, _kinds = ContributionQuota.objects.filter(hour__lt=hour).delete()
    return deleted
