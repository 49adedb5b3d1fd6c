"""The rules of a journey's own fields, in one place: its reference, its day, its phase and
pilot. The pages (through `services.py`), the API and the file import all ask these, so a
value one path accepts the others accept too, with the same message.

Each check answers the problem as a message (text itself: `innohub.core.text`), or "" when the value is fine; the caller keys it
by its own field name (`ref` in JSON, `journey_ref` in files). The checks of a step's values
live beside them in `steps.py`; the sizes in `limits.py` and `innohub.core.units`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from innohub.core.models import MAX_ID
from innohub.core.text import text_error

from .limits import REF_MAX

# An exported journey without a reference of its own is written as `id:<id>` (docs/api.md),
# so a person's reference may not start with it, in any case: `ID:7` is the same prefix.
ID_PREFIX = "id:"


def has_id_prefix(ref: str) -> bool:
    return ref[: len(ID_PREFIX)].lower() == ID_PREFIX


def exported_id(ref: str) -> int | None:
    """The journey id an `id:<id>` reference names (any case of `id:`), or None when `ref` is
    not one (a prefix followed by anything but ASCII digits, or an id beyond the database's)."""
    if not has_id_prefix(ref):
        return None
    digits = ref[len(ID_PREFIX) :]
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 19:
        return None
    number = int(digits)
    return number if 1 <= number <= MAX_ID else None


def check_choice(value: Any, field: str, choices: list[str]) -> str:
    """`value` if it is one of `choices`, else ValidationError keyed by `field`."""
    if value not in choices:
        raise ValidationError(
            {field: _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices)}}
        )
    return str(value)


def ref_error(ref: Any) -> str:
    """A reference typed by a person (page or API): optional, at most 100 characters, and
    never starting with `id:` in any case."""
    if message := text_error(ref, max_length=REF_MAX):
        return message
    if has_id_prefix(ref.strip()):
        return _("A reference may not start with “id:” (exports use it for ids).")
    return ""


def file_ref_error(ref: str) -> str:
    """A file's `journey_ref`: required, at most 100 characters; `id:<id>` (any case) names an
    exported journey, so after that prefix only an id may follow."""
    if ref == "":
        return _("Give the journey's reference.")
    if message := text_error(ref, max_length=REF_MAX):
        return message
    if has_id_prefix(ref) and exported_id(ref) is None:
        return _("A reference starting with “id:” is an exported journey's id, e.g. id:42.")
    return ""


def observed_on_error(day: datetime.date, *, today: datetime.date) -> str:
    """The day a journey began may not be after `today` (the deployment's time zone)."""
    if day > today:
        return _("The day observed cannot be in the future.")
    return ""


def pilot_errors(*, phase: str | None, pilot: Any) -> dict[str, str]:
    """Until the pipeline exists there are no pilots (docs/api.md): the phase is `none` (or not
    given) and the pilot empty. Keyed `phase` and `pilot`."""
    errors: dict[str, str] = {}
    if phase not in (None, "", "none"):
        errors["phase"] = _("There are no pilots yet: the phase must be “none”.")
    if pilot not in (None, ""):
        errors["pilot"] = _("There are no pilots yet: leave the pilot empty.")
    return errors
