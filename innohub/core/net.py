"""The client's address, also behind reverse proxies."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The address of whoever sent the request.

    Behind `TRUSTED_PROXY_COUNT` reverse proxies, each appends the address it received from to
    `X-Forwarded-For`, so the client is that many entries from the right; entries further left
    were written by the client and cannot be trusted. With no proxy: `REMOTE_ADDR`.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR")
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]
