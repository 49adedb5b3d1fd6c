"""Sessions as iCalendar (RFC 5545): one VEVENT per session with a stable UID, DTSTART and
DTEND in the deployment's time zone (a TZID with its VTIMEZONE), for a cohort or a person."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable

import icalendar
from django.conf import settings
from django.utils import timezone

from .models import Session

PRODID = "-//innohub//training//EN"


def uid(session: Session) -> str:
    return f"training-session-{session.pk}@innohub"


def calendar_of(sessions: Iterable[Session], *, name: str) -> bytes:
    """The sessions (with their cohort selected) as an iCalendar file."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    for session in sessions:
        event = icalendar.Event()
        event.add("uid", uid(session))
        event.add("dtstamp", stamp)
        event.add("dtstart", session.starts_at.astimezone(zone))
        event.add("dtend", session.ends_at.astimezone(zone))
        title = session.title if not session.track else f"{session.title} ({session.track})"
        event.add("summary", f"{session.cohort.title}: {title}")
        if session.cohort.venue:
            event.add("location", session.cohort.venue)
        event.add("last-modified", session.modified.astimezone(datetime.UTC).replace(microsecond=0))
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
