"""Getting out of the office: exchanges with a plan, a reflection after, and a follow-up
`EXCHANGE_FOLLOW_UP_WEEKS` after the end ("what did you change at home?"), which the worker
reminds people of (docs/api.md, "Network and getting out of the office").

- A person records their own exchange; programme managers and administrators may record one
  for anyone. The host is text (a university, an NGO, a company, a city, abroad); an
  organisation of innohub may be named beside it.
- The reflection is written by the person on or after the last day (409 before); the
  follow-up after the reflection (409 before).
- Every day the worker reminds each person whose follow-up is due and not written (at most
  once a week each, and the day it falls due): a notification and its e-mail.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from innohub.accounts.notifications import notify
from innohub.core import schedule
from innohub.core.errors import Conflict
from innohub.core.text import clean_text, collect_text

from .limits import BODY_MAX, TITLE_MAX
from .models import Exchange, ExchangeKind
from .rules import moderates

if TYPE_CHECKING:
    from innohub.accounts.models import User
    from innohub.orgs.models import Organisation

DUTY = "exchange-follow-ups"
REMIND_EVERY_DAYS = 7
REMINDERS_PER_RUN = 5_000


def follow_up_due(ends_on: datetime.date) -> datetime.date:
    return ends_on + datetime.timedelta(weeks=settings.EXCHANGE_FOLLOW_UP_WEEKS)


@transaction.atomic
def record_exchange(
    *,
    by: User,
    person: User | None = None,
    kind: Any,
    host: Any,
    starts_on: datetime.date,
    ends_on: datetime.date,
    plan: Any,
    host_organisation: Organisation | None = None,
) -> Exchange:
    """A person records their exchange (moderators may record one for anyone)."""
    person = person or by
    if person.pk != by.pk and not moderates(by):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if kind not in ExchangeKind.values:
        errors["kind"] = _("Choose a field day, a learning visit, a secondment or a city exchange.")
    clean_host = collect_text(errors, host, "host", max_length=TITLE_MAX, required=True)
    clean_plan = collect_text(errors, plan, "plan", max_length=BODY_MAX, required=True)
    if ends_on < starts_on:
        errors["ends_on"] = _("The last day cannot be before the first.")
    if errors:
        raise ValidationError(errors)
    return Exchange.objects.create(
        person=person,
        kind=kind,
        host=clean_host,
        host_organisation=host_organisation,
        starts_on=starts_on,
        ends_on=ends_on,
        plan=clean_plan,
        follow_up_due=follow_up_due(ends_on),
        created_by=by,
    )


def _own(by: User, exchange: Exchange) -> Exchange:
    if exchange.person_id != by.pk:
        raise PermissionDenied
    return Exchange.objects.select_for_update().get(pk=exchange.pk)


@transaction.atomic
def reflect(*, by: User, exchange: Exchange, text: Any) -> Exchange:
    """What the person saw and learned, on or after the last day."""
    clean = clean_text(text, "text", max_length=BODY_MAX, required=True)
    exchange = _own(by, exchange)
    if timezone.localdate() < exchange.ends_on:
        raise Conflict(_("Write the reflection on or after the exchange's last day."))
    exchange.reflection, exchange.reflected_at = clean, timezone.now()
    exchange.save(update_fields=["reflection", "reflected_at", "modified"])
    return exchange


@transaction.atomic
def follow_up(*, by: User, exchange: Exchange, changed_at_home: Any) -> Exchange:
    """What changed at home because of it; after the reflection."""
    clean = clean_text(changed_at_home, "changed_at_home", max_length=BODY_MAX, required=True)
    exchange = _own(by, exchange)
    if exchange.reflected_at is None:
        raise Conflict(_("Write the reflection first."))
    exchange.follow_up, exchange.followed_up_at = clean, timezone.now()
    exchange.save(update_fields=["follow_up", "followed_up_at", "modified"])
    return exchange


# --- The worker's reminders ------------------------------------------------------------------


def due_today(now: datetime.datetime) -> str:
    """Every day is due (the day, "YYYY-MM-DD")."""
    return timezone.localtime(now).date().isoformat()


def remind(period: str) -> int:
    """Remind everyone whose follow-up is due and not written, not reminded in the last
    week; how many were reminded. Inside the schedule's transaction: all or none."""
    today = datetime.date.fromisoformat(period)
    recently = today - datetime.timedelta(days=REMIND_EVERY_DAYS)
    due = (
        Exchange.objects.filter(followed_up_at__isnull=True, follow_up_due__lte=today)
        .exclude(reminded_on__gt=recently)
        .select_related("person")
        .order_by("follow_up_due", "id")[:REMINDERS_PER_RUN]
    )
    reminded = []
    for exchange in due:
        notify(
            user=exchange.person,
            kind="exchange_follow_up",
            subject=gettext_noop("What did you change at home after your time with %(host)s?"),
            body=gettext_noop(
                "Your exchange with %(host)s ended on %(ended)s. Tell your colleagues what you "
                "changed at home because of it: write your reflection and your follow-up."
            ),
            url=f"/network/exchanges/{exchange.pk}/",
            params={"host": exchange.host, "ended": exchange.ends_on.isoformat()},
        )
        reminded.append(exchange.pk)
    Exchange.objects.filter(pk__in=reminded).update(reminded_on=today)
    return len(reminded)


def register_duty() -> None:
    schedule.register(DUTY, due=due_today, do=remind)
