"""The rules of text every app shares: no NUL character (PostgreSQL cannot store it, so it
would be a 500 there), present when required, at most so many characters once trimmed.

Each check answers the problem as a message, or "" when the text is fine, so that pages, the
API and file imports word it the same; `clean_text` raises it keyed by field.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def nul_message() -> str:
    return _("Text may not contain the NUL character.")


def text_error(value: Any, *, max_length: int | None, required: bool = False) -> str:
    """Text's own rules: text, no NUL character, present when required, not too long."""
    if not isinstance(value, str):
        return _("Give text.")
    if "\x00" in value:
        return nul_message()
    if required and not value.strip():
        return _("This field is required.")
    if max_length is not None and len(value.strip()) > max_length:
        return _("At most %(n)d characters.") % {"n": max_length}
    return ""


def clean_text(value: Any, field: str, *, max_length: int | None, required: bool = False) -> str:
    """Trimmed NFC text that passes `text_error`, else ValidationError keyed by `field`."""
    if not isinstance(value, str):
        raise ValidationError({field: text_error(value, max_length=max_length)})
    text = unicodedata.normalize("NFC", value.strip())
    if message := text_error(text, max_length=max_length, required=required):
        raise ValidationError({field: message})
    return text


def errors_of(error: ValidationError) -> dict[str, str]:
    """A ValidationError keyed by field as its first message a field."""
    return {key: value[0] for key, value in error.message_dict.items()}


def collect_text(errors: dict[str, str], value: Any, field: str, **options: Any) -> str:
    """`clean_text` for a write that names every refused field at once: a refusal goes into
    `errors` (the caller raises them together) and the text is empty."""
    try:
        return clean_text(value, field, **options)
    except ValidationError as error:
        errors.update(errors_of(error))
        return ""


def refuse_nul(**values: str) -> None:
    """ValidationError keyed by each field whose text holds a NUL character."""
    errors = {field: nul_message() for field, value in values.items() if "\x00" in value}
    if errors:
        raise ValidationError(errors)
