"""Request ids on every line a request logs, and JSON lines for a log collector."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.http import HttpResponse

from innohub.core.logs import JsonFormatter, RequestIdFilter, RequestIdMiddleware


@pytest.fixture
def lines():
    """What the settings' console handler would write, as JSON, for the logger `innohub.t`."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("innohub.t")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in out.getvalue().splitlines()]
    logger.removeHandler(handler)


def respond(request):
    logging.getLogger("innohub.t").warning("recorded %s steps", 3)
    return HttpResponse("ok")


def test_a_request_logs_with_the_proxys_id_and_answers_it(rf, lines):
    response = RequestIdMiddleware(respond)(rf.get("/", HTTP_X_REQUEST_ID="4f1c-nginx.7"))
    assert response["X-Request-ID"] == "4f1c-nginx.7"
    [line] = lines()
    assert line["request_id"] == "4f1c-nginx.7"
    assert (line["level"], line["logger"], line["message"]) == (
        "WARNING",
        "innohub.t",
        "recorded 3 steps",
    )
    assert line["time"].endswith("+00:00")


@pytest.mark.parametrize("given", ["", "a b", "x" * 65, "id\nforged: line", "ভূমি"])
def test_an_id_that_is_not_one_is_replaced_by_a_new_one(rf, lines, given):
    response = RequestIdMiddleware(respond)(rf.get("/", HTTP_X_REQUEST_ID=given))
    made = response["X-Request-ID"]
    assert made != given and len(made) == 32 and made.isalnum()
    assert lines()[0]["request_id"] == made


def test_outside_a_request_the_id_is_a_dash_and_a_traceback_is_kept(lines):
    try:
        raise ValueError("bad row")
    except ValueError:
        logging.getLogger("innohub.t").exception("import failed")
    [line] = lines()
    assert line["request_id"] == "-"
    assert "ValueError: bad row" in line["exception"]


@pytest.mark.django_db
def test_every_response_carries_its_id(client):
    first, second = client.get("/healthz/live"), client.get("/healthz/live")
    assert first["X-Request-ID"] != second["X-Request-ID"]
