"""What can be done with a pain point beyond recording it, offered beside it on a journey's
page. Apps above services register their actions in `AppConfig.ready()` (the pipeline:
"turn it into an idea"), so services names none of them."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class PainAction:
    label: str | Promise
    url_name: str  # the page, given the pain point as `?pain_point=<id>`


_actions: list[PainAction] = []


def register(action: PainAction) -> None:
    if action not in _actions:
        _actions.append(action)


def actions() -> list[PainAction]:
    return list(_actions)
