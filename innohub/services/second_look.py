"""Values that are allowed but unusual enough to ask the person typing them to look again.

A date before 1990, a step of more than a year, more hours of the citizen's time than the
step's days hold: each can be true, and each is more often a slip of the thumb on a phone.
The pages ask once ("Check this value, or confirm it is right") and save it when confirmed;
the API and the file import, written by systems, take them as they are.

Each function answers {field name: message}, empty when nothing is unusual.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from innohub.core.numbers import figure

EARLIEST_USUAL_DAY = datetime.date(1990, 1, 1)
MOST_USUAL_DAYS = Decimal("365")
MOST_USUAL_VISITS = 20
MOST_USUAL_DOCUMENTS = 30
MOST_USUAL_AMOUNT = Decimal("1000000")
HOURS_A_DAY = Decimal("24")


# The step's messages, by field; each leaves its value's placeholder to be filled (here, and
# by the offline recorder's script with the value as typed: services/views_offline.py).
_AMOUNT = gettext_lazy("%(amount)s is a large amount for one step: is it right?")
STEP_MESSAGES = {
    "elapsed_days": gettext_lazy("More than a year at one step: is %(days)s right?"),
    "citizen_hours": gettext_lazy(
        "%(hours)s hours is more than the step's days hold: are the hours right?"
    ),
    "fees": _AMOUNT,
    "travel_cost": _AMOUNT,
    "other_cost": _AMOUNT,
    "visits": gettext_lazy("%(visits)s visits at one step: is that right?"),
    "documents": gettext_lazy("%(documents)s documents at one step: is that right?"),
}


def journey_values(*, observed_on: datetime.date | None) -> dict[str, str]:
    if observed_on is not None and observed_on < EARLIEST_USUAL_DAY:
        return {
            "observed_on": _("%(day)s is before 1990: is the year right?")
            % {"day": date_format(observed_on, "j F Y")}
        }
    return {}


def step_values(values: dict[str, Any]) -> dict[str, str]:
    unusual: dict[str, str] = {}
    days = values.get("elapsed_days")
    hours = values.get("citizen_hours")
    if days is not None and days > MOST_USUAL_DAYS:
        unusual["elapsed_days"] = str(STEP_MESSAGES["elapsed_days"]) % {"days": figure(days)}
    if hours is not None and days is not None and hours > max(days, Decimal(1)) * HOURS_A_DAY:
        unusual["citizen_hours"] = str(STEP_MESSAGES["citizen_hours"]) % {"hours": figure(hours)}
    for name in ("fees", "travel_cost", "other_cost"):
        amount = values.get(name)
        if amount is not None and amount > MOST_USUAL_AMOUNT:
            unusual[name] = str(STEP_MESSAGES[name]) % {"amount": figure(amount)}
    visits = values.get("visits")
    if visits is not None and visits > MOST_USUAL_VISITS:
        unusual["visits"] = str(STEP_MESSAGES["visits"]) % {"visits": figure(visits)}
    documents = values.get("documents")
    if documents is not None and documents > MOST_USUAL_DOCUMENTS:
        unusual["documents"] = str(STEP_MESSAGES["documents"]) % {"documents": figure(documents)}
    return unusual
