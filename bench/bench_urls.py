"""The product's pages plus the floor: a signed-in view answering two bytes, the least any
signed-in page costs (session, user, middleware), against which the benchmarks compare."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path

from innohub.urls import handler400, handler500
from innohub.urls import urlpatterns as product

__all__ = ["handler400", "handler500", "urlpatterns"]


@login_required
def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench-floor/", floor), *product]
