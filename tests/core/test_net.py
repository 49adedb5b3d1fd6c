from __future__ import annotations

from django.test import RequestFactory

from innohub.core.net import client_ip


def test_without_proxies_the_remote_address_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "203.0.113.9"


def test_behind_one_proxy_the_rightmost_forwarded_address_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client forged the first entry; the proxy appended the real one.
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7"
    )
    assert client_ip(request) == "198.51.100.7"


def test_behind_two_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7, 10.0.0.1"
    )
    assert client_ip(request) == "198.51.100.7"


def test_missing_header_falls_back_to_the_remote_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2")
    assert client_ip(request) == "10.0.0.2"
