"""The home page's "what is yours to do": a registry that apps fill with card providers (a card is not a background task).

An app registers a provider in its `AppConfig.ready()`:

    from innohub.core import home
    home.register(my_cards)          # my_cards(request) -> list[home.HomeCard]

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
class HomeCard:
    """Something for the signed-in person to do, shown as a card linking to `url`."""

    title: str | Promise
    description: str | Promise
    url: str
    # How many things wait behind the link (e.g. 3 reviews), or None when not countable.
    count: int | None = None


CardProvider = Callable[[HttpRequest], Iterable[HomeCard]]

_providers: list[CardProvider] = []


def register(provider: CardProvider) -> CardProvider:
    """Add `provider` to the home page (once, however often it is registered, since
    `ready()` can run twice). Returns it, so it also works as a decorator."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def unregister(provider: CardProvider) -> None:
    """Remove `provider`; nothing happens if it was not registered."""
    if provider in _providers:
        _providers.remove(provider)


def providers() -> tuple[CardProvider, ...]:
    """The registered providers, in registration order."""
    return tuple(_providers)


def cards_for(request: HttpRequest) -> list[HomeCard]:
    """Every provider's cards for this request, in registration order, providers' own order
    kept. A provider that fails makes the page fail: a silently missing card is worse."""
    cards: list[HomeCard] = []
    for provider in _providers:
        cards.extend(provider(request))
    return cards
