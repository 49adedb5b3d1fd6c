"""What a request answers when it is too large or the database fails under it.

Under the API the error shape of docs/api.md, elsewhere a page: 413 for a body larger than
`DATA_UPLOAD_MAX_MEMORY_SIZE` (the files of a multipart upload are not counted), 503
with `Retry-After` for a locked or unreachable database. Neither page reads the database: the
503 page is rendered without the request, so no context processor asks for the user.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.log import log_response
from django.utils.translation import gettext as _
from django.views import defaults

from .outage import Outage, outage_of


def is_api(request: HttpRequest) -> bool:
    """Programs call these paths: they get JSON in the API's error shape, never a page."""
    return request.path.startswith(reverse("api:api-root"))


def largest_body() -> str:
    """`DATA_UPLOAD_MAX_MEMORY_SIZE` for people: "2.5 MB"."""
    return str(filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE))


def too_large_error() -> dict[str, object]:
    """The API's 413 body (one place, for the API's handler and for `bad_request`)."""
    # filesizeformat joins number and unit with a no-break space, for pages; JSON: a space.
    size = largest_body().replace("\xa0", " ")
    message = _("A request body may be at most %(size)s; send files as multipart uploads.")
    return {
        "detail": _("The request is too large."),
        "errors": [{"field": "__all__", "message": message % {"size": size}}],
    }


def too_large(request: HttpRequest) -> HttpResponse:
    """413: the body is larger than Django reads into memory."""
    if is_api(request):
        return JsonResponse(too_large_error(), status=413)
    page = loader.get_template("413.html").render({"size": largest_body()})
    return HttpResponse(page, status=413)


def unavailable(request: HttpRequest, outage: Outage) -> HttpResponse:
    """503 with `Retry-After`: the database is busy or cannot be reached; never cached."""
    response: HttpResponse
    if is_api(request):
        response = JsonResponse({"detail": outage.detail, "errors": []}, status=503)
    else:
        page = loader.get_template("503.html").render(
            {"locked": outage.locked, "full": outage.full}
        )
        response = HttpResponse(page, status=503)
    retry_after(response, outage)
    return response


def retry_after(response: HttpResponse, outage: Outage) -> None:
    response["Retry-After"] = str(outage.retry_after)
    add_never_cache_headers(response)


def log_outage(request: HttpRequest, response: HttpResponse, exc: BaseException) -> None:
    """Log like Django logs a failed request: a lock as a warning, an unreachable database as
    an error, with the traceback (the response carries no error text)."""
    outage = outage_of(exc)
    log_response(
        "Database unavailable: %s",
        request.path,
        response=response,
        request=request,
        exception=exc,
        level="warning" if outage and outage.locked else "error",
    )


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: a body too large is 413; any other bad request under the API is a 400 in
    its error shape; elsewhere the 400 page."""
    if isinstance(exception, RequestDataTooBig):
        return too_large(request)
    if is_api(request):
        detail = _("The request could not be read.")
        return JsonResponse({"detail": detail, "errors": []}, status=400)
    return defaults.bad_request(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a locked or unreachable database is 503, whichever middleware met it (the
    session and the signed-in user are read before any view runs). Django calls this while
    handling the exception, so `sys.exc_info()` names it."""
    if outage := outage_of(sys.exc_info()[1]):
        return unavailable(request, outage)
    if is_api(request):
        detail = _("Something went wrong in innohub. Try again later.")
        return JsonResponse({"detail": detail, "errors": []}, status=500)
    return defaults.server_error(request)
