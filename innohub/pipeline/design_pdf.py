"""Printable documents as PDF (WeasyPrint): a project design, a showcase's results. With the
product's own fonts so Bangla is drawn, not boxes; WeasyPrint reads only local files — the
fonts, nothing from the network. Templates include `pipeline/includes/pdf_style.html`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string

FONTS = {
    "latin": "fonts/noto-sans-latin-wght-normal.woff2",
    "latin_ext": "fonts/noto-sans-latin-ext-wght-normal.woff2",
    "bengali": "fonts/noto-sans-bengali-bengali-wght-normal.woff2",
}


def _font_file(name: str) -> str:
    """A static font's file as a file:// URL: from the finders (a checkout), else from the
    collected static files (a deployment)."""
    found = finders.find(name)
    path = Path(found if isinstance(found, str) else staticfiles_storage.path(name))
    return path.resolve().as_uri()


def pdf_of(template: str, context: dict[str, Any]) -> bytes:
    """`template` rendered with `context` (and the fonts) as PDF bytes."""
    from weasyprint import HTML  # imported here: only this needs Pango
    from weasyprint.urls import URLFetcher

    fonts = {key: _font_file(path) for key, path in FONTS.items()}
    html = render_to_string(template, {**context, "fonts": fonts})
    local_only = URLFetcher(allowed_protocols={"file"}, fail_on_errors=True)
    return bytes(HTML(string=html, url_fetcher=local_only).write_pdf())


def design_pdf(context: dict[str, Any]) -> bytes:
    """The design's document (the printable page's body) as PDF bytes."""
    return pdf_of("pipeline/design_pdf.html", context)
