"""`{% govuk_supported_script %}`: the one inline script, allowed by its hash (core/csp.py)."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from innohub.core.csp import GOVUK_SUPPORTED

register = template.Library()


@register.simple_tag
def govuk_supported_script() -> SafeString:
    # A fixed string of ours, never data: it must reach the page byte for byte, or its hash
    # in the policy no longer matches.
    return mark_safe(f"<script>{GOVUK_SUPPORTED}</script>")  # noqa: S308
