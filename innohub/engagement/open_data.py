"""Engagement's part of the open data (insights/open_data.py, decision record 0023): what
organisations heard in consultations and what they did about it.

- `findings.csv`: each finding with its consultation, organisation and service, how many
  contributions are its evidence (left empty under 5, `suppressed` true), and its first
  response's day and days from the close.
- `responses.csv`: each response: its finding, kind, day and pilot, and what was done.

No personal data: no names, contacts, areas or words of citizens — only what officers wrote
(finding titles, responses). Rows are read in batches by id.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from .kpis import SUPPRESS_BELOW
from .models import Finding, Response

BATCH = 2_000


def _f(name: str, kind: str, description: str) -> dict[str, Any]:
    return {"name": name, "type": kind, "description": description}


def schemas() -> dict[str, list[dict[str, Any]]]:
    return {
        "findings": [
            _f("finding", "integer", _("The finding's id in innohub.")),
            _f("consultation", "integer", _("The consultation's id in innohub.")),
            _f("consultation_title", "string", _("The consultation's title.")),
            _f("opens_on", "date", _("The day the consultation opened.")),
            _f("closes_on", "date", _("The day the consultation closed.")),
            _f("organisation", "integer", _("The id of the organisation that consulted.")),
            _f("organisation_name", "string", _("The organisation's name.")),
            _f("service", "integer", _("The service consulted on (empty for a policy).")),
            _f("title", "string", _("What the organisation heard, in its words.")),
            _f(
                "contributions",
                "integer",
                _("Contributions that are its evidence (empty when suppressed)."),
            ),
            _f(
                "suppressed",
                "boolean",
                _("True when fewer than %(n)d contributions: the count is left empty.")
                % {"n": SUPPRESS_BELOW},
            ),
            _f("first_responded_on", "date", _("The day of its first response (empty before).")),
            _f(
                "days_to_response",
                "integer",
                _("Days from the consultation's close to the first response (negative before)."),
            ),
        ],
        "responses": [
            _f("response", "integer", _("The response's id in innohub.")),
            _f("finding", "integer", _("The finding it answers (findings.csv).")),
            _f("kind", "string", _("pilot, service_change or policy.")),
            _f("responded_on", "date", _("The day it was done.")),
            _f("pilot", "integer", _("The pilot it led to (pilots.csv; empty for none).")),
            _f("text", "string", _("What the organisation did, in its words.")),
        ],
    }


def _date(day: Any) -> str:
    return day.isoformat() if day else ""


def finding_rows() -> Iterator[list[Any]]:
    rows = Finding.objects.order_by("pk").values_list(
        "pk", "consultation_id", "consultation__title", "consultation__opens_on",
        "consultation__closes_on", "consultation__organisation_id",
        "consultation__organisation__name", "consultation__service_id", "title",
        "evidence_count", "first_responded_on", "days_to_response",
    )  # fmt: skip
    last = 0
    while batch := list(rows.filter(pk__gt=last)[:BATCH]):
        last = batch[-1][0]
        for row in batch:
            n = row[9]
            small = n < SUPPRESS_BELOW
            yield [
                *row[:3], _date(row[3]), _date(row[4]), row[5], row[6], row[7] or "", row[8],
                "" if small else n, "true" if small else "false", _date(row[10]),
                "" if row[11] is None else row[11],
            ]  # fmt: skip


def response_rows() -> Iterator[list[Any]]:
    rows = Response.objects.order_by("pk").values_list(
        "pk", "finding_id", "kind", "responded_on", "pilot_id", "text"
    )
    last = 0
    while batch := list(rows.filter(pk__gt=last)[:BATCH]):
        last = batch[-1][0]
        for pk, finding, kind, day, pilot, text in batch:
            yield [pk, finding, kind, _date(day), pilot or "", text]
