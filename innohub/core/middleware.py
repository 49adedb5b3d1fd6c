"""Request-wide behaviour that belongs to no app."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .outage import outage_of
from .views_errors import log_outage, unavailable


class DatabaseUnavailableMiddleware:
    """A view that meets a locked or unreachable database answers 503 with `Retry-After`
    (JSON under the API, a page elsewhere) instead of a 500, in debug mode too. What fails
    before the view (reading the session or the user) reaches `views_errors.server_error`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        outage = outage_of(exception)
        if outage is None:
            return None
        response = unavailable(request, outage)
        log_outage(request, response, exception)
        return response
