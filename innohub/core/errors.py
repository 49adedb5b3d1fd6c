"""Domain errors: what domain functions raise, whichever layer turns them into a response.

A wrong value is Django's `ValidationError` keyed by field (→ a form error or a 422); a
person who may not act, `PermissionDenied` (→ 403); a state change that is not allowed from
here, `Conflict` (→ 409). Pages and the API translate them; domain code never imports either.
"""

from __future__ import annotations


class Conflict(Exception):
    """An illegal state change (→ 409 in the API, a message on the page)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RateLimited(Exception):
    """Too many requests of one client for now (→ 429 with `Retry-After`, in the API and on
    the page)."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class Stale(Exception):
    """The object changed since the client read it, and the client asked to write only if
    it had not (→ 412 in the API; the client shows the change, never overwrites it)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
