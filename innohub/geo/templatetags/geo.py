"""Template helpers of the area and organisation pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()

# Scripts whose text screen readers should read in another language than the page's.
_SCRIPTS = (("bn", 0x0980, 0x09FF),)


@register.filter
def local_name(text: str) -> SafeString | str:
    """A name in local script, marked with its language (`lang="bn"` for Bangla) so that
    screen readers pronounce it right (WCAG 3.1.2); other text as it is."""
    if lang := _local_language(text):
        return format_html('<span lang="{}">{}</span>', lang, text)
    return text


@register.filter
def named(thing: Any) -> str:
    """The name of an area, organisation or service as the page's reader would write it: its
    local name on a page in that language (Bangla on a Bangla page), else its name."""
    if thing is None:
        return ""
    name_local = getattr(thing, "name_local", "")
    if name_local and (get_language() or "").split("-")[0] == _local_language(name_local):
        return str(name_local)
    return str(thing.name)


def _local_language(text: str) -> str:
    for lang, first, last in _SCRIPTS:
        if any(first <= ord(char) <= last for char in text):
            return lang
    return ""
