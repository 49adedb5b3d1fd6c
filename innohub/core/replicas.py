"""Reads on PostgreSQL's streaming replicas, writes on the primary (`DATABASE_REPLICA_URLS`).

With no replica configured (the default) nothing here runs. With some:

- **Requests that only read** (GET, HEAD, OPTIONS) read from a replica: one per request,
  chosen among those that answer and lag at most `REPLICA_MAX_LAG_SECONDS`, else the
  primary. Each process checks a replica at most every `REPLICA_CHECK_SECONDS`.
- **Writes go to the primary**, and so do the reads of a request once it has written, reads
  inside a transaction, every request that may write (POST, PUT, PATCH, DELETE), and
  everything outside a request (the task worker, management commands).
- **Read your own writes**: a browser or API client that wrote is sent a cookie, and its
  requests read from the primary for `REPLICA_READ_YOUR_WRITES_SECONDS` — long enough for
  the replicas to catch up, so a person never misses what they just saved.
- **A replica that fails mid-request**: a read-only request that used a replica and ended in
  a server error is asked again, once, of the primary, when the replica no longer answers;
  the replica is left out until it answers again.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db import Error as DjangoDatabaseError
from django.http import HttpRequest, HttpResponse

log = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
COOKIE = "innohub_primary"

# Seconds behind the primary: 0 when the replica has replayed all it received, else the age
# of the last transaction it replayed (an idle primary sends nothing, so age alone would
# call a replica that is up to date "behind").
LAG_SQL = """
SELECT CASE
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
END
"""


def replica_aliases() -> list[str]:
    return list(getattr(settings, "REPLICA_ALIASES", []))


@dataclass
class _Request:
    """Where one request reads: the primary, or the replica it was given."""

    primary: bool
    replica: str | None = None
    wrote: bool = False


# None outside a request: everything reads from the primary.
_current: contextvars.ContextVar[_Request | None] = contextvars.ContextVar(
    "innohub_replica_request", default=None
)


# --- Which replicas are fit to read from (per process) ---------------------------------------


@dataclass
class ReplicaState:
    alias: str
    up: bool
    lag_seconds: float | None
    checked: float  # time.monotonic()

    @property
    def fit(self) -> bool:
        return (
            self.up
            and self.lag_seconds is not None
            and self.lag_seconds <= settings.REPLICA_MAX_LAG_SECONDS
        )


_states: dict[str, ReplicaState] = {}
_lock = threading.Lock()


def lag_seconds(alias: str) -> float:
    """How far the replica is behind, in seconds (0 for a database that is no replica of
    PostgreSQL's, such as a copy in tests). Raises DatabaseError when it does not answer."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("SELECT 1")
            return 0.0
        cursor.execute(LAG_SQL)
        (lag,) = cursor.fetchone()
    return float(lag or 0)


def check(alias: str) -> ReplicaState:
    """Ask the replica now: whether it answers, and its lag."""
    try:
        lag: float | None = lag_seconds(alias)
        up = True
    except DjangoDatabaseError:
        log.warning("replica %s does not answer", alias, exc_info=True)
        _close(alias)
        lag, up = None, False
    state = ReplicaState(alias=alias, up=up, lag_seconds=lag, checked=time.monotonic())
    with _lock:
        _states[alias] = state
    return state


def state_of(alias: str) -> ReplicaState:
    """The replica's state, asked again when older than REPLICA_CHECK_SECONDS."""
    with _lock:
        known = _states.get(alias)
    if known is not None and time.monotonic() - known.checked < settings.REPLICA_CHECK_SECONDS:
        return known
    return check(alias)


def pick() -> str | None:
    """A replica fit to read from (at random, to spread the reads), or None."""
    fit = [alias for alias in replica_aliases() if state_of(alias).fit]
    return random.choice(fit) if fit else None  # noqa: S311 (spreading load, not secrets)


def forget() -> None:
    """Forget every replica's state (tests)."""
    with _lock:
        _states.clear()


def _close(alias: str) -> None:
    with contextlib.suppress(DjangoDatabaseError):
        connections[alias].close()


# --- The router -------------------------------------------------------------------------------


class ReplicaRouter:
    """`DATABASE_ROUTERS` when replicas are configured (settings.py)."""

    def db_for_read(self, model: type, **hints: object) -> str:
        request = _current.get()
        if request is None or request.primary or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        if request.replica is None:
            request.replica = pick()
            if request.replica is None:
                request.primary = True
                return DEFAULT_DB_ALIAS
        return request.replica

    def db_for_write(self, model: type, **hints: object) -> str:
        request = _current.get()
        if request is not None:
            request.primary = request.wrote = True  # its later reads see what it wrote
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: object, obj2: object, **hints: object) -> bool:
        return True  # the same data on every database

    def allow_migrate(self, db: str, app_label: str, **hints: object) -> bool:
        return db == DEFAULT_DB_ALIAS  # replicas follow the primary's schema


# --- The middleware ---------------------------------------------------------------------------


class ReplicaMiddleware:
    """Says where each request reads (see the module's docstring); does nothing without
    replicas."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_aliases():
            return self.get_response(request)
        safe = request.method in SAFE_METHODS
        state = _Request(primary=not safe or _wrote_lately(request))
        token = _current.set(state)
        try:
            response = self.get_response(request)
            if safe and state.replica is not None and response.status_code >= 500:
                response = self._again_on_the_primary(request, state, response)
        finally:
            _current.reset(token)
        if state.wrote or not safe:
            seconds = settings.REPLICA_READ_YOUR_WRITES_SECONDS
            response.set_cookie(
                COOKIE,
                str(int(time.time()) + seconds),
                max_age=seconds,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def _again_on_the_primary(
        self, request: HttpRequest, state: _Request, response: HttpResponse
    ) -> HttpResponse:
        """The replica this request read from failed it if it no longer answers: asked again
        of the primary, once. A server error the replica did not cause stands."""
        assert state.replica is not None
        if check(state.replica).up:
            return response
        log.warning(
            "replica %s failed %s %s: asked again of the primary",
            state.replica,
            request.method,
            request.path,
        )
        state.primary, state.replica = True, None
        return self.get_response(request)


def _wrote_lately(request: HttpRequest) -> bool:
    try:
        return int(request.COOKIES.get(COOKIE, "0")) > time.time()
    except ValueError:
        return False


# --- For /healthz -----------------------------------------------------------------------------


def states() -> list[ReplicaState]:
    """Every replica as this process last saw it (asked again when stale)."""
    return [state_of(alias) for alias in replica_aliases()]
