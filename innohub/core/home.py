"""The home page's "what is yours to do": a registry that apps fill with task providers.

An app registers a provider in its `AppConfig.ready()`:

    from innohub.core import home
    home.register(my_tasks)          # my_tasks(request) -> list[home.Task]

Core registers none itself, so it never needs to know the apps above it. A provider should
answer with a bounded number of queries (the home page's query count is tested) and return
only what is worth the person's attention now — an empty list when nothing is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.functional import Promise


@dataclass(frozen=True)
class Task:
    """Something for the signed-in person to do, shown as a card linking to `url`."""

    title: str | Promise
    description: str | Promise
    url: str
    # How many things wait behind the link (e.g. 3 reviews), or None when not countable.
    count: int | None = None


TaskProvider = Callable[[HttpRequest], Iterable[Task]]

_providers: list[TaskProvider] = []


def register(provider: TaskProvider) -> TaskProvider:
    """Add `provider` to the home page (once, however often it is registered, since
    `ready()` can run twice). Returns it, so it also works as a decorator."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def unregister(provider: TaskProvider) -> None:
    """Remove `provider`; nothing happens if it was not registered."""
    if provider in _providers:
        _providers.remove(provider)


def providers() -> tuple[TaskProvider, ...]:
    """The registered providers, in registration order."""
    return tuple(_providers)


def tasks_for(request: HttpRequest) -> list[Task]:
    """Every provider's tasks for this request, in registration order, providers' own order
    kept. A provider that fails makes the page fail: a silently missing task is worse."""
    tasks: list[Task] = []
    for provider in _providers:
        tasks.extend(provider(request))
    return tasks
