"""Where an idea came from, as the pipeline sees it: a slot training fills.

Training owns the concept → idea link (SETTLED.md): it registers an `Origins` from its
`AppConfig.ready()`, and the idea API reads `origin_cohort` through this module, so the
pipeline never imports training. Without one, every idea's `origin_cohort` is null.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.core.exceptions import ObjectDoesNotExist


class Origins(Protocol):
    # The reverse one-to-one on Idea that holds the link, for `select_related`.
    related_name: str

    def cohort_of(self, link: Any) -> int | None: ...


_origins: Origins | None = None


def register(origins: Origins) -> None:
    global _origins
    _origins = origins


def related() -> tuple[str, ...]:
    """What idea queries `select_related` so that `origin_cohort` costs no query."""
    return () if _origins is None else (_origins.related_name,)


def origin_cohort(idea: Any) -> int | None:
    if _origins is None:
        return None
    try:
        link = getattr(idea, _origins.related_name)
    except ObjectDoesNotExist:
        return None
    return None if link is None else _origins.cohort_of(link)
