"""Template helpers of the area and organisation pages."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

# Scripts whose text screen readers should read in another language than the page's.
_SCRIPTS = (("bn", 0x0980, 0x09FF),)


@register.filter
def local_name(text: str) -> SafeString | str:
    """A name in local script, marked with its language (`lang="bn"` for Bangla) so that
    screen readers pronounce it right (WCAG 3.1.2); other text as it is."""
    for lang, first, last in _SCRIPTS:
        if any(first <= ord(char) <= last for char in text):
            return format_html('<span lang="{}">{}</span>', lang, text)
    return text
