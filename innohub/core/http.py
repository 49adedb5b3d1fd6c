"""Helpers of the presentation layer (pages and API handlers) shared by every app."""

from __future__ import annotations

from typing import TypeVar

from django.http import Http404

T = TypeVar("T")


def found(thing: T | None) -> T:
    """`thing`, or Http404 when a selector answering None for "none" found nothing."""
    if thing is None:
        raise Http404
    return thing
