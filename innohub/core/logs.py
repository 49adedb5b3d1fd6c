"""Logs that can be followed across machines: a request id on every line a request logs, and
one JSON object per line when `LOG_FORMAT=json`.

The id is the proxy's (`X-Request-ID`, which nginx sets from its own `$request_id`, so its
access log and innohub's lines share it) when it looks like one, else made here; it goes back
to the client in the response's `X-Request-ID`, so a person reporting a problem can quote it.
"""

from __future__ import annotations

import contextvars
import datetime
import json
import logging
import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
_ACCEPTED = re.compile(r"[A-Za-z0-9._-]{1,64}")
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("innohub_request_id", default="-")


def current_request_id() -> str:
    """The id of the request being served, "-" outside one (the worker, commands)."""
    return _request_id.get()


class RequestIdMiddleware:
    """First in MIDDLEWARE: every line logged while the request is served carries its id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get(HEADER, "")
        request_id = given if _ACCEPTED.fullmatch(given) else uuid.uuid4().hex
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Gives every record a `request_id` (for the formats below)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, request id, message, and
    the traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", _request_id.get()),
            "message": record.getMessage(),
        }
        if status := getattr(record, "status_code", None):
            entry["status"] = status
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
