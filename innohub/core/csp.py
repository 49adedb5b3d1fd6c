"""Inline scripts that the Content Security Policy allows by their hash: few, short, fixed.

Kept free of Django imports: the settings read `INLINE_SCRIPT_HASHES`.
"""

from __future__ import annotations

import base64
import hashlib

# GOV.UK Frontend's page template marks the body before anything is drawn, so that components
# hide at once what JavaScript will show (the menu on a phone). Marked later, by a module
# script, the page would jump as the menu folds away (a layout shift Lighthouse counts).
GOVUK_SUPPORTED = (
    "document.body.className += ' js-enabled' + "
    "('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');"
)


def script_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


INLINE_SCRIPT_HASHES = [script_hash(GOVUK_SUPPORTED)]
