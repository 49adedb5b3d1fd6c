"""One error shape for every API failure:

`{"detail": "...", "errors": [{"field": "steps.0.visits", "message": "..."}]}`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from innohub.core import views_errors
from innohub.core.errors import Conflict, RateLimited, Stale
from innohub.core.outage import outage_of

# Where ninja puts a value in `loc`; the JSON path the client sent starts after it.
_SOURCES = {"body", "query", "path", "form", "file", "header", "cookie"}


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError] = []


# The error responses an operation documents, by kind: a list or a search; one object by id;
# a create; a write to an object by id (schemathesis checks that every status an operation
# answers is documented, and only those).
READ_ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 422: ErrorOut}
ONE_ERRORS: dict[int, Any] = {**READ_ERRORS, 404: ErrorOut}
CREATE_ERRORS: dict[int, Any] = {**READ_ERRORS, 403: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {**ONE_ERRORS, 403: ErrorOut}


# Handlers name their schema parameters `payload` (body) and `filters` (query) by convention;
# those names are the handler's, not part of the JSON the client sent.
PARAMETER_NAMES = {"payload", "filters", "pagination"}


def json_path(loc: list[Any] | tuple[Any, ...]) -> str:
    """`("body", "payload", "steps", 0, "visits")` → `"steps.0.visits"`."""
    parts = list(loc)
    if parts and parts[0] in _SOURCES:
        parts = parts[1:]
        # A fault of the whole body (a bare array that is not one) is no field's: `__all__`.
        if parts and parts[0] in PARAMETER_NAMES:
            parts = parts[1:]
    return ".".join(str(part) for part in parts) or "__all__"


def error_response(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    detail: str,
    errors: list[dict[str, str]] | None = None,
) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)


def install(api: NinjaAPI) -> None:
    """Register the handlers that give every error the same shape."""

    @api.exception_handler(NinjaValidationError)
    def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = []
        for error in exc.errors:
            message = str(error.get("msg", "Invalid value."))
            message = message.removeprefix("Value error, ")
            errors.append({"field": json_path(error.get("loc", ())), "message": message})
        return error_response(api, request, 422, "The input is not valid.", errors)

    @api.exception_handler(DjangoValidationError)
    def domain_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        errors: list[dict[str, str]] = []
        if hasattr(exc, "error_dict"):
            for field, messages in exc.message_dict.items():
                errors.extend({"field": field, "message": m} for m in messages)
        else:
            errors.extend({"field": "__all__", "message": m} for m in exc.messages)
        return error_response(api, request, 422, "The input is not valid.", errors)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(api, request, 401, "Sign in or send a valid API token.")

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return error_response(api, request, 403, str(exc) or "You may not do this.")

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(api, request, 404, "Not found.")

    @api.exception_handler(Conflict)
    def conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
        return error_response(api, request, 409, exc.message)

    @api.exception_handler(Stale)
    def stale(request: HttpRequest, exc: Stale) -> HttpResponse:
        return error_response(api, request, 412, exc.message)

    @api.exception_handler(RateLimited)
    def rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
        response = error_response(api, request, 429, exc.message)
        response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return error_response(api, request, exc.status_code, str(exc))

    @api.exception_handler(RequestDataTooBig)
    def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        # Raised when ninja reads a JSON body over DATA_UPLOAD_MAX_MEMORY_SIZE; the files of
        # a multipart upload go to the upload handlers and never count towards it.
        return api.create_response(request, views_errors.too_large_error(), status=413)

    # A locked or unreachable database: 503, before ninja's handler for any Exception (a
    # traceback in debug mode, else a 500). Not DatabaseError: its other kinds are bugs.
    @api.exception_handler(OperationalError)
    @api.exception_handler(InterfaceError)
    def database_unavailable(
        request: HttpRequest, exc: OperationalError | InterfaceError
    ) -> HttpResponse:
        outage = outage_of(exc)
        assert outage is not None  # registered for the database errors only
        response = error_response(api, request, 503, outage.detail)
        views_errors.retry_after(response, outage)
        views_errors.log_outage(request, response, exc)
        return response
