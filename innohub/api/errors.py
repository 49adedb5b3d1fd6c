"""One error shape for every API failure:

`{"detail": "...", "errors": [{"field": "steps.0.visits", "message": "..."}]}`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from innohub.core.errors import Conflict

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

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return error_response(api, request, exc.status_code, str(exc))
