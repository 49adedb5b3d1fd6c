from django.http import HttpRequest, JsonResponse
from django.urls import path, re_path

from .main import api


def unknown_endpoint(request: HttpRequest, rest: str) -> JsonResponse:
    """Any other path under /api/v1/ answers 404 in the API's error shape, not an HTML page."""
    return JsonResponse({"detail": "Not found.", "errors": []}, status=404)


urlpatterns = [
    path("", api.urls),
    re_path(r"^(?P<rest>.*)$", unknown_endpoint),
]
