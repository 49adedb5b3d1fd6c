from __future__ import annotations

from collections.abc import Callable

import pytest

from innohub.core import home


@pytest.fixture
def register_provider(
    monkeypatch: pytest.MonkeyPatch,
) -> Callable[[home.CardProvider], home.CardProvider]:
    """Set the home page's providers aside for one test (the apps' own, registered at start-up,
    come back afterwards) and give the test a way to register its own."""
    monkeypatch.setattr(home, "_providers", [])
    return home.register


@pytest.fixture
def no_providers(register_provider) -> None:
    """The home page as it is when no app has anything for the person."""
