"""When the database fails under a request: which errors mean "try again later", and how soon.

A locked or busy database (SQLite's busy timeout ran out; PostgreSQL gave up waiting for a
lock, found a deadlock or cancelled a statement) clears in seconds; a database that cannot be
reached (down, restarting, the network) takes longer. Pages and the API answer both with 503
and a `Retry-After` of the matching number of seconds, never with a 500.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext as _

# The errors that say the database is unavailable, not that the code or the input is wrong.
DATABASE_ERRORS = (OperationalError, InterfaceError)

RETRY_AFTER_LOCKED = 5
RETRY_AFTER_DOWN = 30
RETRY_AFTER_FULL = 300  # someone has to free space first

# PostgreSQL's codes for "busy, try again": lock_not_available, deadlock_detected,
# serialization_failure, query_canceled (a statement or lock timeout).
_BUSY_SQLSTATES = frozenset({"55P03", "40P01", "40001", "57014"})


@dataclass(frozen=True)
class Outage:
    """What a database error means for the caller: busy (`locked`), out of disk space
    (`full`: nothing more can be written until someone frees space), or unreachable."""

    locked: bool
    full: bool = False

    @property
    def retry_after(self) -> int:
        """Seconds to wait before trying again (the `Retry-After` header)."""
        if self.full:
            return RETRY_AFTER_FULL
        return RETRY_AFTER_LOCKED if self.locked else RETRY_AFTER_DOWN

    @property
    def detail(self) -> str:
        """One translated sentence for the API's `detail`."""
        if self.full:
            return _("The server's disk is full: nothing was saved. Try again later.")
        if self.locked:
            return _("The database is busy. Try again in a few seconds.")
        return _("The database cannot be reached. Try again in a minute.")


def outage_of(exc: BaseException | None) -> Outage | None:
    """The outage `exc` reports, or None when it is some other error (a bug: let it be a 500)."""
    if not isinstance(exc, DATABASE_ERRORS):
        return None
    if _is_full(exc):
        return Outage(locked=False, full=True)
    return Outage(locked=_is_busy(exc))


# PostgreSQL's disk_full and out_of_memory-like "insufficient resources" codes.
_FULL_SQLSTATES = frozenset({"53100"})


def _is_full(exc: BaseException) -> bool:
    if getattr(exc.__cause__, "sqlstate", None) in _FULL_SQLSTATES:
        return True
    # SQLite says "database or disk is full" (SQLITE_FULL).
    return isinstance(exc, OperationalError) and "disk is full" in str(exc)


def _is_busy(exc: BaseException) -> bool:
    sqlstate = getattr(exc.__cause__, "sqlstate", None)  # psycopg's error, which Django wraps
    if sqlstate in _BUSY_SQLSTATES:
        return True
    # SQLite says "database is locked" (SQLITE_BUSY) or "database table is locked".
    return isinstance(exc, OperationalError) and "is locked" in str(exc)
